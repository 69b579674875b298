"""`borough report`: portfolio, progress, risk, waves, CAF and TIME reports on the inventory."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from cli.common import EXIT_INCOMPLETE, OutputFormat, TabularFormat, cli_command, dumps_json, emit
from inventory.register.limits import DATE_WINDOW, MAX_MONTHS

app = typer.Typer(help="Reports on the inventory for boards and architects.", no_args_is_help=True)

FormatOpt = Annotated[
    TabularFormat,
    typer.Option("--format", "-f", help="table, csv or markdown for people; json for scripts (named sections of records, schemas in docs/schemas/)."),
]
DbOpt = Annotated[
    Optional[str], typer.Option("--db", help="Database URL (default: BOROUGH_DB, else .borough/inventory.db); it must already hold a register.")
]
MonthsOpt = Annotated[
    Optional[int],
    typer.Option(
        "--months", min=0, max=MAX_MONTHS, help="Risk: look-ahead in months (default 6). Progress: months of history (default 12)."
    ),
]
TodayOpt = Annotated[Optional[str], typer.Option("--today", help=f"Report as of this date, YYYY-MM-DD, within {DATE_WINDOW} (default: today).")]
SectionOpt = Annotated[
    Optional[str],
    typer.Option("--section", help="Only this table of the report (csv, table, markdown), e.g. --section time-categories; "
                 "csv without it names each row's section in a first column."),
]
SinceOpt = Annotated[
    Optional[str], typer.Option("--since", help="Outlook and html: compare the headline figures with this day, YYYY-MM-DD (replayed from the history), "
                                "or with a snapshot FILE saved by an earlier report's --save-snapshot (the figures as the board saw them).")
]
SnapshotOpt = Annotated[
    Optional[Path], typer.Option("--save-snapshot", help="Also write this report's headline figures to FILE (JSON), for a later report's --since FILE.")
]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.")]


def _params(today: str | None, months: int | None, since: str | None = None):  # noqa: ANN202 - ReportParams, imported lazily
    """--today (default: today), --months and --since, as every report command reads them."""
    import datetime as dt

    from inventory.reports import ReportParams, parse_day
    from inventory.reports.snapshot import saved_snapshot

    snapshot = saved_snapshot(since) if since else None
    day = snapshot.taken if snapshot else parse_day(since, "--since") if since else None
    return ReportParams(today=parse_day(today) if today else dt.date.today(), months=months, since=day,
                        snapshot=snapshot, snapshot_file=Path(since).name if snapshot and since else None)


def _save_snapshot(report, path: Path | None) -> None:  # noqa: ANN001 - OutlookReport, imported lazily
    """--save-snapshot: the report's figures now, written atomically."""
    if path is None:
        return
    from cli.common import write_output
    from inventory.reports.outlook import snapshot_of
    from inventory.reports.snapshot import snapshot_json

    write_output(snapshot_json(snapshot_of(report)), path)
    typer.echo(f"wrote snapshot {path}", err=True)


def _run(name: str, fmt: TabularFormat, db: str | None, months: int | None, today: str | None, output: Path | None,
         since: str | None = None, section: str | None = None, save_snapshot: Path | None = None) -> None:
    from cli.render import render_sections_csv, render_tables
    from inventory.reports import ReportName, read_report
    from inventory.reports.table import pick_section

    report = read_report(ReportName(name), db, _params(today, months, since))
    if fmt is TabularFormat.json:
        emit(dumps_json(report.to_json()), output)
        _save_snapshot(report, save_snapshot)
        return
    tables = report.tables()
    if section:
        tables = [pick_section(tables, section)]
    if fmt is TabularFormat.csv and len(tables) > 1:
        emit(render_sections_csv(tables), output)
    else:
        emit(render_tables(tables, fmt.output), output)
    _save_snapshot(report, save_snapshot)


def _command(name: str, help_text: str) -> Callable[..., None]:
    @cli_command
    def command(
        fmt: FormatOpt = TabularFormat.table,
        db: DbOpt = None,
        months: MonthsOpt = None,
        today: TodayOpt = None,
        output: OutputOpt = None,
        since: SinceOpt = None,
        section: SectionOpt = None,
    ) -> None:
        _run(name, fmt, db, months, today, output, since, section)

    command.__doc__ = help_text
    command.__name__ = name
    return command


for _name, _help in (
    ("portfolio", "Counts by state and strategy, by service area and by hosting; annual cost by hosting."),
    ("progress", "Per wave planned against migrated, and month by month from the history."),
    ("risk", "Support and contracts ending, sensitive data on unsupported platforms, mission-critical on-premises, dependencies on retiring systems."),
    ("waves", "Systems by wave as the register holds them, and any wave that breaks dependency order."),
    ("caf", "NCSC CAF scoping: mission- and business-critical systems, their owners, hosting and dependencies."),
    ("time", "The TIME quadrant (tolerate, invest, migrate, eliminate) with counts and systems."),
):
    app.command(_name, help=_help)(_command(_name, _help))


@app.command("outlook")
@cli_command
def outlook(
    fmt: FormatOpt = TabularFormat.table,
    db: DbOpt = None,
    months: MonthsOpt = None,
    today: TodayOpt = None,
    output: OutputOpt = None,
    since: SinceOpt = None,
    section: SectionOpt = None,
    save_snapshot: SnapshotOpt = None,
) -> None:
    """The board pack's first page: figures now and --since a day or snapshot, waves red/amber/green against their months, what moves next."""
    _run("outlook", fmt, db, months, today, output, since, section, save_snapshot)


@app.command("html")
@cli_command
def html(
    output: OutputOpt = None,
    checks: Annotated[
        bool, typer.Option("--checks", help="Also synthesize and check every bundled stack (as check --all --framework ncsc) and include the results.")
    ] = False,
    db: DbOpt = None,
    months: MonthsOpt = None,
    today: TodayOpt = None,
    since: SinceOpt = None,
    save_snapshot: SnapshotOpt = None,
) -> None:
    """The estate report for a board pack: one self-contained, accessible HTML file (no scripts, no web requests).

    Exit 0 when written; 3 when --checks could not evaluate everything (the report says what).
    """
    from inventory.reports import ReportName
    from inventory.reports.html import read_estate_report, render_html, with_checks

    report = read_estate_report(db, _params(today, months, since))
    if checks:
        from policies.model import FrameworkId
        from policies.request import CheckRequest, check

        typer.echo("report html: synthesizing and checking every bundled stack (offline)...", err=True)
        report = with_checks(report, check(CheckRequest(all_stacks=True, frameworks=[FrameworkId.ncsc])).to_dict())
    emit(render_html(report), output)
    _save_snapshot(report.records[ReportName.outlook], save_snapshot)
    if report.checks is not None and report.checks["incomplete"]:
        raise typer.Exit(EXIT_INCOMPLETE)


class EvidenceFormat(str, Enum):
    html = "html"
    json = "json"
    csv = "csv"


@app.command("caf-evidence")
@cli_command
def caf_evidence(
    fmt: Annotated[EvidenceFormat, typer.Option("--format", "-f", help="html (one self-contained file for the assessor), json or csv.")] = EvidenceFormat.html,
    from_check: Annotated[Optional[Path], typer.Option("--from-check", help="A saved `check --format json` report (e.g. a --live run with Azure Policy states); default: check every bundled stack now.")] = None,
    db: DbOpt = None,
    today: TodayOpt = None,
    output: OutputOpt = None,
) -> None:
    """NCSC CAF evidence per contributing outcome (A1.a .. D2.b): what borough judged and where, what Azure Policy
    recorded, what the register shows (A3 assets, A4 suppliers), and what remains for people to evidence.

    Exit 0 when written; 3 when the check run behind it was incomplete (the pack says what it has).
    """
    from policies.compliance.caf_evidence import evidence_tables, read_caf_evidence

    pack, incomplete = read_caf_evidence(from_check, db, _params(today, None).today)
    if fmt is EvidenceFormat.html:
        from policies.compliance.caf_evidence_html import render_caf_evidence

        text = render_caf_evidence(pack)
    elif fmt is EvidenceFormat.json:
        text = dumps_json(pack.model_dump(mode="json"))
    else:
        from cli.render import render_tables

        text = render_tables(evidence_tables(pack), OutputFormat.csv)
    emit(text, output)
    for reason in incomplete:
        typer.echo(f"borough: incomplete: {reason}", err=True)
    if incomplete:
        raise typer.Exit(EXIT_INCOMPLETE)
