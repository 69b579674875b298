"""Risk: what could hurt the council before it moves.

Only live systems count (a decommissioned system is no longer a risk). "Within N months" is
measured from the ``today`` the caller passes, so a report can be reproduced for a board date.
"""

from __future__ import annotations

import datetime as dt

from inventory.model import Classification, Criticality, Estate, Hosting, State, Strategy, System
from inventory.reports import ReportParams
from inventory.reports.table import Table, add_months, iso

NO_PLAN = (State.discovered, State.assessed, State.on_hold)


def build(estate: Estate, params: ReportParams) -> list[Table]:
    months = params.months_or(6)
    horizon = add_months(params.today, months)
    live = sorted((s for s in estate.systems if s.is_live), key=lambda s: s.id)
    tables = [
        support_ending(live, params.today, horizon, months),
        contracts_without_plan(live, params.today, horizon, months),
        sensitive_on_unsupported(live, params.today),
        mission_critical_on_premises(live),
        dependencies_on_retiring(estate),
    ]
    summary = Table("Risk summary", ("risk", "count"), tuple((t.title, len(t.rows)) for t in tables))
    return [summary, *tables]


def _when(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    if days < 0:
        return f"ended {-days} days ago"
    if days == 0:
        return "ends today"
    return f"ends in {days} days"


def support_ending(live: list[System], today: dt.date, horizon: dt.date, months: int) -> Table:
    hits = sorted((s for s in live if s.support_end and s.support_end <= horizon), key=lambda s: (s.support_end, s.id))
    rows = tuple(
        (s.id, s.name, iso(s.support_end), _when(s.support_end, today), s.criticality.value, s.hosting.value, s.state.value)  # type: ignore[arg-type]
        for s in hits
    )
    columns = ("system", "name", "support end", "status", "criticality", "hosting", "state")
    return Table(f"Support ended or ending within {months} months", columns, rows)


def contracts_without_plan(live: list[System], today: dt.date, horizon: dt.date, months: int) -> Table:
    hits = sorted(
        (s for s in live if s.contract_end and s.contract_end <= horizon and (s.state in NO_PLAN or s.strategy is None)),
        key=lambda s: (s.contract_end, s.id),
    )
    rows = tuple(
        (s.id, s.name, s.supplier, iso(s.contract_end), _when(s.contract_end, today), s.state.value, s.strategy.value if s.strategy else "")  # type: ignore[arg-type]
        for s in hits
    )
    columns = ("system", "name", "supplier", "contract end", "status", "state", "strategy")
    return Table(f"Contracts ending within {months} months with no plan", columns, rows)


def sensitive_on_unsupported(live: list[System], today: dt.date) -> Table:
    hits = [
        s for s in live
        if s.support_end and s.support_end < today
        and (s.data_classification is Classification.official_sensitive or s.personal_data)
    ]
    rows = tuple((s.id, s.name, s.data_classification.value, s.personal_data, iso(s.support_end), s.hosting.value) for s in hits)
    columns = ("system", "name", "classification", "personal data", "support end", "hosting")
    return Table("OFFICIAL-SENSITIVE or personal data on unsupported platforms", columns, rows)


def mission_critical_on_premises(live: list[System]) -> Table:
    hits = [s for s in live if s.criticality is Criticality.mission_critical and s.hosting is Hosting.on_premises]
    rows = tuple((s.id, s.name, s.service_area, s.state.value, s.wave, s.target_hosting.value if s.target_hosting else "") for s in hits)
    columns = ("system", "name", "service area", "state", "wave", "target hosting")
    return Table("Mission-critical systems still on-premises", columns, rows)


def dependencies_on_retiring(estate: Estate) -> Table:
    by_id = {s.id: s for s in estate.systems}
    rows = []
    for d in estate.dependencies:
        source, target = by_id.get(d.source), by_id.get(d.target)
        if not source or not target or not source.is_live or not target.is_live:
            continue
        if target.strategy is not Strategy.retire or source.strategy is Strategy.retire:
            continue
        rows.append((d.source, d.target, d.kind.value, target.state.value, target.wave, d.description))
    rows.sort(key=lambda r: (r[0], r[1]))
    columns = ("system", "depends on", "kind", "retiring system's state", "retiring system's wave", "description")
    return Table("Dependencies on systems due for retirement", columns, tuple(rows))
