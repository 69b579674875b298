"""What an import did (or, on a dry run, would do)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ImportResult(BaseModel):
    added: list[str] = Field(default_factory=list)
    changed: dict[str, dict[str, list[Any]]] = Field(default_factory=dict)
    """system id -> field -> [from, to]."""
    unchanged: list[str] = Field(default_factory=list)
    links_added: list[str] = Field(default_factory=list)
    links_changed: list[str] = Field(default_factory=list)
    links_unchanged: list[str] = Field(default_factory=list)
    dry_run: bool = False

    @property
    def wrote_anything(self) -> bool:
        return bool(self.added or self.changed or self.links_added or self.links_changed)
