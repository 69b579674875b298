"""`borough inventory waves`: plan migration waves from the dependency graph."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import OutputFormat, cli_command, dumps_json, emit
from inventory.register.limits import MAX_CAPACITY, MONTH_WINDOW


class PlanFormat(str, Enum):
    """What the plan renders to (its reasons read badly as CSV cells, so there is no CSV)."""

    table = "table"
    json = "json"
    markdown = "markdown"

    @property
    def output(self) -> OutputFormat:
        return OutputFormat(self.value)


@cli_command
def waves(
    capacity: Annotated[
        Optional[int], typer.Option("--capacity", min=1, max=MAX_CAPACITY, help="Most systems per wave (default: no limit).")
    ] = None,
    start: Annotated[
        Optional[str], typer.Option("--start", help=f"Month of wave 1, YYYY-MM within {MONTH_WINDOW} (default: next month).")
    ] = None,
    blackout: Annotated[
        Optional[list[str]], typer.Option("--blackout", help="A month with no wave, e.g. 03 for council tax billing; repeatable.")
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write the planned waves and their months to the register, with history.")] = False,
    include: Annotated[
        Optional[list[str]],
        typer.Option("--include", help="Also plan systems in this state: discovered or on-hold (left out by default); repeatable."),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (with --apply): kept in the history.")] = "",
    actor: Annotated[Optional[str], typer.Option("--actor", help="Who applies the plan (else BOROUGH_ACTOR, else your user name).")] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="When the plan was agreed (with --apply), YYYY-MM-DD (default: now).")] = None,
    db: Annotated[
        Optional[str], typer.Option("--db", help="Database URL (default: BOROUGH_DB, else .borough/inventory.db); it must already hold a register.")
    ] = None,
    fmt: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table or markdown for people; json for scripts (named sections of records, schema in docs/schemas/)."),
    ] = PlanFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the plan to FILE instead of stdout.")] = None,
) -> None:
    """Plan migration waves from the dependency graph and say why each group sits where it does (--apply writes them)."""
    import datetime as dt

    from cli.render import render_tables
    from inventory.planning import Month, PlanOptions, parse_blackout, parse_include, plan_register
    from inventory.register.when import parse_on

    first = Month.parse(start) if start else Month.of(dt.date.today()).next()
    options = PlanOptions(start=first, capacity=capacity, blackout=parse_blackout(blackout or []), include=parse_include(include or []))
    run = plan_register(db, options, apply=apply, actor=actor, reason=reason, on=parse_on(on) if on else None)
    if fmt is PlanFormat.json:
        data = run.plan.to_dict()
        if apply:
            data["applied"] = list(run.applied)
        text = dumps_json(data)
    else:
        text = render_tables(run.plan.tables(), fmt.output)
    emit(text, output)
    if apply:
        typer.echo(f"applied: {len(run.applied)} system(s) given a new wave, each with a history event", err=True)
