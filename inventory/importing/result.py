"""What an import did (or, on a dry run, would do)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass


# a slotted dataclass, not a model: a names-only sheet of 700,000 rows makes as many (80 bytes each, not 500)
@dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True,
                                                      use_attribute_docstrings=True))
class DerivedId:
    """A system the sheet named without an id, and the id the import gave it."""

    file: str
    row: int
    name: str
    id: str
    registered_by_name: bool = False
    """True when the id is that of a system already registered under this name (rather than made
    from the name), so re-importing updates it instead of adding a second one."""


class ImportResult(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True, use_attribute_docstrings=True)

    added: list[str] = Field(default_factory=list)
    changed: dict[str, dict[str, list[Any]]] = Field(default_factory=dict)
    """system id -> field -> [from, to]."""
    unchanged: list[str] = Field(default_factory=list)
    links_added: list[str] = Field(default_factory=list)
    links_changed: list[str] = Field(default_factory=list)
    links_unchanged: list[str] = Field(default_factory=list)
    derived_ids: list[DerivedId] = Field(default_factory=list)
    """Ids given to rows that had none, in file order: add them to the sheet as an id column."""
    warnings: list[str] = Field(default_factory=list)
    """``file:row:column: message`` for values imported as written but worth a look (text a
    spreadsheet would run as a formula)."""
    dry_run: bool = False

    @property
    def wrote_anything(self) -> bool:
        return bool(self.added or self.changed or self.links_added or self.links_changed)
