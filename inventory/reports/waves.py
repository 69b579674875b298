"""Waves as the register holds them: who moves when, and any wave that breaks dependency order.

This reads the waves already written (by hand or by ``borough inventory waves --apply``); the
planner proposes, this report checks what was decided.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from inventory.model import Criticality, Estate, State, System
from inventory.planning import why_not_migrating
from inventory.reports import ReportParams
from inventory.reports.table import Table, money


def build(estate: Estate, params: ReportParams) -> list[Table]:
    return [summary(estate), members(estate), order_problems(estate)]


def _in_waves(estate: Estate) -> dict[int, list[System]]:
    waves: dict[int, list[System]] = defaultdict(list)
    for system in sorted(estate.systems, key=lambda s: s.id):
        if system.wave is not None:
            waves[system.wave].append(system)
    return waves


def summary(estate: Estate) -> Table:
    rows = []
    for wave, systems in sorted(_in_waves(estate).items()):
        critical = sum(1 for s in systems if s.criticality is Criticality.mission_critical)
        cost = sum((s.annual_cost or Decimal(0) for s in systems), Decimal(0))
        done = sum(1 for s in systems if s.state in (State.migrated, State.decommissioned))
        to_move = sum(1 for s in systems if why_not_migrating(s) is None)
        rows.append((wave, len(systems), done, to_move, critical, money(cost)))
    unplanned = [s for s in estate.systems if s.wave is None and why_not_migrating(s) is None]
    critical = sum(1 for s in unplanned if s.criticality is Criticality.mission_critical)
    cost = sum((s.annual_cost or Decimal(0) for s in unplanned), Decimal(0))
    rows.append(("none yet", len(unplanned), 0, len(unplanned), critical, money(cost)))
    columns = ("wave", "systems", "done", "still to move", "mission-critical", "annual cost")
    return Table("Waves", columns, tuple(rows))


def members(estate: Estate) -> Table:
    rows = []
    for wave, systems in sorted(_in_waves(estate).items()):
        for s in systems:
            target = s.target_stack or (s.target_hosting.value if s.target_hosting else "")
            rows.append((wave, s.id, s.name, s.state.value, s.strategy.value if s.strategy else "", s.criticality.value, s.hosting.value, target))
    columns = ("wave", "system", "name", "state", "strategy", "criticality", "hosting", "target")
    return Table("Systems by wave", columns, tuple(rows))


def order_problems(estate: Estate) -> Table:
    """A system must not move before something it depends on that still has to move."""
    by_id = {s.id: s for s in estate.systems}
    rows = []
    for d in estate.dependencies:
        source, target = by_id.get(d.source), by_id.get(d.target)
        if not source or not target or source.wave is None or why_not_migrating(source) or why_not_migrating(target):
            continue
        if target.wave is None:
            rows.append((source.id, source.wave, target.id, None, f"depends on {target.id}, which has no wave"))
        elif target.wave > source.wave:
            rows.append((source.id, source.wave, target.id, target.wave, f"moves before {target.id} (wave {target.wave}), which it depends on"))
    rows.sort(key=lambda r: (r[1], r[0], r[2]))
    return Table("Wave order problems", ("system", "wave", "depends on", "its wave", "problem"), tuple(rows))
