"""Read a plan file: YAML with line numbers → spec → checks → domain plan, or a PlanError."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from models import validate
from models.errors import PlanError, Problem
from models.plan import Plan, build_plan
from models.spec import PlanSpec

MAX_FILE_BYTES = 2_000_000


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
    document = _parse_yaml(text, source)
    try:
        spec = PlanSpec.model_validate(_plain(document))
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
    except YAMLError as exc:
        raise PlanError(source, [Problem(f"malformed YAML: {exc}")]) from exc
    if not isinstance(document, CommentedMap):
        raise PlanError(
            source, [Problem("a plan file must be a YAML mapping (code:, title:, units:, …)")]
        )
    return document


def _plain(node: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists (pydantic wants those)."""
    if isinstance(node, dict):
        return {
            str(k) if isinstance(k, bool) is False else _bool_key(k): _plain(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _bool_key(key: bool) -> str:
    # YAML 1.1 tools read an unquoted `on:` as true; accept it as the `on` deadline form.
    return "on" if key else "off"


def _from_pydantic(error: dict[str, Any], document: Any) -> Problem:
    path = _path(error["loc"])
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = f"unknown field '{error['loc'][-1]}'"
    elif error["type"] == "missing":
        message = f"missing required field '{error['loc'][-1]}'"
    elif error["type"] == "value_error":  # our own validators: their message, without a prefix
        message = str(error.get("ctx", {}).get("error", message))
    elif error["type"] == "string_pattern_mismatch":
        message = f"invalid value {error['input']!r}: codes are lowercase letters, digits and '-'"
    return _locate(Problem(message, path), document)


def _path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        else:
            parts.append(f".{key}" if parts else str(key))
    return "".join(parts)


def _locate(problem: Problem, document: Any) -> Problem:
    """Attach the line of the deepest node of `problem.path` that exists in the YAML."""
    if problem.line is not None:
        return problem
    line = _line_of(problem.path, document)
    return Problem(problem.message, problem.path, line)


def _line_of(path: str, document: Any) -> int | None:
    import re

    node, line = document, None
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        key: Any = int(index) if index else name
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line
