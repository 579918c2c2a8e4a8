"""Who a sentence gives work to: "Giao X …", "Đề nghị X …", "X chủ trì …", owner headings."""

from __future__ import annotations

import re

from models.importer.names import fold

# Numbering a letter or a plan puts before an item: "1.", "1.1.", "(1)", "a)", "- ".
NUMBERING = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\s*[.)]|\(\d{1,2}\)|[a-zđ]\)|Điều\s+\d+\s*\.|[-–+•])\s+"
)
_PREFIX = re.compile(r"^(?:giao|đề nghị|yêu cầu)\s+(?=\S)", re.IGNORECASE)
_HEADING_PREFIX = re.compile(r"^(?:giao|đối với|đề nghị)\s*:?\s+(?=\S)", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s*[.)]\s")
# The verb that ends the owner's name: lowercase, so "Sở Xây dựng" is a name, "xây dựng" a verb;
# "tổ chức, cá nhân" (organisations and individuals) is a noun ("5. Các doanh nghiệp viễn thông,
# tổ chức, cá nhân có liên quan" names owners).
_VERB = re.compile(
    r"\s(?:chủ trì|có trách nhiệm|chịu trách nhiệm|khẩn trương|kịp thời|phối hợp|chủ động|tiếp tục"
    # "tổ chức" the verb, not the noun ("tổ chức, cá nhân", "tổ chức đảng", "tổ chức chính trị -
    # xã hội", "tổ chức hội", "tổ chức bộ máy")
    r"|tổ chức(?!,?\s+(?:và\s+)?cá nhân|\s+(?:đảng|chính trị|hội|xã hội|bộ máy|kinh tế)\b)"
    r"|thực hiện|triển khai|tiến hành|tham mưu|rà soát|đẩy mạnh|quán triệt|sắp xếp|gửi|nộp"
    r"|xây dựng|nghiên cứu|hướng dẫn"
    r"|theo dõi|tập trung|tăng cường|kiện toàn|hoàn thành|báo cáo|có ý kiến|làm việc|quan tâm"
    r"|xem xét|cập nhật|bố trí|đôn đốc|chỉ đạo|lãnh đạo|sớm|cần|có báo cáo|đăng tải"
    r"|có văn bản|có Báo cáo|chịu trách nhiệm|cụ thể hoá|cụ thể hóa|nghiêm túc"
    # "Bộ Tư pháp tổng hợp, báo cáo …" (not the department "Vụ Kinh tế tổng hợp")
    r"|(?<!Kinh tế\s)tổng hợp)\b"
)
# A subject names a body: it opens with one of these words ("Trường" a school, not "Trường hợp
# có đề xuất khác, …": an "if", whose date is the task's it follows).
_UNIT_WORD = re.compile(
    # not "a) Ban hành kế hoạch …" (a verb), "3.1. Báo cáo định kỳ hàng tháng:" (a report)
    r"^(?:Sở|Bộ|Ban(?! hành)|Văn phòng|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng|Các|các|Công [Aa]n"
    r"|Thanh tra|Cơ quan|Liên hiệp|Công ty|Tỉnh"
    r"|Trung tâm|Tập đoàn|Tổng công ty|Chủ tịch|Bộ trưởng|Giám đốc|Thủ trưởng|Chánh|Đài"
    r"|Báo(?! cáo)"
    r"|Người đứng đầu|người đứng đầu|Thường trực|Mặt trận|Đoàn|Liên đoàn|Kho bạc|Cục"
    r"|Chi cục|Bảo hiểm|Ngân hàng|Viện|Trường(?! hợp)|Hội Nông dân|Hiệp hội|Liên minh"
    # a ministry's own departments: "3. Vụ Tổ chức cán bộ", "2. Tiểu ban giúp việc Ban Chỉ đạo"
    r"|Vụ|Tiểu ban)\s"
)
# Words that make a "subject" a clause instead of a name ("Tỉnh Thanh Hóa đã quán triệt …").
_NOT_A_NAME = re.compile(
    # "việc" of a clause, not of a body's name ("Tiểu ban giúp việc Ban Chỉ đạo 934")
    r"\b(?:đã|sẽ|đang|được|là|nếu|khi|để|này|nay|tại|theo|trong|những|(?<!giúp )việc|nhằm|chưa"
    r"|đề nghị|yêu cầu|giao)\b|[.“”\"]"
)
# A subject opening "Các" that names things, not bodies: "Các vấn đề thuộc thẩm quyền phải được
# giải quyết …" (a sentence about the work, whoever does it).
_THINGS = re.compile(
    r"^[Cc]ác (?:vấn đề|nội dung|nhiệm vụ|giải pháp|hoạt động|chương trình|dự án|văn bản"
    r"|quy định|thủ tục|chỉ tiêu|mục tiêu|khó khăn|kiến nghị"
    # "Các Báo cáo trên gửi Bộ Tư pháp trước ngày …" (TB 659): what is sent, not who sends it
    r"|[Bb]áo cáo|kết quả|số liệu|tài liệu|hồ sơ|ý kiến)\b"
)
# What a sentence can open with before its owner: "Trên cơ sở kết quả khảo sát, Sở X …".
_LEAD = re.compile(
    r"^(?:Trên cơ sở|Căn cứ|Trong|trong|Chậm nhất|Sau|Định kỳ|Đồng thời|Đối với|Hằng năm|Hàng năm"
    r"|Để|Với vai trò|với vai trò|Với tư cách|với tư cách)"
)
_PAST = re.compile(r"\b(?:đã|tại|số|nay)\b|[“”\"]")
# Not work to deliver: a standing duty ("chịu trách nhiệm …"), a step taken only "if" (not the
# aside "(nếu có)", "if any"), a
# lead-in ("có ý kiến chỉ đạo như sau:"), a request to every addressee to carry out the text.
_NOT_WORK = re.compile(
    r"^chịu trách nhiệm về|chịu trách nhiệm (?:toàn diện|trước|thi hành)"
    r"|chịu trách nhiệm (?:tổ chức )?thực hiện (?:Kế hoạch|Chỉ thị|Quyết định) này"
    r"|\bnếu\b(?! có\))|như sau"
    # "nghiêm túc triển khai thực hiện" (to carry the text out), not "… chỉ đạo triển khai thực
    # hiện nghiêm túc, quyết liệt, hiệu quả các nội dung …" after a work (CV 11554/VPCP-V.I)
    r"|nghiêm túc(?:,\s*\w+)*\s+(?:triển khai|thực hiện|chấp hành|quán triệt|tổ chức)"
    r"|nghiêm túc(?:\s+(?:Chỉ thị|Kế hoạch|Công văn|Quyết định|Nghị quyết|Thông báo) này)?\s*[./]*$"
    # to heed what was said before: "… tiếp tục quán triệt, thực hiện nghiêm túc, đầy đủ các ý
    # kiến chỉ đạo của Chính phủ …"
    r"|nghiêm túc(?:,\s*\w+(?:\s\w+)?)*\s+(?:các|những)\s+(?:ý kiến chỉ đạo|chỉ đạo|quy định)"
    r"|các nhiệm vụ nêu trên"
    r"|(?:đề nghị|yêu cầu) (?:các|quý) (?:cơ quan|đơn vị|địa phương|đồng chí)"
    # praise of the past: "Bộ Chính trị, Ban Bí thư ghi nhận và biểu dương các cấp uỷ …"
    r"|biểu dương|ghi nhận và",
    re.IGNORECASE,
)
# A general duty, no work a coordinator could check: to act "within one's remit" ("Trong phạm
# vi, lĩnh vực quản lý của mình, chủ động phối hợp …"), to cooperate in carrying out the text
# itself ("… phối hợp với các địa phương … triển khai thực hiện có hiệu quả Chỉ thị này", "Phối
# hợp với Ban Quản lý … tổ chức thực hiện kế hoạch theo đúng quy định …"), to
# pay attention ("Quan tâm thực hiện công tác cán bộ nữ", "… quan tâm thực hiện./."), to obey.
_GENERAL_DUTY = re.compile(
    r"^trong phạm vi\b[^.;]*\bcủa mình\b"
    # not "phối hợp với … tham mưu … để triển khai thực hiện kế hoạch này" (a purpose)
    r"|\bphối hợp\b(?:(?!\bđể\b)[^.;])*\b(?:thực hiện|triển khai)(?: có hiệu quả)?"
    r" (?:Kế hoạch|Chỉ thị|Công văn|Quyết định|Nghị quyết|Thông báo)(?: này\b|(?= theo\b))"
    r"|^quan tâm\b|\bquan tâm thực hiện\s*[./]*$"
    # to obey the rules, to carry the text out well ("Tuân thủ các quy định về cấp phép …",
    # "Trên cơ sở …, tổ chức triển khai thực hiện đảm bảo chất lượng, hiệu quả …")
    r"|^(?:tuân thủ|chấp hành)\b|(?:^|,\s*)tổ chức triển khai thực hiện (?:đảm bảo|bảo đảm)\b"
    # to do well what is done anyway ("Thực hiện nghiêm túc việc lấy ý kiến …", "Kiểm soát chặt
    # chẽ và thực hiện nghiêm việc đánh giá tác động …"); TODO confirm: a guess from CV 6278
    r"|^(?:thực hiện nghiêm(?: túc)?|kiểm soát chặt chẽ)\s"
    # the budget formulas of a plan carrying out a law (KH 7360/KH-UBND, QĐ 2623/QĐ-TTg: "…
    # chủ động cân đối bố trí trong nguồn ngân sách nhà nước đã được giao …", "… có trách nhiệm
    # lập kế hoạch, dự toán, quyết toán, quản lý sử dụng …"): each body's standing duty
    r"|\bchủ động (?:cân đối )?bố trí\b[^.;]*\bngân sách\b|\blập kế hoạch, dự toán, quyết toán\b"
    # a procedure another text sets ("thực hiện theo điểm 2.7 khoản 2 Mục I Hướng dẫn số
    # 01-HD/BTCTU", "thực hiện tương tự như khoản 3 Mục III …"), who decides ("Thẩm quyền quyết
    # định …: Ban Thường vụ Đảng ủy cấp xã") (CV 4169/UBND-VX)
    r"|^thực hiện (?:theo|tương tự(?: như)?) (?:điểm|khoản|mục|điều)\b|^thẩm quyền\b"
    # a standing role: "Là cơ quan đầu mối chủ trì tổ chức thực hiện, theo dõi, đôn đốc …" (QĐ
    # 2954), "Là cơ quan thường trực, chủ trì tham mưu …", "Là cầu nối giữa doanh nghiệp với …"
    # (KH 552); TODO confirm: KH 617's expected draft counts "Là cơ quan đầu mối, chủ trì, phối
    # hợp … tham mưu …" as a task, the two others do not
    r"|^là (?:cơ quan|đơn vị) (?:đầu mối|thường trực)\b|^là cầu nối\b",
    re.IGNORECASE,
)
# A role heading over the bullets below it, no work itself: "a) Chủ trì, phối hợp với các sở,
# ban, ngành, UBND các xã, phường và cơ quan, đơn vị có liên quan", "b) Phối hợp với các sở,
# ngành, UBND các xã, phường" (QĐ 2954/QĐ-UBND Sơn La): partners and no verb after them.
_ROLE_HEADING = re.compile(
    r"^(?:chủ trì,?\s*)?phối hợp(?:\s+với\s+(?P<partners>[^.;]*?))?\s*:?$", re.I
)
# "chịu trách nhiệm về …" restates a duty; "chịu trách nhiệm tham mưu …" gives work.
_DUTY = re.compile(r"(?<=chịu trách nhiệm)\s+(?:về|toàn diện|trước|thi hành)\b")
# Words between the owner and its verb that are not part of its name.
# "sẽ" / "phải" before the verb promise the work ("Văn phòng sẽ phối hợp …"); "được phân công"
# says who was given it ("các sở, ngành … được phân công chủ trì …").
_ROLE = re.compile(
    r"\s(?:theo chức năng|căn cứ chức năng|căn cứ|sẽ|phải|được phân công|được giao)(?!\w)"
)
# Where a second body's name starts: "3. Cục Điện ảnh, Cục Du lịch Quốc gia Việt Nam" is two.
_NEXT_OWNER = re.compile(
    r"(?:;|,)\s+(?=(?:Sở|Bộ(?! trưởng)|Ủy ban|Uỷ ban|UBND|Hội|Hiệp hội|Liên minh|Chủ tịch|Văn phòng"
    r"|Công an|Tập đoàn|Ban|Cục(?! trưởng)|Đoàn|Liên đoàn|Mặt trận|Trung tâm|Đài|Kho bạc"
    r"|Thanh tra|Ngân hàng|Bảo hiểm|Viện|Cổng)\s)"
    # "các sở, ngành liên quan và Ủy ban nhân dân các xã": "và" before a body's own word joins
    # two bodies ("Sở Văn hóa, Thể thao và Du lịch" is one: "Du lịch" names no body)
    r"|\s+và\s+(?=(?:các\s|(?:Sở|Bộ(?! trưởng)|Ủy ban|Uỷ ban|UBND|Chủ tịch|Tập đoàn)\s))"
    r"|,\s+(?=các\s)"  # "…, cơ quan hành chính khác, các đơn vị sự nghiệp …": a second body
)
# "các Bộ: Công an, Tài chính, Nông nghiệp và Môi trường": one kind of body, then its names.
_KIND_LIST = re.compile(
    r"^(?:các|Các)\s+(?P<kind>Bộ|Sở|Tập đoàn|Tổng công ty|Ban|Cục)\s*:\s*(?P<names>.+)$"
)
_SOME = re.compile(r"^(?:các|những)\s")
_BRACKETED = re.compile(r"\([^()]*\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")
# Where a lead-in's clause may start: the sentence's start, after a comma or semicolon, or at
# "giao / đề nghị / yêu cầu" within it.
_LEAD_IN_CLAUSE = re.compile(r"^|(?<=[,;])\s+|\s(?=(?:giao|đề nghị|yêu cầu)\s)")
# A lead-in whose items are tasks ends by announcing them ("… một số nhiệm vụ trọng tâm sau:",
# "… chỉ đạo:"); one that lists points to heed ("… lưu ý một số nội dung sau:") is a task itself.
_ANNOUNCES_TASKS = re.compile(
    r"(?:\b(?:nhiệm vụ|công việc|hoạt động)(?: [^\s:,;]+){0,3} sau"
    # "… thực hiện tốt một số nội dung trọng tâm sau:" (to carry out, not to heed)
    r"|\bthực hiện(?: tốt)? (?:một số|các) nội dung(?: [^\s:,;]+){0,3} sau"
    r"|\s(?:chỉ đạo|thực hiện|triển khai|có trách nhiệm|chịu trách nhiệm))\s*:\s*$"
)
# A heading naming a class of bodies by what they are: "5. Các chủ rừng là tổ chức (các Ban
# quản lý rừng …)", "Các doanh nghiệp là hộ kinh doanh"; its items are the class's (a group).
_CLASS = re.compile(
    r"^Các [^\W\d][^,.;:()]{1,40}? là (?:tổ chức|cá nhân|doanh nghiệp|hộ gia đình|hộ kinh doanh)$"
)
# "Sở Nội vụ (Cơ quan thường trực Ban Vì sự tiến bộ phụ nữ …)": an aside after the name says
# what the body also is; it names no second body.
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")
MAX_OWNER_WORDS = 30
MAX_HEADING_WORDS = 16
MAX_LEAD_COMMAS = 3


def unnumbered(text: str) -> str:
    """The item without its numbering ("1.1. Giao Sở X" → "Giao Sở X")."""
    return NUMBERING.sub("", text, count=1).strip()


_DUTY_ENDING = re.compile(r"\s+(?:có|chịu) trách nhiệm\s*:?$")


def owner_heading(text: str) -> str | None:
    """A heading that only names an owner, with no colon and no verb: "2. Giao Sở Tư pháp",
    "1. Đối với các bộ, ngành, cơ quan thuộc Chính phủ", "6. Đề nghị: Hiệp hội …", a numbered
    unit name alone ("1. Sở Khoa học và Công nghệ") or class of bodies ("5. Các chủ rừng là tổ
    chức (…)") → the owner, prefix and aside dropped."""
    body = without_aside(unnumbered(text).rstrip(" .;"))
    # "11. Các đơn vị cấp nước sạch trên địa bàn thành phố có trách nhiệm" (CT 09/CT-UBND)
    body = _DUTY_ENDING.sub("", body)
    if _NUMBERED.match(text) and _CLASS.match(body):
        return body
    if _VERB.search(f" {body}"):
        return None
    prefix = _HEADING_PREFIX.match(body)
    if prefix is None:
        named = _NUMBERED.match(text) and _UNIT_WORD.match(f"{body} ")
        short = len(body.split()) <= MAX_HEADING_WORDS
        return body if named and short and _is_name(body) else None
    name = body[prefix.end() :].split(";")[0].strip(" ,:")
    if fold(prefix.group(0)).startswith("doi voi") and not (
        name[:1].isupper() or _SOME.match(name)
    ):
        return None  # "1.3. Đối với công tác lựa chọn nhà đầu tư:": a topic, not a body
    return name if _is_name(name) else None


def without_aside(name: str) -> str:
    """ "Sở Nội vụ (Cơ quan thường trực Ban Vì sự tiến bộ phụ nữ …)" → "Sở Nội vụ": the aside
    says what the body also is, it is no part of its name (nor a second body)."""
    return _ASIDE.sub("", name)


def split_owners(owners: str) -> tuple[str, ...]:
    """Several bodies named together ("Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường";
    "Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh"): the first is the owner, the rest are
    named in a note. A list inside one name ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ") stays;
    an aside in brackets after the names is dropped."""
    parts = (part.strip(" ,;") for part in _NEXT_OWNER.split(without_aside(owners)))
    return tuple(owner for part in parts if part for owner in kind_list(part))


def kind_list(owners: str) -> tuple[str, ...]:
    """ "các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đội" →
    "Tập đoàn Bưu chính Viễn thông Việt Nam", "Tập đoàn Công nghiệp - Viễn thông Quân đội"."""
    listed = _KIND_LIST.match(owners)
    if listed is None:
        return (owners,)
    # "các Bộ: Nông nghiệp và Môi trường; Xây dựng; Khoa học và Công nghệ" (CV 174/CV-BCĐ)
    names = (name.strip(" ,;.") for name in re.split(r"[,;]", listed.group("names")))
    return tuple(f"{listed.group('kind')} {name}" for name in names if name)


def gives_no_work(sentence: str) -> bool:
    """A standing duty, a step taken only "if", a lead-in, a request to every addressee or a
    general duty."""
    text = unnumbered(sentence)
    return bool(_NOT_WORK.search(text)) or general_duty(text)


def general_duty(text: str) -> bool:
    """Work "within one's remit", cooperation in carrying out the text itself, attention, a
    standing role; also after a topic ("- Về phương pháp, quy trình …: thực hiện theo khoản 6
    Mục III Hướng dẫn số 01-HD/BTCTU")."""
    body = unnumbered(text)
    return bool(_GENERAL_DUTY.search(body) or _GENERAL_DUTY.search(after_topic(body)))


def without_general_duties(text: str) -> str:
    """The sentences of `text` that are not general duties: "Căn cứ chức năng, nhiệm vụ …, tổ
    chức triển khai thực hiện đảm bảo đúng yêu cầu, đạt hiệu quả cao. Định kỳ hàng tháng
    (trước ngày 16 hàng tháng) … báo cáo …" keeps its report (QĐ 2954/QĐ-UBND, V.1)."""
    return " ".join(s for s in _SENTENCE.split(text) if not general_duty(s))


def role_heading(text: str) -> bool:
    """ "a) Chủ trì, phối hợp với …", "b) Phối hợp với …": the role of the owner above in the
    bullets below, no work itself (the bullets stay the owner's)."""
    role = _ROLE_HEADING.match(unnumbered(text))
    return role is not None and not _VERB.search(" " + (role.group("partners") or ""))


def assigned_owner(sentence: str) -> str | None:
    """The body a sentence gives work to, as written: after "Giao/Đề nghị/Yêu cầu", or the
    subject before its verb ("Bộ Xây dựng khẩn trương …"), also after an opening clause
    ("Trên cơ sở kết quả khảo sát, Sở Xây dựng chủ trì …"); None when it assigns nothing."""
    text = after_topic(unnumbered(sentence))
    if _NOT_WORK.search(text) or general_duty(text):
        return None
    prefix = _PREFIX.match(text)
    if prefix:
        return _name_before_verb(text[prefix.end() :], subject=False)
    found = _name_before_verb(text, subject=True)
    if found:
        return found
    if not _LEAD.match(text):
        return None
    # "Đối với 355 nhiệm vụ cần ban hành văn bản để hướng dẫn thực hiện (… Báo cáo số 11296 …),
    # các Bộ … khẩn trương …" (CV 174/CV-BCĐ): a topic, whatever words it holds; an aside in
    # brackets is no clause of the sentence
    topic = text.startswith("Đối với")
    masked = _BRACKETED.sub(lambda aside: "(" + "_" * (len(aside.group(0)) - 2) + ")", text)
    for lead, _ in zip(re.finditer(r",\s+", masked), range(MAX_LEAD_COMMAS), strict=False):
        # a verb before the comma makes what follows its object ("… phải tham mưu cho UBND
        # tỉnh, Chủ tịch UBND tỉnh …"), not a new subject
        before = masked[: lead.start()]
        if not topic and (_PAST.search(before) or _VERB.search(before)):
            return None
        rest = text[lead.end() :]
        asked = _PREFIX.match(rest)  # "…, yêu cầu các Bộ: Nông nghiệp …; Xây dựng … xây dựng …"
        if asked:
            found = _name_before_verb(rest[asked.end() :], subject=False)
        else:
            found = _name_before_verb(rest, subject=True)
        if found:
            return found
    return None


def addressed(text: str) -> str | None:
    """The bodies a request is addressed to, whatever it asks: "yêu cầu các Sở, ban, ngành
    Thành phố, UBND phường, xã … nghiêm túc triển khai thực hiện" → "các Sở, ban, ngành …" (the
    request gives no work itself, a dated clause after it may)."""
    prefix = _PREFIX.match(text)
    return _name_before_verb(text[prefix.end() :], subject=False) if prefix else None


def after_topic(text: str) -> str:
    """ "Về dự án …: Bộ Xây dựng khẩn trương …" is read from after the topic's colon; a topic
    with a colon of its own ("Về …: tăng số lượng …: giao Bộ Nội vụ …") ends at the colon an
    assignment follows."""
    if not text.startswith("Về ") or ": " not in text:
        return text
    parts = text.split(": ")
    for index in range(1, len(parts)):
        rest = ": ".join(parts[index:])
        if _PREFIX.match(rest) or _UNIT_WORD.match(rest):
            return rest
    return ": ".join(parts[1:])


def lead_in_owner(text: str) -> str | None:
    """The body a lead-in gives the items below it: "Giao Ban cán sự đảng UBND tỉnh chỉ
    đạo:", "…, Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành uỷ cụ thể hoá để tổ
    chức thực hiện, trong đó, cần tập trung một số nhiệm vụ trọng tâm sau:"."""
    if not _ANNOUNCES_TASKS.search(text):
        return None
    last = _SENTENCE.split(unnumbered(text))[-1]
    # a request names whom it asks, whatever stands before it ("Thực hiện Kết luận …, Ban Chỉ
    # đạo … yêu cầu các đồng chí Bộ trưởng … khẩn trương chỉ đạo thực hiện các nội dung sau:")
    clauses = list(_LEAD_IN_CLAUSE.finditer(last))
    asking = [c for c in clauses if _PREFIX.match(last[c.end() :])]
    for clause in asking or clauses:
        rest = last[clause.end() :]
        asked = _PREFIX.match(rest)
        if asked:
            found = _name_before_verb(rest[asked.end() :], subject=False)
        else:
            found = _name_before_verb(rest, subject=True)
        if found:
            return found
    return None


def _name_before_verb(text: str, *, subject: bool) -> str | None:
    if subject and not _UNIT_WORD.match(text):
        return None
    verb = _VERB.search(text)
    if verb is None or _DUTY.match(text, verb.end()):
        return None
    name = _ROLE.split(text[: verb.start()], maxsplit=1)[0].strip(" ,")
    return name if _is_name(name) else None


def before_verb(text: str) -> str:
    """ "Ủy ban nhân dân tỉnh bố trí kinh phí …" → "Ủy ban nhân dân tỉnh": a name up to the verb
    of what its body is asked to do (the text itself when none follows)."""
    verb = _VERB.search(text)
    return text[: verb.start()].strip(" ,") if verb else text


def is_body(name: str) -> bool:
    """Whether `name` names a body ("Bộ Tài chính"), not a clause: it is what may stand before
    a request ("Bộ Tài chính trân trọng đề nghị …")."""
    return bool(_UNIT_WORD.match(f"{name} ")) and _is_name(name)


def _is_name(name: str) -> bool:
    words = [word for word in name.split() if any(c.isalnum() for c in word)]  # "-" is no word
    return (
        0 < len(words) <= MAX_OWNER_WORDS
        and not _NOT_A_NAME.search(name)
        and not _THINGS.match(name)
    )
