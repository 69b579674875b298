"""The typed records reports are made of, shared by every renderer.

A report is a record with named sections, each a tuple of records (a system at risk, a wave, a
month of progress). Values stay raw (``Decimal`` money, ``date``, enums), so a script reading the
JSON, the HTML report's charts and the terminal tables all start from the same numbers; only
:meth:`Report.tables` formats them (money as £12,500.00) for people.

JSON is ``report.model_dump(mode="json")``: money as a decimal string ("12500.00", exact), dates
ISO, enums as their values. The shapes are documented in ``docs/schemas/`` (see
:mod:`cli.schemas`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema

from inventory.reports.table import Table

Money = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d.quantize(Decimal('0.01'))}", return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "description": "GBP with pence, exact"}, mode="serialization"),
]
"""GBP, exact, serialised with pence as "12500.00" so JSON never carries a float of money."""


class Record(BaseModel):
    """An immutable record; unknown fields are refused so a typo never silently drops data."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_serialization_defaults_required=True, use_attribute_docstrings=True)


class Report(Record):
    """A report: the date it was made for, then its named sections."""

    today: dt.date
    """The as-of date the caller passed (a report for a given day is reproducible)."""

    def tables(self) -> list[Table]:
        """The report as titled tables for table, CSV and Markdown output."""
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
