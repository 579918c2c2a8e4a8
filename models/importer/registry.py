"""Known administrative units and groups: built-in YAML per province, plus the user's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from models.importer.abbreviations import expand
from models.importer.names import fold, fold_name
from models.importer.problems import DocumentError
from models.spec import Code, Email
from models.spec_messages import pydantic_message

BUILTIN_DIR = Path(__file__).parent / "registry"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KnownUnit(_Entry):
    """A unit documents name (`Văn phòng Tỉnh ủy`) and the code plans give it (`vptu`)."""

    code: Code
    name: str
    aliases: tuple[str, ...] = ()
    leader: bool = False
    email: Email | None = None
    head_email: Email | None = None


class KnownGroup(_Entry):
    """A collective owner (`các huyện, thành, thị ủy`) and the units it stands for."""

    code: Code
    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[Code, ...] = Field(min_length=1)


class RegistryFile(_Entry):
    """One registry YAML file; `detect` names make a built-in apply to a document."""

    province: str = ""
    detect: tuple[str, ...] = ()
    units: tuple[KnownUnit, ...] = ()
    groups: tuple[KnownGroup, ...] = ()


@dataclass(frozen=True)
class Registry:
    """The units and groups an import may name, looked up by folded name or alias."""

    province: str = ""
    units: tuple[KnownUnit, ...] = ()
    groups: tuple[KnownGroup, ...] = ()
    _names: dict[str, KnownUnit | KnownGroup] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        entries: tuple[KnownUnit | KnownGroup, ...] = (*self.units, *self.groups)
        for entry in entries:
            for name in (entry.name, *entry.aliases):
                self._names.setdefault(fold_name(name), entry)
                # "UBND tỉnh" and "Ủy ban nhân dân tỉnh" are one name (abbreviations.yaml)
                self._names.setdefault(fold_name(expand(name)), entry)

    def lookup(self, name: str) -> KnownUnit | KnownGroup | None:
        """The entry a name stands for, as written or with its abbreviations in full."""
        return self._names.get(fold_name(name)) or self._names.get(fold_name(expand(name)))

    def names(self) -> dict[str, KnownUnit | KnownGroup]:
        """Folded name → entry, longest first (so the longest name at a place wins)."""
        return dict(sorted(self._names.items(), key=lambda item: -len(item[0])))

    def unit(self, code: str) -> KnownUnit | None:
        return next((u for u in self.units if u.code == code), None)


def read_registry_file(path: Path) -> RegistryFile:
    """A registry YAML file, or a DocumentError naming the file and the fault."""
    try:
        document = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise DocumentError(path, f"không đọc được danh mục đơn vị: {exc}") from exc
    try:
        return RegistryFile.model_validate(document or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = f"danh mục đơn vị sai ở {where}: {pydantic_message(first)}"
        raise DocumentError(path, message) from exc


def builtin_registries() -> list[RegistryFile]:
    return [read_registry_file(path) for path in sorted(BUILTIN_DIR.glob("*.yaml"))]


def choose_registry(text: str, extra: list[RegistryFile]) -> Registry:
    """The built-in registry of the province the document names most, then the user's
    files on top (a user entry replaces a built-in one with the same code)."""
    folded = fold(text)
    scored = [(sum(folded.count(fold(name)) for name in r.detect), r) for r in builtin_registries()]
    scored = [(score, r) for score, r in scored if score > 0]
    chosen = [max(scored, key=lambda pair: pair[0])[1]] if scored else []
    units: dict[str, KnownUnit] = {}
    groups: dict[str, KnownGroup] = {}
    for registry in (*chosen, *extra):
        units.update({u.code: u for u in registry.units})
        groups.update({g.code: g for g in registry.groups})
    province = next((r.province for r in (*extra, *chosen) if r.province), "")
    return Registry(province, tuple(units.values()), tuple(groups.values()))
