"""`dondoc web` driven in the demo's own process, at the replay's clock: a unit opens the link
of its latest e-mail and posts its page's forms; a coordinator logs in to the console and
posts its forms. Every request goes through the app `dondoc web` serves (the same routes,
CSRF tokens, upload checks and domain code), on Starlette's in-process client, so the demo
needs no port and no browser."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

with warnings.catch_warnings():  # Starlette 1.x prefers httpx2; httpx (Prefect's) works alike
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from flows.demo.documents import one_page_pdf
from flows.demo.web_story import Act, WebStep
from flows.runtime import Runtime
from flows.web.app import create_app
from notifications.links import LINK_PATH, LinkRefused, verify

COORDINATOR = "vptu.dieuphoi"
COORDINATOR_NAME = "Nguyễn Văn Bình (Văn phòng Tỉnh ủy)"
COORDINATOR_PASSWORD = "bản demo, không dùng thật 2023"  # the demo's own account
CONSOLE_ACTION = {Act.RETURN: "tra-lai", Act.ACCEPT: "chap-nhan", Act.GRANT: "duyet-gia-han"}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LINK = re.compile(rf"/{LINK_PATH}/([A-Za-z0-9_.\-]+)")


class WebStepFailed(RuntimeError):
    """A step of the story the app did not carry out (a bug of the demo or of the app)."""


class WebDesk:
    """The app at a clock the replay sets (`now`), and the links the units received."""

    def __init__(
        self, runtime: Runtime, plan: str, outbox: Path, client: TestClient, clock: Clock
    ) -> None:
        self.runtime = runtime
        self.plan = plan
        self.outbox = outbox
        self.client = client
        self.clock = clock

    def do(self, step: WebStep, now: datetime) -> None:
        """Carry out `step` at `now` as its actor would on the web."""
        self.clock.now = now
        if step.act.by_unit:
            self._as_unit(step)
        else:
            self._as_coordinator(step)

    def _as_unit(self, step: WebStep) -> None:
        token = self.link_of(step.deliverable, step.unit)
        page = self._get(f"/{LINK_PATH}/{token}")
        base = f"/{LINK_PATH}/{token}"
        fields = {"csrf": _csrf(page)}
        if step.act is Act.ACKNOWLEDGE:
            self._post(f"{base}/da-nhan", step, data=fields)
        elif step.act is Act.ASK:
            fields |= {"han_de_nghi": step.until, "ly_do": step.text}
            self._post(f"{base}/xin-gia-han", step, data=fields)
        else:
            fields |= {"nguoi_gui": step.sender, "ghi_chu": step.text}
            fields |= {f"so_lieu.{name}": value for name, value in step.figures.items()}
            now = self.clock.now
            name = f"bao-cao-{step.unit}-{now:%d%m%H%M}.pdf"
            pdf = one_page_pdf(f"Bao cao {step.deliverable} - {step.unit} - {now:%d/%m/%Y %H:%M}")
            files = [("tep", (name, pdf, "application/pdf"))]
            self._post(f"{base}/nop", step, data=fields, files=files)

    def _as_coordinator(self, step: WebStep) -> None:
        page = self.client.get("/dieu-phoi")
        if page.status_code == 303:  # not logged in yet, or idle too long since (a new day)
            self._log_in()
            page = self.client.get("/dieu-phoi")
        if page.status_code != 200:
            raise WebStepFailed(f"GET /dieu-phoi: HTTP {page.status_code}")
        fields = {
            "csrf": _csrf(page.text),
            "plan": self.plan,
            "deliverable": step.deliverable,
            "unit": step.unit,
            "note": step.text,
            "until": step.until,
        }
        self._post(f"/dieu-phoi/{CONSOLE_ACTION[step.act]}", step, data=fields)

    def _log_in(self) -> None:
        page = self._get("/dang-nhap")
        fields = {"csrf": _csrf(page), "username": COORDINATOR, "password": COORDINATOR_PASSWORD}
        response = self.client.post("/dang-nhap", data=fields)
        if response.status_code != 303 or "dieu-phoi" not in response.headers.get("location", ""):
            status = response.status_code
            raise WebStepFailed(f"đăng nhập bảng điều phối không được (HTTP {status})")

    def link_of(self, deliverable: str, unit: str) -> str:
        """The token of the newest e-mail the unit got that links to this assignment's page."""
        secret = self.runtime.checking_secret()
        found: list[tuple[datetime, str]] = []
        for eml in self.outbox.glob("*.eml"):
            for token in LINK.findall(_plain_text(eml)):
                try:
                    claim = verify(secret or "", token)
                except LinkRefused:
                    continue
                if (claim.deliverable, claim.unit) == (deliverable, unit):
                    found.append((claim.signed_at, token))
        if not found:
            raise WebStepFailed(f"đơn vị {unit} chưa nhận thư nào có liên kết tới {deliverable}")
        return max(found)[1]

    def _get(self, path: str) -> str:
        response = self.client.get(path)
        if response.status_code != 200:
            raise WebStepFailed(f"GET {path}: HTTP {response.status_code}")
        return response.text

    def _post(self, path: str, step: WebStep, **sent: object) -> None:
        response = self.client.post(path, **sent)
        if response.status_code != 303:
            said = _said(response.text)
            raise WebStepFailed(f"{step.act} {step.deliverable}/{step.unit}: {said}")


def _plain_text(eml: Path) -> str:
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    return body.get_content() if body is not None else ""


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise WebStepFailed("trang không có biểu mẫu (thiếu mã xác nhận)")
    return found.group(1)


def _said(page: str) -> str:
    """The page's message to the reader, for the error (its first paragraph of class error)."""
    found = re.search(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', page, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else page[:200]


@contextmanager
def web_desk(runtime: Runtime, plan: str, outbox: Path, since: datetime) -> Iterator[WebDesk]:
    """The desk on `runtime`'s database, with the demo's coordinator account (made at `since`,
    through the code of `dondoc user add`)."""
    from models.accounts import Role
    from models.storage.accounts import add_account

    with runtime.session() as session:
        role = Role.COORDINATOR
        add_account(session, COORDINATOR, COORDINATOR_NAME, role, COORDINATOR_PASSWORD, since)
    clock = Clock(since)
    app = create_app(runtime, clock=clock)
    # The links name `dondoc web`'s address; in process, only their token matters.
    with TestClient(app, base_url="http://127.0.0.1:8765", follow_redirects=False) as client:
        yield WebDesk(runtime, plan, outbox, client, clock)


class Clock:
    """The app's clock: the moment of the step being carried out."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
