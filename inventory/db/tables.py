"""The inventory's tables (SQLAlchemy Core), as the latest migration leaves them.

Enums are stored as their text values rather than database enum types, so adding a value
never needs a type migration; money is stored as whole pence so it stays exact on SQLite too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class Pence(TypeDecorator[Decimal]):
    """GBP as a Decimal in Python, whole pence in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        return None if value is None else int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which keeps naive text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


metadata = MetaData()

systems = Table(
    "systems",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("service_area", String(200), nullable=False, default=""),
    Column("business_owner", String(200), nullable=False, default=""),
    Column("technical_owner", String(200), nullable=False, default=""),
    Column("supplier", String(200), nullable=False, default=""),
    Column("product", String(200), nullable=False, default=""),
    Column("version", String(100), nullable=False, default=""),
    Column("hosting", String(40), nullable=False),
    Column("criticality", String(40), nullable=False),
    Column("data_classification", String(40), nullable=False),
    Column("personal_data", Boolean, nullable=False, default=False),
    Column("users", Integer),
    Column("annual_cost", Pence),
    Column("contract_end", Date),
    Column("support_end", Date),
    Column("strategy", String(20)),
    Column("time_category", String(20)),
    Column("state", String(20), nullable=False),
    Column("target_hosting", String(40)),
    Column("target_stack", String(200)),
    Column("wave", Integer),
    Column("notes", Text, nullable=False, default=""),
    Column("version_no", Integer, nullable=False, default=0),
)

dependencies = Table(
    "dependencies",
    metadata,
    Column("source", String(100), ForeignKey("systems.id"), primary_key=True),
    Column("target", String(100), ForeignKey("systems.id"), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Index("ix_dependencies_target", "target"),
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("system_id", String(100), nullable=False),
    Column("action", String(20), nullable=False),
    Column("changes", Text, nullable=False, default="{}"),
    Column("reason", Text, nullable=False, default=""),
    Index("ix_events_system_id", "system_id", "seq"),
)

wave_months = Table(
    "wave_months",
    metadata,
    Column("wave", Integer, primary_key=True),
    Column("month", String(7), nullable=False),
)
"""The month (YYYY-MM) each wave happens in, written by ``waves --apply`` (migration 0003)."""

