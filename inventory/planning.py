"""Migration waves from the dependency graph.

A system cannot move before what it depends on, so systems tied together by a dependency
cycle (a strongly connected component) form one move group that migrates together, and groups
are placed in dependency order: a group goes into a later wave than every group it depends
on. Waves are calendar months counted from a start month, skipping blackout months (council
tax billing in March, elections in May), and may be capped at a number of systems. Every
placement carries the reasons it sits where it does, because a plan a board cannot question
is a plan nobody trusts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from inventory.errors import InventoryError
from inventory.register.limits import MAX_CAPACITY, MONTH_WINDOW, year_in_window
from inventory.register.model import Estate, State, Strategy, System
from inventory.reports.table import Table


class PlanningError(InventoryError):
    """Bad planning parameters (exit 2)."""


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """Read ``YYYY-MM`` (the form the CLI takes and every report prints)."""
        try:
            year_text, month_text = text.strip().split("-")
            month = cls(int(year_text), int(month_text))
        except ValueError:
            raise PlanningError(f"start month '{text}' is not YYYY-MM", "e.g. --start 2027-01") from None
        if not 1 <= month.month <= 12 or len(year_text) != 4:
            raise PlanningError(f"start month '{text}' is not YYYY-MM", "e.g. --start 2027-01")
        if not year_in_window(month.year):
            raise PlanningError(f"--start {text} is outside {MONTH_WINDOW}", "e.g. --start 2027-01")
        return month

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_blackout(values: list[str]) -> frozenset[int]:
    """Month numbers from ``03``, ``3`` or ``2027-03`` (only the month counts: blackouts recur)."""
    months: set[int] = set()
    for value in values:
        text = value.strip().split("-")[-1]
        if not text.isdigit() or not 1 <= int(text) <= 12:
            raise PlanningError(f"blackout month '{value}' is not a month number 01-12", "e.g. --blackout 03 --blackout 05")
        months.add(int(text))
    if len(months) == 12:
        raise PlanningError("every month is a blackout month: no wave can be placed")
    return frozenset(months)


def parse_include(values: list[str]) -> frozenset[State]:
    """``--include discovered`` / ``--include on-hold``: states the planner otherwise leaves out."""
    states = set()
    for value in values:
        key = value.strip().lower().replace(" ", "-").replace("_", "-")
        state = next((s for s in LEFT_OUT if s.value == key), None)
        if state is None:
            raise PlanningError(f"--include '{value}' is not one of: {', '.join(s.value for s in LEFT_OUT)}", "e.g. --include discovered")
        states.add(state)
    return frozenset(states)


@dataclass(frozen=True)
class PlanOptions:
    start: Month
    capacity: int | None = None
    """Systems per wave; None for no limit."""
    blackout: frozenset[int] = frozenset()
    include: frozenset[State] = frozenset()
    """States left out of waves by default (discovered, on-hold) that this plan places anyway."""

    def __post_init__(self) -> None:
        if self.capacity is not None and self.capacity < 1:
            raise PlanningError(f"capacity {self.capacity} must be at least 1 system per wave", "e.g. --capacity 8")
        if self.capacity is not None and self.capacity > MAX_CAPACITY:
            raise PlanningError(f"--capacity {self.capacity} is outside 1 .. {MAX_CAPACITY}", "e.g. --capacity 8")
        if not year_in_window(self.start.year):
            raise PlanningError(f"--start {self.start} is outside {MONTH_WINDOW}", "e.g. --start 2027-01")
        if len(self.blackout) >= 12:
            raise PlanningError("every month is a blackout month: no wave can be placed")


@dataclass
class MoveGroup:
    systems: tuple[str, ...]
    wave: int
    month: str
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.systems[0]


@dataclass(frozen=True)
class Wave:
    number: int
    month: str
    systems: tuple[str, ...]
    skipped_blackout: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cycle:
    systems: tuple[str, ...]
    """Every system in the strongly connected component, sorted."""
    example: tuple[str, ...]
    """One cycle through it, as a path that returns to its first system."""


@dataclass
class WavePlan:
    options: PlanOptions
    groups: list[MoveGroup]
    waves: list[Wave]
    cycles: list[Cycle]
    not_migrating: list[tuple[str, str]]
    """(system id, why it takes no wave slot)."""
    current: dict[str, int | None]

    @property
    def assignments(self) -> dict[str, int]:
        return {system: group.wave for group in self.groups for system in group.systems}

    def changes(self) -> dict[str, int]:
        """Only the waves that differ from the register: what ``--apply`` writes."""
        return {s: w for s, w in sorted(self.assignments.items()) if self.current.get(s) != w}

    def tables(self) -> list[Table]:
        plan_rows = []
        for group in sorted(self.groups, key=lambda g: (g.wave, g.key)):
            label = group.key if len(group.systems) == 1 else f"{group.key} (+{len(group.systems) - 1})"
            for system in group.systems:
                plan_rows.append((group.wave, group.month, system, label, self.current.get(system), "; ".join(group.reasons)))
        tables = [
            Table("Wave plan", ("wave", "month", "system", "move group", "current wave", "why here"), tuple(plan_rows)),
            Table(
                "Waves",
                ("wave", "month", "systems", "skipped blackout months"),
                tuple((w.number, w.month, len(w.systems), ", ".join(w.skipped_blackout)) for w in self.waves),
            ),
            Table(
                "Dependency cycles",
                ("systems", "example cycle"),
                tuple((", ".join(c.systems), " -> ".join(c.example)) for c in self.cycles),
            ),
            Table("Not migrating (no wave slot)", ("system", "why"), tuple(self.not_migrating)),
        ]
        return tables

    def to_dict(self) -> dict[str, Any]:
        return {
            "options": {
                "start": str(self.options.start),
                "capacity": self.options.capacity,
                "blackout_months": sorted(self.options.blackout),
                "include": sorted(s.value for s in self.options.include),
            },
            "waves": [
                {"wave": w.number, "month": w.month, "systems": list(w.systems), "skipped_blackout": list(w.skipped_blackout)}
                for w in self.waves
            ],
            "groups": [
                {"wave": g.wave, "month": g.month, "systems": list(g.systems), "reasons": list(g.reasons)}
                for g in sorted(self.groups, key=lambda g: (g.wave, g.key))
            ],
            "cycles": [{"systems": list(c.systems), "example": list(c.example)} for c in self.cycles],
            "not_migrating": [{"system": s, "why": why} for s, why in self.not_migrating],
            "changes": [{"system": s, "from": self.current.get(s), "to": w} for s, w in self.changes().items()],
        }


LEFT_OUT: dict[State, str] = {
    State.discovered: "discovered: never assessed, so not planned (--include discovered plans it)",
    State.on_hold: "on hold: not planned until it resumes (--include on-hold plans it)",
}
"""States the planner leaves out of waves unless asked, and why."""


def why_left_out(system: System, include: frozenset[State] = frozenset()) -> str | None:
    """Why the planner gives ``system`` no wave slot, or None if it places it."""
    why = why_not_migrating(system)
    if why is None and system.state in LEFT_OUT and system.state not in include:
        return LEFT_OUT[system.state]
    return why


def why_not_migrating(system: System) -> str | None:
    """Why a system takes no wave slot, or None if it still has to move."""
    if system.state is State.decommissioned:
        return "decommissioned"
    if system.state is State.migrated:
        return "already migrated"
    if system.strategy is Strategy.retire:
        return "strategy retire: decommissioned, not migrated"
    if system.strategy is Strategy.retain:
        return "strategy retain: stays where it is"
    return None


def dependency_graph(estate: Estate) -> Any:
    """A networkx DiGraph of every system; an edge source -> target means source depends on target."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(s.id for s in estate.systems)
    known = set(graph.nodes)
    graph.add_edges_from((d.source, d.target) for d in estate.dependencies if d.source in known and d.target in known)
    return graph


def find_cycles(graph: Any) -> list[Cycle]:
    """One entry per strongly connected component with a cycle, rather than every simple cycle
    (which can be exponentially many and tells an architect nothing more)."""
    import networkx as nx

    cycles = []
    for component in nx.strongly_connected_components(graph):
        members = sorted(component)
        if len(members) == 1 and not graph.has_edge(members[0], members[0]):
            continue
        sub = graph.subgraph(members)
        edges = nx.find_cycle(sub, source=members[0])
        path = [edges[0][0]] + [edge[1] for edge in edges]
        cycles.append(Cycle(tuple(members), tuple(path)))
    return sorted(cycles, key=lambda c: c.systems)


class _Calendar:
    """Wave numbers to months, skipping blackout months."""

    def __init__(self, options: PlanOptions) -> None:
        self._options = options
        self._months: list[tuple[Month, tuple[str, ...]]] = []

    def month(self, wave: int) -> tuple[str, tuple[str, ...]]:
        while len(self._months) < wave:
            candidate = self._months[-1][0].next() if self._months else self._options.start
            skipped = []
            while candidate.month in self._options.blackout:
                skipped.append(str(candidate))
                candidate = candidate.next()
            self._months.append((candidate, tuple(skipped)))
        month, skipped = self._months[wave - 1]
        return str(month), skipped


class _Slots:
    """Systems per wave under an optional capacity, filled first-fit."""

    def __init__(self, capacity: int | None) -> None:
        self.capacity = capacity
        self.used: dict[int, int] = {}
        self._first_open = 1

    def place(self, size: int, earliest: int) -> tuple[int, list[str]]:
        wave, reasons = earliest, []
        if self.capacity:
            wave = max(wave, self._first_open)
            while self.used.get(wave, 0) and self.used[wave] + size > self.capacity:
                wave += 1
            if wave > earliest:
                span = f"wave {earliest}" if wave - 1 == earliest else f"waves {earliest} to {wave - 1}"
                reasons.append(f"capacity full in {span}")
            if size > self.capacity:
                reasons.append(f"move group of {size} exceeds capacity {self.capacity}: a wave of its own")
        self.used[wave] = self.used.get(wave, 0) + size
        if self.capacity:
            while self.used.get(self._first_open, 0) >= self.capacity:
                self._first_open += 1
        return wave, reasons


def plan_waves(estate: Estate, options: PlanOptions) -> WavePlan:
    """Place every system that still has to migrate into a wave, with the reasons why.

    Groups go in topological generations (what they depend on first), in-flight groups first
    within a generation, then by id, so the plan is deterministic and in-flight work keeps the
    earliest slots.
    """
    import networkx as nx

    graph = dependency_graph(estate)
    not_migrating = sorted((s.id, why) for s in estate.systems if (why := why_left_out(s, options.include)))
    staying = {s for s, _ in not_migrating}
    retiring = {s.id for s in estate.systems if s.strategy is Strategy.retire and s.state is not State.decommissioned}
    in_flight = {s.id for s in estate.systems if s.state is State.migrating}
    moving = nx.DiGraph()
    moving.add_nodes_from(s for s in graph.nodes if s not in staying)
    moving.add_edges_from((a, b) for a, b in graph.edges if a not in staying and b not in staying)

    condensed = nx.condensation(moving)
    group_of: dict[str, int] = condensed.graph["mapping"]
    members = {n: tuple(sorted(condensed.nodes[n]["members"])) for n in condensed.nodes}
    order = []
    for generation in nx.topological_generations(condensed.reverse(copy=False)):
        order.extend(sorted(generation, key=lambda n: (not in_flight.intersection(members[n]), members[n][0])))

    calendar, slots = _Calendar(options), _Slots(options.capacity)
    placed: dict[int, MoveGroup] = {}
    for node in order:
        systems = members[node]
        reasons = [f"cycle: {', '.join(systems)} move together"] if len(systems) > 1 else []
        latest = max((placed[d].wave for d in condensed.successors(node)), default=0)
        if latest:
            blockers = sorted({t for m in systems for t in moving.successors(m) if t not in systems and placed[group_of[t]].wave == latest})
            reasons.append(f"after {', '.join(blockers)} (wave {latest})")
        else:
            reasons.append("depends on nothing still to migrate")
        old = sorted({t for m in systems for t in graph.successors(m) if t in retiring})
        if old:
            reasons.append(f"still depends on {', '.join(old)} (due for retirement)")
        wave, full = slots.place(len(systems), latest + 1)
        reasons.extend(full)
        flying = sorted(in_flight.intersection(systems))
        if flying:
            reasons.append(f"already migrating: {', '.join(flying)} (placed first among its peers)")
        month, skipped = calendar.month(wave)
        reasons.extend(f"skipped blackout month {m}" for m in skipped)
        placed[node] = MoveGroup(systems, wave, month, reasons)

    groups = sorted(placed.values(), key=lambda g: (g.wave, g.key))
    in_wave: dict[int, list[str]] = {}
    for group in groups:
        in_wave.setdefault(group.wave, []).extend(group.systems)
    waves = []
    for number in sorted(in_wave):
        month, skipped = calendar.month(number)
        waves.append(Wave(number, month, tuple(sorted(in_wave[number])), skipped))
    current = {s.id: s.wave for s in estate.systems}
    return WavePlan(options, groups, waves, find_cycles(graph), not_migrating, current)


def read_register(store: Any, with_history: bool = False, with_dependencies: bool = True) -> Estate:
    """The register as planning and reports read it. Most of them never look at the history,
    which is by far the largest table, and progress needs only its state and cost changes, so each
    reads no more than it uses."""
    estate = Estate(systems=store.list(), dependencies=store.dependencies() if with_dependencies else [], wave_months=store.wave_months())
    if with_history:
        estate.events = store.state_changes("annual_cost")
    return estate


@dataclass(frozen=True)
class PlanRun:
    plan: WavePlan
    applied: tuple[str, ...] = ()
    """Systems whose wave ``--apply`` changed in the register."""


def plan_register(
    url: str | None, options: PlanOptions, apply: bool = False, actor: str | None = None, reason: str = "",
    on: dt.datetime | None = None, before_commit: Callable[[PlanRun], None] | None = None,
) -> PlanRun:
    """Plan the register at ``url`` and, with ``apply``, write the changed waves in one
    transaction with a history event each (the store refuses all of them if any fails).
    ``before_commit`` gets the run just before the commit (to write ``--output`` first)."""
    from inventory.store import open_store

    with open_store(url, create=False) as store:
        plan = plan_waves(read_register(store), options)
        if not apply:
            run = PlanRun(plan)
            if before_commit is not None:
                before_commit(run)
            return run
        why = f"waves plan from {options.start}" + (f", capacity {options.capacity}" if options.capacity else "")
        if options.blackout:
            why += ", blackout months " + ", ".join(f"{m:02d}" for m in sorted(options.blackout))
        if reason.strip():
            why = f"{reason.strip()} ({why})"
        months = {w.number: w.month for w in plan.waves}
        hook = None if before_commit is None else (lambda done: before_commit(PlanRun(plan, tuple(s.id for s in done))))
        changed = store.apply_waves(plan.changes(), actor=actor, reason=why, on=on, months=months, before_commit=hook)
        return PlanRun(plan, tuple(s.id for s in changed))
