"""The board pack's first page: where we are, what is next, against the plan.

Where we are: the headline counts now and (with ``--since``) on that day, replayed from the
history, so a board sees what changed since its last report. Against the plan: each wave with a
recorded month is red, amber or green by how much of it is done by then. What is next: the next
waves with their months and systems, and the dependencies of the first of them (for its picture).
What is at risk is the risk report's ``priorities``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import Enum
from typing import Literal

from inventory.register.model import DependencyKind, Estate, State
from inventory.planning import why_not_migrating
from inventory.reports.params import ReportParams
from inventory.reports.progress import states_on
from inventory.reports.records import Record, Report
from inventory.reports.snapshot import KIND, OutlookSnapshot, SnapshotFigures
from inventory.reports.table import Table
from inventory.reports.wave_counts import DONE, count_states
from inventory.reports.waves import WaveTally

NEXT_WAVES = 2


class Rag(str, Enum):
    red = "red"
    amber = "amber"
    green = "green"
    not_due = "not due"
    no_month = "no month recorded"


class Figure(Record):
    figure: str
    label: str
    now: int
    then: int | None
    """On the ``since`` day (None without one)."""
    change: int | None


class WaveStatus(WaveTally):
    """A wave counted only by the systems moving in it, red, amber or green against its month."""

    status: Rag
    why: str


class NextWave(Record):
    wave: int
    month: str | None
    systems: tuple[str, ...]
    names: tuple[str, ...]


class WaveLink(Record):
    """A dependency touching the next wave: ``source`` depends on ``target``."""

    source: str
    target: str
    kind: DependencyKind
    target_wave: int | None
    target_state: State


class OutlookReport(Report):
    report: Literal["outlook"] = "outlook"
    since: dt.date | None
    since_snapshot: str | None
    """The name of the snapshot file the figures then were read from (``--since FILE``); None: replayed from the history."""
    figures: tuple[Figure, ...]
    overall: Rag
    """The worst status of the waves due by now (not due when none is)."""
    waves: tuple[WaveStatus, ...]
    next_waves: tuple[NextWave, ...]
    next_wave_links: tuple[WaveLink, ...]

    def tables(self) -> list[Table]:
        figures = Table("Where we are", ("figure", "now", f"on {self.since.isoformat()}" if self.since else "then", "change"),
                        tuple((f.label, f.now, "" if f.then is None else f.then, "" if f.change is None else f"{f.change:+d}") for f in self.figures))
        status = Table(f"Against the plan: {self.overall.value}", ("wave", "month", "systems", "done", "migrating", "on hold", "not started", "status", "why"),
                       tuple((w.wave, w.month or "", w.systems, w.done, w.migrating, w.on_hold, w.not_started, w.status.value, w.why) for w in self.waves))
        nxt = Table("What is next", ("wave", "month", "systems"),
                    tuple((n.wave, n.month or "", ", ".join(n.systems)) for n in self.next_waves))
        return [figures, status, nxt]


FIGURES = (
    ("registered", "Systems in the register", lambda c: sum(n for s, n in c.items() if s is not None)),
    ("done", "Migrated or decommissioned", lambda c: c[State.migrated] + c[State.decommissioned]),
    ("migrating", "Migrating now", lambda c: c[State.migrating]),
    ("planned", "Planned", lambda c: c[State.planned]),
    ("on_hold", "On hold", lambda c: c[State.on_hold]),
    ("not_assessed", "Not yet assessed", lambda c: c[State.discovered]),
)


def snapshot_of(report: OutlookReport) -> OutlookSnapshot:
    """What ``--save-snapshot`` writes: the figures now, as this report shows them."""
    return OutlookSnapshot(kind=KIND, taken=report.today, figures=SnapshotFigures(**{f.figure: f.now for f in report.figures}))


def _month_key(month: str) -> tuple[int, int]:
    year, number = month.split("-")
    return int(year), int(number)


def _status(month: str | None, today: dt.date, systems: int, done: int, moving: int) -> tuple[Rag, str]:
    if month is None:
        return Rag.no_month, "no month recorded (borough inventory waves --apply stores them)"
    current = (today.year, today.month)
    due = _month_key(month)
    if due > current:
        return Rag.not_due, f"due {month}"
    if due == current:
        if done + moving == systems:
            return Rag.green, "in its month, every system under way or done"
        return Rag.amber, f"in its month; {systems - done - moving} not under way"
    if done == systems:
        return Rag.green, "done"
    share = done / systems if systems else 1
    return (Rag.amber if share >= 0.75 else Rag.red), f"{month} has passed; {done} of {systems} done"


def figures_then(estate: Estate, params: ReportParams) -> dict[str, int] | None:
    """The headline figures on the ``--since`` day: as a saved snapshot has them, else replayed from the history."""
    if params.snapshot is not None:
        return params.snapshot.figures.model_dump()
    if params.since is None:
        return None
    then = Counter(states_on(estate, params.since).values())
    return {key: count(then) for key, _, count in FIGURES}


def build(estate: Estate, params: ReportParams) -> OutlookReport:
    today, since = params.today, params.since
    now = Counter(s.state for s in estate.systems)
    then = figures_then(estate, params)
    figures = tuple(
        Figure(figure=key, label=label, now=count(now), then=None if then is None else then[key],
               change=None if then is None else count(now) - then[key])
        for key, label, count in FIGURES
    )
    in_wave: dict[int, list] = {}
    for s in sorted(estate.systems, key=lambda s: s.id):
        if s.wave is not None and (why_not_migrating(s) is None or s.state in DONE):
            in_wave.setdefault(s.wave, []).append(s)
    waves = []
    for number, members in sorted(in_wave.items()):
        c = count_states(members)
        month = estate.wave_months.get(number)
        status, why = _status(month, today, c.systems, c.done, c.migrating)
        waves.append(WaveStatus(wave=number, month=month, systems=c.systems, done=c.done, migrating=c.migrating, on_hold=c.on_hold,
                                not_started=c.not_started, status=status, why=why))
    order = [Rag.red, Rag.amber, Rag.green]
    due = [w.status for w in waves if w.status in order]
    overall = min(due, key=order.index) if due else Rag.not_due
    upcoming = [w for w in waves if w.done < w.systems]
    to_move = {w.wave: [s for s in in_wave[w.wave] if s.state not in DONE] for w in upcoming[:NEXT_WAVES]}
    next_waves = tuple(
        NextWave(wave=w.wave, month=w.month, systems=tuple(s.id for s in to_move[w.wave]), names=tuple(s.name for s in to_move[w.wave]))
        for w in upcoming[:NEXT_WAVES]
    )
    links: tuple[WaveLink, ...] = ()
    if next_waves:
        members = set(next_waves[0].systems)
        by_id = {s.id: s for s in estate.systems}
        links = tuple(
            WaveLink(source=d.source, target=d.target, kind=d.kind, target_wave=by_id[d.target].wave, target_state=by_id[d.target].state)
            for d in estate.dependencies
            if (d.source in members or d.target in members) and d.source in by_id and d.target in by_id
        )
    return OutlookReport(today=today, since=since, since_snapshot=params.snapshot_file, figures=figures, overall=overall, waves=tuple(waves), next_waves=next_waves,
                         next_wave_links=links)
