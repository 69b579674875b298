"""The inventory's records: systems, dependencies between them, and history events.

These are plain validated records (pydantic); the store maps them to tables, importers build
them from spreadsheets, and planning and reports read lists of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from enum import Enum
from typing import Any

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from inventory.register.limits import MAX_WAVE

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Bounds the model keeps so SQLite and PostgreSQL accept and refuse the same records (SQLite
# ignores VARCHAR lengths and keeps NUL bytes; PostgreSQL refuses both with an SQL error). The
# string bounds are at most the columns' (inventory/db/tables.py); numbers fit an SQL INTEGER,
# waves the range inventory.register.limits gives the CLI.
ID_MAX = 100
NAME_MAX = 200
SHORT_MAX = 200
VERSION_MAX = 100
TEXT_MAX = 10_000
INT_MAX = 2_147_483_647
COST_MAX = Decimal("999999999999.99")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(value: str) -> str:
    """Refuse control characters (NUL and the like); tab and line breaks are text."""
    bad = CONTROL_CHARACTERS.search(value)
    if bad:
        raise ValueError(f"holds a control character (U+{ord(bad.group()):04X}) at character {bad.start() + 1}")
    return value


def check_text(model: type[BaseModel], field: str, value: str) -> str:
    """``value`` checked against ``model.field``'s text rules, with a message naming the limit.

    Importers call this per cell so a too-long or binary value is located at its cell, by the
    same rules the model applies to every record on every database."""
    limit = _text_limit(model, field)
    if limit is not None and len(value) > limit:
        raise ValueError(f"{len(value):,} characters; {field} holds at most {limit:,}")
    return _printable(value)


@functools.cache
def _text_limit(model: type[BaseModel], field: str) -> int | None:
    info = model.model_fields.get(field)
    return next((m.max_length for m in (info.metadata if info else []) if getattr(m, "max_length", None)), None)


IdText = Annotated[str, Field(max_length=ID_MAX), AfterValidator(_printable)]
NameText = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_printable)]
ShortText = Annotated[str, Field(max_length=SHORT_MAX), AfterValidator(_printable)]
VersionText = Annotated[str, Field(max_length=VERSION_MAX), AfterValidator(_printable)]
LongText = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_printable)]
"""Text fields: bounded, no control characters (same rules on every database)."""


class Hosting(str, Enum):
    on_premises = "on-premises"
    supplier_hosted = "supplier-hosted"
    aws = "aws"
    azure = "azure"
    saas = "saas"
    other = "other"


class Criticality(str, Enum):
    """The scale the NCSC CAF for local government uses."""

    mission_critical = "mission-critical"
    business_critical = "business-critical"
    business_supporting = "business-supporting"
    non_critical = "non-critical"


class Classification(str, Enum):
    official = "OFFICIAL"
    official_sensitive = "OFFICIAL-SENSITIVE"


class Strategy(str, Enum):
    """The 7 Rs."""

    retire = "retire"
    retain = "retain"
    rehost = "rehost"
    relocate = "relocate"
    repurchase = "repurchase"
    replatform = "replatform"
    refactor = "refactor"


class TimeCategory(str, Enum):
    tolerate = "tolerate"
    invest = "invest"
    migrate = "migrate"
    eliminate = "eliminate"


class State(str, Enum):
    discovered = "discovered"
    assessed = "assessed"
    planned = "planned"
    migrating = "migrating"
    migrated = "migrated"
    decommissioned = "decommissioned"
    on_hold = "on-hold"


class DependencyKind(str, Enum):
    data_feed = "data feed"
    authentication = "authentication"
    api = "api"
    file_transfer = "file transfer"
    shared_database = "shared database"
    unknown = "unknown"
    """Nobody has said what flows: a sheet naming a dependency by name alone says only that it exists."""


class System(BaseModel):
    model_config = ConfigDict(use_enum_values=False, validate_assignment=True)

    id: IdText
    name: NameText
    description: LongText = ""
    service_area: ShortText = ""
    business_owner: ShortText = ""
    technical_owner: ShortText = ""
    supplier: ShortText = ""
    product: ShortText = ""
    version: VersionText = ""
    hosting: Hosting = Hosting.on_premises
    criticality: Criticality = Criticality.business_supporting
    data_classification: Classification = Classification.official
    personal_data: bool = False
    users: int | None = Field(default=None, ge=0, le=INT_MAX)
    annual_cost: Decimal | None = Field(default=None, ge=0, le=COST_MAX, decimal_places=2)
    """GBP."""
    contract_end: dt.date | None = None
    support_end: dt.date | None = None
    strategy: Strategy | None = None
    time_category: TimeCategory | None = None
    state: State = State.discovered
    target_hosting: Hosting | None = None
    target_stack: ShortText | None = None
    wave: int | None = Field(default=None, ge=0, le=MAX_WAVE)
    notes: LongText = ""
    version_no: int = 0
    """Optimistic-concurrency counter kept by the store; not a user field."""

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"'{value}' is not a slug (lower-case letters, digits and single hyphens)")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name must not be empty")
        return value.strip()

    @property
    def is_live(self) -> bool:
        return self.state is not State.decommissioned


USER_FIELDS: tuple[str, ...] = tuple(f for f in System.model_fields if f != "version_no")


class Dependency(BaseModel):
    """``source`` depends on ``target``."""

    source: IdText
    target: IdText
    kind: DependencyKind = DependencyKind.unknown
    description: LongText = ""


class Event(BaseModel):
    """An append-only history entry: one for every change."""

    at: dt.datetime
    actor: str
    system_id: str
    action: str
    """e.g. ``add``, ``update``, ``move``, ``link``, ``unlink``, ``import``, ``waves``."""
    changes: dict[str, list[Any]] = Field(default_factory=dict)
    """field -> [from, to]."""
    reason: str = ""


class Estate(BaseModel):
    """Everything the register holds, as planning and reports read it."""

    systems: list[System] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    wave_months: dict[int, str] = Field(default_factory=dict)
    """wave -> YYYY-MM, as ``waves --apply`` planned it (empty when never applied)."""
