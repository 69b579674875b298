"""The inventory's records: systems, dependencies between them, and history events.

These are plain validated records (pydantic); the store maps them to tables, importers build
them from spreadsheets, and planning and reports read lists of them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


class System(BaseModel):
    model_config = ConfigDict(use_enum_values=False, validate_assignment=True)

    id: str
    name: str
    description: str = ""
    service_area: str = ""
    business_owner: str = ""
    technical_owner: str = ""
    supplier: str = ""
    product: str = ""
    version: str = ""
    hosting: Hosting = Hosting.on_premises
    criticality: Criticality = Criticality.business_supporting
    data_classification: Classification = Classification.official
    personal_data: bool = False
    users: int | None = Field(default=None, ge=0)
    annual_cost: Decimal | None = Field(default=None, ge=0, decimal_places=2)
    """GBP."""
    contract_end: dt.date | None = None
    support_end: dt.date | None = None
    strategy: Strategy | None = None
    time_category: TimeCategory | None = None
    state: State = State.discovered
    target_hosting: Hosting | None = None
    target_stack: str | None = None
    wave: int | None = Field(default=None, ge=0)
    notes: str = ""
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

    source: str
    target: str
    kind: DependencyKind = DependencyKind.data_feed
    description: str = ""


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
