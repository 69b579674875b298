"""Risk: what could hurt the council before it moves.

Only live systems count (a decommissioned system is no longer a risk). "Within N months" is
measured from the ``today`` the caller passes, so a report can be reproduced for a board date.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from inventory.register.model import Classification, Criticality, DependencyKind, Estate, Hosting, State, Strategy, System
from inventory.reports.params import ReportParams
from inventory.reports.records import Record, Report
from inventory.reports.table import Table, add_months, iso

NO_PLAN = (State.discovered, State.assessed, State.on_hold)


class RiskKind(str, Enum):
    support_ending = "support_ending"
    contracts_without_plan = "contracts_without_plan"
    sensitive_on_unsupported = "sensitive_on_unsupported"
    mission_critical_on_premises = "mission_critical_on_premises"
    dependencies_on_retiring = "dependencies_on_retiring"


class RiskCount(Record):
    risk: RiskKind
    """The name of the section listing these systems."""
    title: str
    count: int


class SupportEnding(Record):
    system: str
    name: str
    support_end: dt.date
    days_left: int
    """Days from ``today`` to the support end; negative when support has already ended."""
    criticality: Criticality
    hosting: Hosting
    state: State


class ContractWithoutPlan(Record):
    system: str
    name: str
    supplier: str
    contract_end: dt.date
    days_left: int
    """Negative when the contract has already ended."""
    state: State
    strategy: Strategy | None


class SensitiveOnUnsupported(Record):
    system: str
    name: str
    data_classification: Classification
    personal_data: bool
    support_end: dt.date
    hosting: Hosting


class MissionCriticalOnPremises(Record):
    system: str
    name: str
    service_area: str
    state: State
    wave: int | None
    target_hosting: Hosting | None


class DependencyOnRetiring(Record):
    system: str
    depends_on: str
    """A live system due for retirement (strategy retire)."""
    kind: DependencyKind
    retiring_state: State
    retiring_wave: int | None
    description: str


class RiskPriority(Record):
    """One of the ten systems most at risk, scored so a board reads the worst first (not the oldest date first)."""

    rank: int
    system: str
    name: str
    score: int
    """Criticality (mission 40, business 30, supporting 20, non 10) + OFFICIAL-SENSITIVE 20 + personal
    data 10 + one a month past support (at most 36), or 5 when support ends within the look-ahead."""
    criticality: Criticality
    data_classification: Classification
    personal_data: bool
    support_end: dt.date | None
    months_past_support: int
    """Whole months since support ended (0 if it has not)."""
    risks: tuple[RiskKind, ...]
    """The lists it appears on."""


class RiskReport(Report):
    report: Literal["risk"] = "risk"
    months: int
    horizon: dt.date
    """``today`` plus ``months``: anything ending by this day is listed."""
    summary: tuple[RiskCount, ...]
    support_ending: tuple[SupportEnding, ...]
    contracts_without_plan: tuple[ContractWithoutPlan, ...]
    sensitive_on_unsupported: tuple[SensitiveOnUnsupported, ...]
    mission_critical_on_premises: tuple[MissionCriticalOnPremises, ...]
    dependencies_on_retiring: tuple[DependencyOnRetiring, ...]
    priorities: tuple[RiskPriority, ...]
    """The ten live systems most at risk, highest score first (ties by id)."""

    def tables(self) -> list[Table]:
        summary = Table("Risk summary", ("risk", "count"), tuple((c.title, c.count) for c in self.summary))
        support = Table(
            _titles(self.months)[RiskKind.support_ending],
            ("system", "name", "support end", "status", "criticality", "hosting", "state"),
            tuple((r.system, r.name, iso(r.support_end), _when(r.days_left), r.criticality.value, r.hosting.value, r.state.value) for r in self.support_ending),
        )
        contracts = Table(
            _titles(self.months)[RiskKind.contracts_without_plan],
            ("system", "name", "supplier", "contract end", "status", "state", "strategy"),
            tuple(
                (r.system, r.name, r.supplier, iso(r.contract_end), _when(r.days_left), r.state.value, r.strategy.value if r.strategy else "")
                for r in self.contracts_without_plan
            ),
        )
        sensitive = Table(
            _titles(self.months)[RiskKind.sensitive_on_unsupported],
            ("system", "name", "classification", "personal data", "support end", "hosting"),
            tuple((r.system, r.name, r.data_classification.value, r.personal_data, iso(r.support_end), r.hosting.value) for r in self.sensitive_on_unsupported),
        )
        on_prem = Table(
            _titles(self.months)[RiskKind.mission_critical_on_premises],
            ("system", "name", "service area", "state", "wave", "target hosting"),
            tuple(
                (r.system, r.name, r.service_area, r.state.value, r.wave, r.target_hosting.value if r.target_hosting else "")
                for r in self.mission_critical_on_premises
            ),
        )
        retiring = Table(
            _titles(self.months)[RiskKind.dependencies_on_retiring],
            ("system", "depends on", "kind", "retiring system's state", "retiring system's wave", "description"),
            tuple((r.system, r.depends_on, r.kind.value, r.retiring_state.value, r.retiring_wave, r.description) for r in self.dependencies_on_retiring),
        )
        top = Table(
            "The ten systems most at risk",
            ("rank", "system", "name", "score", "criticality", "classification", "personal data", "months past support", "on lists"),
            tuple((p.rank, p.system, p.name, p.score, p.criticality.value, p.data_classification.value, p.personal_data, p.months_past_support,
                   ", ".join(r.value for r in p.risks)) for p in self.priorities),
        )
        return [summary, top, support, contracts, sensitive, on_prem, retiring]


def _titles(months: int) -> dict[RiskKind, str]:
    return {
        RiskKind.support_ending: f"Support ended or ending within {months} months",
        RiskKind.contracts_without_plan: f"Contracts ending within {months} months with no plan",
        RiskKind.sensitive_on_unsupported: "OFFICIAL-SENSITIVE or personal data on unsupported platforms",
        RiskKind.mission_critical_on_premises: "Mission-critical systems still on-premises",
        RiskKind.dependencies_on_retiring: "Dependencies on systems due for retirement",
    }


def _when(days: int) -> str:
    if days < 0:
        return f"ended {-days} days ago"
    if days == 0:
        return "ends today"
    return f"ends in {days} days"


def build(estate: Estate, params: ReportParams) -> RiskReport:
    months = params.months_or(6)
    today = params.today
    horizon = add_months(today, months)
    live = sorted((s for s in estate.systems if s.is_live), key=lambda s: s.id)
    sections = {
        RiskKind.support_ending: support_ending(live, today, horizon),
        RiskKind.contracts_without_plan: contracts_without_plan(live, today, horizon),
        RiskKind.sensitive_on_unsupported: sensitive_on_unsupported(live, today),
        RiskKind.mission_critical_on_premises: mission_critical_on_premises(live),
        RiskKind.dependencies_on_retiring: dependencies_on_retiring(estate),
    }
    titles = _titles(months)
    summary = tuple(RiskCount(risk=kind, title=titles[kind], count=len(rows)) for kind, rows in sections.items())
    return RiskReport(today=today, months=months, horizon=horizon, summary=summary, priorities=priorities(live, sections, today),
                      **{k.value: v for k, v in sections.items()})


WEIGHT = {Criticality.mission_critical: 40, Criticality.business_critical: 30, Criticality.business_supporting: 20, Criticality.non_critical: 10}
TOP = 10


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day))


def priorities(live: list[System], sections: dict[RiskKind, tuple], today: dt.date) -> tuple[RiskPriority, ...]:
    on: dict[str, list[RiskKind]] = {}
    for kind, rows in sections.items():
        if kind is RiskKind.dependencies_on_retiring:
            continue
        for row in rows:
            on.setdefault(row.system, []).append(kind)
    scored = []
    for s in live:
        if s.id not in on:
            continue
        past = _months_between(s.support_end, today) if s.support_end and s.support_end < today else 0
        support = min(past, 36) if past else (5 if RiskKind.support_ending in on[s.id] else 0)
        score = (WEIGHT[s.criticality] + 20 * (s.data_classification is Classification.official_sensitive) + 10 * s.personal_data + support)
        scored.append((score, s, past))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    return tuple(
        RiskPriority(rank=i + 1, system=s.id, name=s.name, score=score, criticality=s.criticality, data_classification=s.data_classification,
                     personal_data=s.personal_data, support_end=s.support_end, months_past_support=past, risks=tuple(on[s.id]))
        for i, (score, s, past) in enumerate(scored[:TOP])
    )


def support_ending(live: list[System], today: dt.date, horizon: dt.date) -> tuple[SupportEnding, ...]:
    hits = sorted((s for s in live if s.support_end and s.support_end <= horizon), key=lambda s: (s.support_end, s.id))
    return tuple(
        SupportEnding(
            system=s.id, name=s.name, support_end=s.support_end, days_left=(s.support_end - today).days,  # type: ignore[arg-type, operator]
            criticality=s.criticality, hosting=s.hosting, state=s.state,
        )
        for s in hits
    )


def contracts_without_plan(live: list[System], today: dt.date, horizon: dt.date) -> tuple[ContractWithoutPlan, ...]:
    hits = sorted(
        (s for s in live if s.contract_end and s.contract_end <= horizon and (s.state in NO_PLAN or s.strategy is None)),
        key=lambda s: (s.contract_end, s.id),
    )
    return tuple(
        ContractWithoutPlan(
            system=s.id, name=s.name, supplier=s.supplier, contract_end=s.contract_end, days_left=(s.contract_end - today).days,  # type: ignore[arg-type, operator]
            state=s.state, strategy=s.strategy,
        )
        for s in hits
    )


def sensitive_on_unsupported(live: list[System], today: dt.date) -> tuple[SensitiveOnUnsupported, ...]:
    return tuple(
        SensitiveOnUnsupported(
            system=s.id, name=s.name, data_classification=s.data_classification, personal_data=s.personal_data,
            support_end=s.support_end, hosting=s.hosting,  # type: ignore[arg-type]
        )
        for s in live
        if s.support_end and s.support_end < today and (s.data_classification is Classification.official_sensitive or s.personal_data)
    )


def mission_critical_on_premises(live: list[System]) -> tuple[MissionCriticalOnPremises, ...]:
    return tuple(
        MissionCriticalOnPremises(system=s.id, name=s.name, service_area=s.service_area, state=s.state, wave=s.wave, target_hosting=s.target_hosting)
        for s in live
        if s.criticality is Criticality.mission_critical and s.hosting is Hosting.on_premises
    )


def dependencies_on_retiring(estate: Estate) -> tuple[DependencyOnRetiring, ...]:
    by_id = {s.id: s for s in estate.systems}
    rows = []
    for d in estate.dependencies:
        source, target = by_id.get(d.source), by_id.get(d.target)
        if not source or not target or not source.is_live or not target.is_live:
            continue
        if target.strategy is not Strategy.retire or source.strategy is Strategy.retire:
            continue
        rows.append(
            DependencyOnRetiring(
                system=d.source, depends_on=d.target, kind=d.kind, retiring_state=target.state, retiring_wave=target.wave, description=d.description
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.system, r.depends_on)))
