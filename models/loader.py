"""Read a plan file: YAML with line numbers → spec → checks → domain plan, or a PlanError."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from models import validate
from models.errors import PlanError, Problem
from models.plan import Plan, build_plan
from models.spec import PlanSpec
from models.spec_messages import PLAIN_KEY, pydantic_message

# Limits on hostile or broken input (docs/plan-format.md, "Limits"): far above any real plan.
MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 16  # nesting of mappings and lists; a plan needs 5 (deliverables[0].due.before)
MAX_VALUES = 500_000  # values after YAML aliases are expanded (a "billion laughs" stops here)
PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class LoadedPlan:
    """A valid plan with what it was read from (kept so a load can be made idempotent)."""

    plan: Plan
    text: str
    warnings: list[Problem]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    # Dates stay strings so an impossible date (2023-02-30) is reported by pydantic with its
    # path, instead of failing inside the YAML parser without one.
    yaml.constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
    )
    return yaml


def read_plan_file(path: Path | str) -> LoadedPlan:
    """Load and check a plan file; every failure is a PlanError naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(str(path), [Problem(_unreadable(exc))]) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise PlanError(str(path), [Problem(_too_large(len(raw)))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"tệp không phải văn bản UTF-8 (byte thứ {exc.start}): hãy lưu lại với mã UTF-8"
        raise PlanError(str(path), [Problem(message)]) from exc
    return read_plan_text(text, str(path))


def read_plan_text(text: str, source: str = "<plan>") -> LoadedPlan:
    """Load and check plan text; `source` names it in error messages."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise PlanError(source, [Problem(_too_large(size))])
    document = _parse_yaml(text, source)
    try:
        spec = PlanSpec.model_validate(_Plain(source).convert(document))
    except ValidationError as exc:
        raise PlanError(source, [_from_pydantic(err, document) for err in exc.errors()]) from exc
    errors, warnings = validate.check(spec)
    if errors:
        raise PlanError(source, [_locate(p, document) for p in errors])
    return LoadedPlan(build_plan(spec), text, [_locate(w, document) for w in warnings])


def _unreadable(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "không tìm thấy tệp: kiểm tra lại đường dẫn"
    if isinstance(exc, IsADirectoryError):
        return "đây là thư mục, không phải tệp kế hoạch"
    if isinstance(exc, PermissionError):
        return "không có quyền đọc tệp"
    return f"không đọc được tệp ({exc.strerror})"


def _too_large(size: int) -> str:
    return f"tệp quá lớn ({size} byte, tối đa {MAX_FILE_BYTES} byte)"


MALFORMED = "YAML sai cú pháp"
DUPLICATE_KEY = re.compile(r"found duplicate key (\S+)")


def _yaml_hint(context: str, problem: str) -> str:
    """What to fix, in words, for the parser's usual complaints (its own text otherwise)."""
    duplicate = DUPLICATE_KEY.search(problem)
    if duplicate:
        return f"mục {duplicate.group(1)} được ghi hai lần: chỉ giữ một lần"
    if "'\\t'" in problem:
        return "có ký tự tab: hãy thụt lề bằng dấu cách"
    if "mapping values are not allowed" in problem:
        return "dấu ':' đặt sai chỗ: nếu giá trị có dấu ':', hãy đặt nó trong ngoặc kép"
    if "quoted scalar" in context:
        return "thiếu dấu ngoặc kép đóng"
    if "flow" in context:
        return "thiếu hoặc thừa dấu ngoặc [ ] hoặc { }, hoặc dấu ','"
    details = " ".join(p for p in (context, problem) if p)
    return f"kiểm tra thụt lề, dấu ':' và dấu ngoặc ở dòng này (trình đọc YAML báo: {details})"


def _parse_yaml(text: str, source: str) -> Any:
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        hint = _yaml_hint(str(exc.context or ""), str(exc.problem or ""))
        raise PlanError(source, [Problem(f"{MALFORMED}: {hint}", line=line)]) from exc
    except ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1 if exc.position is not None else None
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else exc.character
        message = f"{MALFORMED}: có ký tự {shown} không được phép, hãy xóa ký tự này"
        raise PlanError(source, [Problem(message, line=line)]) from exc
    except YAMLError as exc:
        raise PlanError(source, [Problem(f"{MALFORMED} ({exc})")]) from exc
    except RecursionError as exc:  # ruamel composes nested nodes recursively
        problem = Problem(f"{MALFORMED}: lồng nhau quá {MAX_DEPTH} cấp")
        raise PlanError(source, [problem]) from exc
    except ValueError as exc:  # an integer of more than 4300 digits (Python's own limit)
        problem = Problem(f"{MALFORMED}: có một số quá dài (hơn 4300 chữ số)")
        raise PlanError(source, [problem]) from exc
    if not isinstance(document, CommentedMap):
        message = "tệp kế hoạch phải gồm các mục dạng 'tên: giá trị' (code:, title:, units:, …)"
        raise PlanError(source, [Problem(message, line=1)])
    return document


class _Plain:
    """ruamel's commented containers as plain dicts and lists (pydantic wants those), refusing
    documents nested too deeply or that expand (through aliases) to too many values."""

    def __init__(self, source: str):
        self.source = source
        self.values = 0
        self.document: Any = None

    def convert(self, document: Any) -> Any:
        self.document = document
        return self._plain(document, ())

    def _plain(self, node: Any, path: tuple[Any, ...]) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            self._refuse(
                f"quá {MAX_VALUES} giá trị sau khi mở rộng các tham chiếu YAML (*name)", path
            )
        if isinstance(node, dict | list) and len(path) >= MAX_DEPTH:
            self._refuse(f"lồng nhau quá {MAX_DEPTH} cấp", path)
        if isinstance(node, dict):
            return {_plain_key(k): self._plain(v, (*path, _plain_key(k))) for k, v in node.items()}
        if isinstance(node, list):
            return [self._plain(v, (*path, i)) for i, v in enumerate(node)]
        return node

    def _refuse(self, message: str, path: tuple[Any, ...]) -> None:
        problem = Problem(message, _path(path), _line_at(path, self.document))
        raise PlanError(self.source, [problem])


def _bool_key(key: bool) -> str:
    # YAML 1.1 tools read an unquoted `on:` as true; accept it as the `on` deadline form.
    return "on" if key else "off"


def _from_pydantic(error: Mapping[str, Any], document: Any) -> Problem:
    loc = error["loc"]
    return Problem(pydantic_message(error), _path(loc), _line_at(loc, document))


def _path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        else:
            text = str(key) if PLAIN_KEY.match(str(key)) else repr(str(key))
            parts.append(f".{text}" if parts else text)
    return "".join(parts)


def _locate(problem: Problem, document: Any) -> Problem:
    """Attach the line of the deepest node of `problem.path` that exists in the YAML."""
    if problem.line is not None:
        return problem
    loc = [int(index) if index else name for name, index in PATH_PART.findall(problem.path)]
    return Problem(problem.message, problem.path, _line_at(tuple(loc), document))


def _line_at(loc: tuple[Any, ...], document: Any) -> int | None:
    """The line of the deepest node of `loc` (keys as pydantic gives them) found in the YAML."""
    node, line = document, None
    for key in loc:
        if isinstance(node, CommentedMap):
            found = _original_key(node, key)
            if found is _MISSING:
                break
            line = node.lc.key(found)[0] + 1
            node = node[found]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


_MISSING = object()


def _original_key(node: CommentedMap, key: Any) -> Any:
    """The YAML key behind a converted one (`1` behind '1', True behind 'on')."""
    if not isinstance(key, int | str):
        return _MISSING
    if key in node:
        return key
    return next((k for k in node if _plain_key(k) == key), _MISSING)


def _plain_key(key: Any) -> str:
    return _bool_key(key) if isinstance(key, bool) else str(key)
