"""Read a plan file: YAML with line numbers → spec → checks → domain plan, or a PlanError."""

from __future__ import annotations

import hashlib
import re
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

# Limits on hostile or broken input (docs/plan-format.md, "Limits"): far above any real plan.
MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 16  # nesting of mappings and lists; a plan needs 5 (deliverables[0].due.before)
MAX_VALUES = 500_000  # values after YAML aliases are expanded (a "billion laughs" stops here)
PLAIN_KEY = re.compile(r"^[\w-]+$")  # keys shown as they are in a path; others quoted
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
        raise PlanError(str(path), [Problem(f"cannot read the file: {exc.strerror}")]) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise PlanError(
            str(path), [Problem(f"file too large ({len(raw)} bytes, at most {MAX_FILE_BYTES})")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(str(path), [Problem(f"not UTF-8 text (byte {exc.start})")]) from exc
    return read_plan_text(text, str(path))


def read_plan_text(text: str, source: str = "<plan>") -> LoadedPlan:
    """Load and check plan text; `source` names it in error messages."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise PlanError(
            source, [Problem(f"file too large ({size} bytes, at most {MAX_FILE_BYTES})")]
        )
    document = _parse_yaml(text, source)
    try:
        spec = PlanSpec.model_validate(_Plain(source).convert(document))
    except ValidationError as exc:
        raise PlanError(source, [_from_pydantic(err, document) for err in exc.errors()]) from exc
    errors, warnings = validate.check(spec)
    if errors:
        raise PlanError(source, [_locate(p, document) for p in errors])
    return LoadedPlan(build_plan(spec), text, [_locate(w, document) for w in warnings])


def _parse_yaml(text: str, source: str) -> Any:
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise PlanError(source, [Problem(f"malformed YAML: {message}", line=line)]) from exc
    except ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1 if exc.position is not None else None
        message = f"malformed YAML: character {exc.character!r} is not allowed in YAML text"
        raise PlanError(source, [Problem(message, line=line)]) from exc
    except YAMLError as exc:
        raise PlanError(source, [Problem(f"malformed YAML: {exc}")]) from exc
    except RecursionError as exc:  # ruamel composes nested nodes recursively
        problem = Problem(f"malformed YAML: nested more than {MAX_DEPTH} levels deep")
        raise PlanError(source, [problem]) from exc
    except ValueError as exc:  # an integer of more than 4300 digits (Python's own limit)
        reason = str(exc).split(";")[0]
        raise PlanError(source, [Problem(f"malformed YAML: a value too large ({reason})")]) from exc
    if not isinstance(document, CommentedMap):
        message = "a plan file must be a YAML mapping (code:, title:, units:, …)"
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
                f"more than {MAX_VALUES} values once YAML aliases (*name) are expanded", path
            )
        if isinstance(node, dict | list) and len(path) >= MAX_DEPTH:
            self._refuse(f"nested more than {MAX_DEPTH} levels deep", path)
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


def _from_pydantic(error: dict[str, Any], document: Any) -> Problem:
    loc = error["loc"]
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = f"unknown field {_name(loc[-1])}"
    elif error["type"] == "missing":
        message = f"missing required field {_name(loc[-1])}"
    elif error["type"] == "value_error":  # our own validators: their message, without a prefix
        message = str(error.get("ctx", {}).get("error", message))
    elif error["type"] == "string_pattern_mismatch":
        shown = _name(error["input"][:80])
        message = f"invalid value {shown}: codes are lowercase letters, digits and '-'"
    return Problem(message, _path(loc), _line_at(loc, document))


def _name(key: Any) -> str:
    """A key or value quoted for a message: 'title'; odd characters (line breaks) escaped."""
    text = str(key)
    return f"'{text}'" if PLAIN_KEY.match(text) else repr(text)


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
