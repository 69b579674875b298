"""Waves as the register holds them: who moves when, and any wave that breaks dependency order.

This reads the waves already written (by hand or by ``borough inventory waves --apply``); the
planner proposes, this report checks what was decided.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Literal

from inventory.register.model import Criticality, Estate, Hosting, State, Strategy, System
from inventory.planning import why_not_migrating
from inventory.reports.params import ReportParams
from inventory.reports.records import Money, Record, Report
from inventory.reports.table import Table, money
from inventory.reports.wave_counts import count_states


class WaveTally(Record):
    """A wave's systems by state (:func:`inventory.reports.wave_counts.count_states`), with its month."""

    wave: int | None
    month: str | None
    """YYYY-MM, as ``waves --apply`` stored it (None when not recorded)."""
    systems: int
    done: int
    """Migrated or decommissioned."""
    migrating: int
    on_hold: int
    not_started: int
    """Discovered, assessed or planned: the same count as the progress report's "not started"."""


class WaveSummary(WaveTally):
    """One wave, or (``wave`` None) the systems that still have to move but have no wave yet."""

    still_to_move: int
    """Live systems that have yet to migrate (not done, not strategy retain or retire), whatever their state."""
    mission_critical: int
    annual_cost: Money


class WaveMember(Record):
    wave: int
    system: str
    name: str
    state: State
    strategy: Strategy | None
    criticality: Criticality
    hosting: Hosting
    target: str
    """The target stack, else the target hosting, else empty."""


class WaveOrderProblem(Record):
    system: str
    wave: int
    depends_on: str
    depends_on_wave: int | None
    """None when what it depends on has no wave."""
    problem: str


class WavesReport(Report):
    report: Literal["waves"] = "waves"
    waves: tuple[WaveSummary, ...]
    """Every wave in order, then one record with ``wave`` None for systems not yet given one."""
    members: tuple[WaveMember, ...]
    order_problems: tuple[WaveOrderProblem, ...]

    def tables(self) -> list[Table]:
        rows = tuple(
            ("none yet" if w.wave is None else w.wave, w.month or "", w.systems, w.done, w.migrating, w.on_hold, w.not_started, w.still_to_move,
             w.mission_critical, money(w.annual_cost))
            for w in self.waves
        )
        summary = Table(
            "Waves", ("wave", "month", "systems", "done", "migrating", "on hold", "not started", "still to move", "mission-critical", "annual cost"), rows
        )
        members = Table(
            "Systems by wave",
            ("wave", "system", "name", "state", "strategy", "criticality", "hosting", "target"),
            tuple(
                (m.wave, m.system, m.name, m.state.value, m.strategy.value if m.strategy else "", m.criticality.value, m.hosting.value, m.target)
                for m in self.members
            ),
        )
        problems = Table(
            "Wave order problems",
            ("system", "wave", "depends on", "its wave", "problem"),
            tuple((p.system, p.wave, p.depends_on, p.depends_on_wave, p.problem) for p in self.order_problems),
        )
        return [summary, members, problems]


def build(estate: Estate, params: ReportParams) -> WavesReport:
    return WavesReport(today=params.today, waves=summary(estate), members=members(estate), order_problems=order_problems(estate))


def _in_waves(estate: Estate) -> dict[int, list[System]]:
    waves: dict[int, list[System]] = defaultdict(list)
    for system in sorted(estate.systems, key=lambda s: s.id):
        if system.wave is not None:
            waves[system.wave].append(system)
    return waves


def _cost(systems: list[System]) -> Decimal:
    return sum((s.annual_cost or Decimal(0) for s in systems), Decimal(0))


def _summary(wave: int | None, systems: list[System], month: str | None = None) -> WaveSummary:
    c = count_states(systems)
    return WaveSummary(
        wave=wave, month=month, systems=c.systems, done=c.done, migrating=c.migrating, on_hold=c.on_hold, not_started=c.not_started,
        still_to_move=sum(1 for s in systems if why_not_migrating(s) is None),
        mission_critical=sum(1 for s in systems if s.criticality is Criticality.mission_critical),
        annual_cost=_cost(systems),
    )


def summary(estate: Estate) -> tuple[WaveSummary, ...]:
    rows = [_summary(wave, systems, estate.wave_months.get(wave)) for wave, systems in sorted(_in_waves(estate).items())]
    unplanned = [s for s in estate.systems if s.wave is None and why_not_migrating(s) is None]
    rows.append(_summary(None, unplanned))
    return tuple(rows)


def members(estate: Estate) -> tuple[WaveMember, ...]:
    return tuple(
        WaveMember(
            wave=wave, system=s.id, name=s.name, state=s.state, strategy=s.strategy, criticality=s.criticality, hosting=s.hosting,
            target=s.target_stack or (s.target_hosting.value if s.target_hosting else ""),
        )
        for wave, systems in sorted(_in_waves(estate).items())
        for s in systems
    )


def order_problems(estate: Estate) -> tuple[WaveOrderProblem, ...]:
    """A system must not move before something it depends on that still has to move."""
    by_id = {s.id: s for s in estate.systems}
    rows = []
    for d in estate.dependencies:
        source, target = by_id.get(d.source), by_id.get(d.target)
        if not source or not target or source.wave is None or why_not_migrating(source) or why_not_migrating(target):
            continue
        if target.wave is None:
            rows.append(WaveOrderProblem(system=source.id, wave=source.wave, depends_on=target.id, depends_on_wave=None, problem=f"depends on {target.id}, which has no wave"))
        elif target.wave > source.wave:
            rows.append(
                WaveOrderProblem(
                    system=source.id, wave=source.wave, depends_on=target.id, depends_on_wave=target.wave,
                    problem=f"moves before {target.id} (wave {target.wave}), which it depends on",
                )
            )
    return tuple(sorted(rows, key=lambda r: (r.wave, r.system, r.depends_on)))
