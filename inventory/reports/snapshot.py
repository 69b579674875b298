"""A saved snapshot of the board pack's headline figures, for ``--since FILE``.

``report html --save-snapshot FILE`` (or ``report outlook``) writes the figures as the board saw
them on the report's day. A later report given ``--since FILE`` compares with those figures, not
with a replay of the history, so a change recorded afterwards with an earlier date (``--on``) does
not rewrite what the board was told. The file is validated against its JSON schema (generated from
:class:`OutlookSnapshot`, published as ``docs/schemas/report-outlook-snapshot.schema.json``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from inventory.errors import InventoryError
from inventory.reports.records import Record

KIND = "borough outlook snapshot"


class SnapshotError(InventoryError):
    """A ``--since FILE`` that is not a snapshot (exit 2)."""


class SnapshotFigures(Record):
    """The outlook's headline figures (its ``figures[].figure`` keys) as counts."""

    registered: int = Field(ge=0)
    done: int = Field(ge=0)
    migrating: int = Field(ge=0)
    planned: int = Field(ge=0)
    on_hold: int = Field(ge=0)
    not_assessed: int = Field(ge=0)


class OutlookSnapshot(Record):
    kind: Literal["borough outlook snapshot"]
    """What the file is (a JSON file of another kind is refused at this key)."""
    taken: dt.date
    """The day of the report it was saved from (its ``--today``)."""
    figures: SnapshotFigures


def snapshot_json(snapshot: OutlookSnapshot) -> str:
    return json.dumps(snapshot.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def _schema() -> dict[str, Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(OutlookSnapshot).json_schema(mode="validation")


def saved_snapshot(since: str) -> OutlookSnapshot | None:
    """The snapshot ``--since`` names, read and validated; None when it gives a day (to be replayed
    from the history). A value names a file when it is not a day and ends in ``.json`` or exists."""
    if looks_like_day(since) or not (Path(since).suffix.lower() == ".json" or Path(since).exists()):
        return None
    return read_snapshot(Path(since))


def looks_like_day(text: str) -> bool:
    """``--since`` is a day (2026-10-01, 01/10/2026) rather than a snapshot file's path."""
    import re

    return re.fullmatch(r"\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\s*", text) is not None


def read_snapshot(path: Path) -> OutlookSnapshot:
    """The snapshot in ``path``; a file that is not one is refused naming the file and the key."""
    from jsonschema import Draft202012Validator

    from yamlsafe.inputs import InputFileError, read_input, shown_path

    shown = shown_path(path)
    hint = "give a file written by borough report html --save-snapshot FILE (or report outlook --save-snapshot), or a date YYYY-MM-DD"
    try:
        data = json.loads(read_input(path, "config").decode("utf-8"))
    except InputFileError as exc:
        raise SnapshotError(f"--since {exc.message}", hint=hint) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(f"--since {shown}: not a JSON snapshot: {exc}", hint=hint) from None
    errors = sorted(Draft202012Validator(_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(data), key=lambda e: (e.validator != "required", [str(p) for p in e.absolute_path]))
    if errors:
        first = errors[0]
        key = ".".join(str(p) for p in first.absolute_path) or "(top level)"
        raise SnapshotError(f"--since {shown}: {key}: {first.message}", hint=hint)
    return OutlookSnapshot.model_validate(data)
