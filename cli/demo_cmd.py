"""`borough demo`: the estate at a glance, on the bundled stacks and sample estate.

It only composes what the other commands do (synthesis + `check --all`, loading the sample
estate, two reports, the HTML estate report), so a newcomer sees each part of borough with one command.
"""

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import cli_command, emit, write_output


@cli_command
def demo(
    db: Annotated[Optional[str], typer.Option("--db", help="Inventory database URL (default: BOROUGH_DB or .borough/inventory.db).")] = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Check and report as of this date, YYYY-MM-DD (default: today): the same figures on any day.")] = None,
) -> None:
    """Synthesize and check every bundled stack, load the sample estate and report on it.

    Exit 0 when every stack passes the baseline, 1 on findings, 3 if anything was not evaluated.
    """
    from concurrent.futures import ThreadPoolExecutor

    from cli.common import OutputFormat
    from cli.render import Table, render_tables
    from inventory.reports import ReportName, ReportParams, parse_day
    from inventory.reports.html import read_estate_report, render_html
    from inventory.sample import load_sample
    from inventory.store import open_store
    from policies.model import FrameworkId
    from policies.request import CheckRequest, check
    from synth.catalog import list_stacks

    day = parse_day(today) if today else dt.date.today()
    typer.echo("borough demo: synthesizing and checking every bundled stack (offline)...", err=True)
    stacks = {s.name: s for s in list_stacks()}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="borough-demo-check") as pool:
        # The synthesis children run meanwhile, so the sample estate loads alongside them.
        checking = pool.submit(check, CheckRequest(all_stacks=True, frameworks=[FrameworkId.ncsc], today=day))
        typer.echo("borough demo: loading the sample estate into the inventory...", err=True)
        with open_store(db) as store:
            loaded = load_sample(store)
            where = store.url
        report = checking.result()
    rows = []
    for target in report.targets:
        info = stacks.get(target.name)
        rows.append([target.name, info.location if info else "",
                     info.system_id if info else "", target.resources, target.checks_evaluated, target.evaluations,
                     target.passed, target.failed, target.suppressed, target.errored])
    stack_table = Table("Stacks: synthesized offline and checked against the council baseline",
                         ["stack", "location", "system-id", "resources", "distinct checks", "evaluations",
                          "passed", "failed", "suppressed", "errored"], rows)

    load_table = Table("Inventory: the sample estate, loaded (an upsert: loading again changes nothing)",
                        ["database", "systems added", "changed", "unchanged", "dependencies added"],
                        [[where, len(loaded.added), len(loaded.changed), len(loaded.unchanged), len(loaded.links_added)]])
    # The register is read once: the HTML report's records also give the two reports shown here.
    estate = read_estate_report(db, ReportParams(today=day), report.to_dict())
    tables = [stack_table, load_table]
    for name in (ReportName.portfolio, ReportName.risk):
        tables += estate.records[name].tables()
    emit(render_tables(tables, OutputFormat.table), None)

    estate_html = Path(".borough") / "estate.html"
    write_output(render_html(estate), estate_html)
    typer.echo(f"estate report (HTML, for a board pack): {estate_html.resolve()}")
    typer.echo(
        "next: borough check --all --framework ncsc | borough stacks show platform-prod | "
        "borough inventory list | borough inventory waves | borough report progress",
        err=True,
    )
    raise typer.Exit(report.exit_code())
