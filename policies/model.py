"""The baseline as validated data: check metadata, baseline entries, frameworks, suppressions."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

CHECK_ID = r"^CKV2?_[A-Z]+_\d+$"
POLICY_DEFINITION_ID = r"^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$"
"""Azure Policy built-in definition ids are GUIDs, except one Microsoft published with a ``k`` in it
(``17k78e20-...``, Transparent Data Encryption on SQL databases); it is kept as Microsoft spells it."""


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class FrameworkId(str, Enum):
    ncsc = "ncsc"
    caf = "caf"
    cis = "cis"


class CheckKind(str, Enum):
    resource = "resource"
    cross_resource = "cross-resource"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckMeta(Strict):
    """Metadata of one council check, kept in ``policies/checks/<module>.yaml`` beside its code."""

    id: str = Field(pattern=r"^CKV_BOROUGH_\d{3}$")
    title: str = Field(min_length=5)
    severity: Severity
    kind: CheckKind = CheckKind.resource
    description: str = ""
    remediation: str = Field(min_length=5)
    resource_types: list[str] = Field(default_factory=list)
    frameworks: dict[FrameworkId, list[str]] = Field(default_factory=dict)
    azure_policy: list[Annotated[str, Field(pattern=POLICY_DEFINITION_ID)]] = Field(default_factory=list)
    """Azure Policy built-in definitions that judge the same property (their GUIDs); they must
    agree with the initiative files, which name this check for each."""


class BaselineEntry(Strict):
    severity: Severity
    remediation: str | None = None


class Baseline(Strict):
    """Which checks the council enforces, and at what severity (checkov has none offline)."""

    version: int = Field(ge=1, le=1)
    checks: dict[str, BaselineEntry]

    @field_validator("checks")
    @classmethod
    def _ids(cls, checks: dict[str, BaselineEntry]) -> dict[str, BaselineEntry]:
        for check_id in checks:
            if not re.match(CHECK_ID, check_id):
                raise ValueError(f"{check_id!r} is not a checkov check ID (CKV_AZURE_n, CKV_BOROUGH_nnn)")
        return checks


class Requirement(Strict):
    id: str
    title: str
    principle: str | None = None
    """The principle it rolls up to (CAF: B2 for B2.a); None in a flat framework."""
    checks: list[str] = Field(default_factory=list)


class Principle(Strict):
    id: str
    title: str


class Framework(Strict):
    id: FrameworkId
    name: str
    version: str = ""
    principles: list[Principle] = Field(default_factory=list)
    """Roll-ups of the requirements (CAF principles A1..D2 over outcomes A1.a..D2.b)."""
    requirements: list[Requirement]

    @model_validator(mode="after")
    def _principles_known(self) -> "Framework":
        known = {p.id for p in self.principles}
        for req in self.requirements:
            if req.principle is not None and req.principle not in known:
                raise ValueError(f"requirement {req.id}: principle {req.principle} is not listed under principles")
        return self

    def rollups(self) -> list[Requirement]:
        """Each principle as a requirement whose checks are its outcomes' checks (in outcome order)."""
        out = []
        for principle in self.principles:
            checks = [c for r in self.requirements if r.principle == principle.id for c in r.checks]
            out.append(Requirement(id=principle.id, title=principle.title, checks=list(dict.fromkeys(checks))))
        return out


def parse_date(value: object) -> object:
    """ISO (2026-03-31) or UK (31/03/2026) dates; YAML may already have made a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    return value


UkDate = Annotated[dt.date, BeforeValidator(parse_date)]


class Suppression(Strict):
    check: str = Field(pattern=CHECK_ID)
    resource: str = Field(min_length=1)
    """A URN, an ARM resource id (``type.name``), an ARM or Pulumi name, or a glob of one."""
    justification: str = Field(min_length=10)
    approver: str = Field(min_length=2)
    expires: UkDate


class SuppressionFile(Strict):
    suppressions: list[Suppression] = Field(default_factory=list)
