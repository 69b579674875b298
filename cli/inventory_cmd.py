"""`borough inventory`: the register of the council's systems."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from cli.common import EXIT_FINDINGS, StagedOutput, TabularFormat, cli_command, dumps_json, emit, json_chunks
from inventory.register.limits import MAX_VERSION, MAX_WAVE

app = typer.Typer(help="The register of the council's systems, their migration state and dependencies.", no_args_is_help=True)

from cli import waves_cmd  # noqa: E402

app.command("waves")(waves_cmd.waves)

from cli import mapping_cmd  # noqa: E402

app.command("mapping")(mapping_cmd.mapping)

class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    yaml = "yaml"
    json = "json"


Db = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        help="Database URL (else BOROUGH_DB, else .borough/inventory.db, made on first use). "
        "Only import and add create a database that does not exist; other commands refuse it.",
        show_default=False,
    ),
]
Actor = Annotated[Optional[str], typer.Option("--actor", help="Who makes the change (else BOROUGH_ACTOR, else your user name).", show_default=False)]
Reason = Annotated[str, typer.Option("--reason", help="Why: kept in the history.")]
On = Annotated[
    Optional[str],
    typer.Option("--on", help="When it happened, YYYY-MM-DD or DD/MM/YYYY (default: now); not in the future, not before the system's last change.",
                 show_default=False),
]
Format = Annotated[
    TabularFormat, typer.Option("--format", "-f", help="table, csv or markdown for people; json for scripts (records, schemas in docs/schemas/).")
]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False)]
Sets = Annotated[Optional[list[str]], typer.Option("--set", help="field=value (repeatable), e.g. --set 'annual_cost=£12,500'.", show_default=False)]


def _on(text: str | None):  # noqa: ANN202 - datetime | None
    from inventory.register.when import parse_on

    return parse_on(text) if text else None


def _render(fmt: TabularFormat, output: Path | None, tables: Callable[[], list], records: Callable[[], Any]) -> None:
    """JSON from the records, every other format from the tables (only the one asked for is built)."""
    emit(_rendered(fmt, tables, records), output)


def _rendered(fmt: TabularFormat, tables: Callable[[], list], records: Callable[[], Any]) -> str:
    from cli.render import render_tables

    return dumps_json(records()) if fmt is TabularFormat.json else render_tables(tables(), fmt.output)


def _open(db: str | None, create: bool = False):  # noqa: ANN202 - Store, imported lazily
    """The register at --db. Only import and add may create a new database (and remove it again
    if they store nothing in it); every other command refuses one that does not exist (a
    mistyped --db must not look like an empty register)."""
    from inventory.store import creating_store, open_store

    return creating_store(db) if create else open_store(db, create=False)


def _done(message: str) -> None:
    typer.echo(message, err=True)


@app.command("add")
@cli_command
def add(
    system_id: Annotated[str, typer.Argument(help="The new system's id (a slug, e.g. council-tax).")],
    name: Annotated[str, typer.Argument(help="Its name.")],
    sets: Sets = None,
    db: Db = None,
    actor: Actor = None,
    reason: Reason = "",
    on: On = None,
) -> None:
    """Register a system."""
    from inventory.register.edits import add_system

    with _open(db, create=True) as store:
        system = add_system(store, system_id, name, sets or [], actor, reason, _on(on))
    _done(f"added {system.id} (version {system.version_no})")


@app.command("show")
@cli_command
def show(
    system_id: Annotated[str, typer.Argument(help="The system's id or name (case and spacing ignored).")],
    db: Db = None,
    fmt: Format = TabularFormat.table,
    output: Output = None,
) -> None:
    """Show one system with its dependencies (both directions)."""
    from inventory.register.lookup import find_id
    from inventory.views import system_json, system_tables

    with _open(db) as store:
        system_id = find_id(store, system_id)
        system, deps = store.get(system_id), store.dependencies(system_id)
    _render(fmt, output, lambda: system_tables(system, deps), lambda: system_json(system, deps))


@app.command("list")
@cli_command
def list_systems(
    state: Annotated[Optional[str], typer.Option(help="e.g. planned, on-hold.", show_default=False)] = None,
    strategy: Annotated[Optional[str], typer.Option(help="One of the 7 Rs, e.g. rehost.", show_default=False)] = None,
    service_area: Annotated[Optional[str], typer.Option("--service-area", help="e.g. 'Revenues and Benefits'.", show_default=False)] = None,
    hosting: Annotated[Optional[str], typer.Option(help="e.g. on-premises, azure.", show_default=False)] = None,
    wave: Annotated[Optional[int], typer.Option(min=0, max=MAX_WAVE, help="Wave number.", show_default=False)] = None,
    criticality: Annotated[Optional[str], typer.Option(help="e.g. mission-critical.", show_default=False)] = None,
    search: Annotated[Optional[str], typer.Option(help="Free text in id, name, description, owners, supplier, product, notes.", show_default=False)] = None,
    db: Db = None,
    fmt: Format = TabularFormat.table,
    output: Output = None,
) -> None:
    """List systems matching every filter given (json and csv carry every field)."""
    from inventory.register.edits import list_filtered
    from inventory.register.model import USER_FIELDS
    from inventory.views import LIST_COLUMNS, systems_json, systems_table

    with _open(db) as store:
        systems = list_filtered(store, state, strategy, service_area, hosting, wave, criticality, search)
    columns = USER_FIELDS if fmt is TabularFormat.csv else LIST_COLUMNS
    _render(fmt, output, lambda: [systems_table(systems, columns)], lambda: systems_json(systems))


@app.command("update")
@cli_command
def update(
    system_id: Annotated[str, typer.Argument(help="The system's id or name (case and spacing ignored).")],
    sets: Sets = None,
    expected_version: Annotated[
        Optional[int],
        typer.Option(
            "--expected-version", min=0, max=MAX_VERSION, help="Refuse unless the record is still at this version (as shown).", show_default=False
        ),
    ] = None,
    db: Db = None,
    actor: Actor = None,
    reason: Reason = "",
    on: On = None,
) -> None:
    """Change fields of a system (the state changes only through move)."""
    from inventory.register.edits import update_system
    from inventory.register.lookup import find_id

    with _open(db) as store:
        system_id = find_id(store, system_id)
        system = update_system(store, system_id, sets or [], expected_version, actor, reason, _on(on))
    _done(f"{system.id} is at version {system.version_no}")


from inventory.register.moves import moves_text  # noqa: E402 - plain data, no model import

@app.command("move", epilog=moves_text())
@cli_command
def move(
    system_id: Annotated[str, typer.Argument(help="The system's id or name (case and spacing ignored).")],
    state: Annotated[str, typer.Argument(help="The state to move to, e.g. assessed, planned, on-hold.")],
    force: Annotated[bool, typer.Option("--force", help="Decommission although live systems depend on it (needs --reason).")] = False,
    db: Db = None,
    actor: Actor = None,
    reason: Reason = "",
    on: On = None,
) -> None:
    """Move a system along its lifecycle; guards explain any refusal."""
    from inventory.register.edits import move_system
    from inventory.register.lookup import find_id

    with _open(db) as store:
        system_id = find_id(store, system_id)
        system = move_system(store, system_id, state, actor, reason, force, _on(on))
    _done(f"{system.id} is {system.state.value} (version {system.version_no})")


@app.command("link")
@cli_command
def link(
    source: Annotated[str, typer.Argument(help="The system that depends...")],
    target: Annotated[str, typer.Argument(help="...on this one.")],
    kind: Annotated[str, typer.Option(help="data feed, authentication, api, file transfer, shared database or unknown.")] = "unknown",
    description: Annotated[str, typer.Option(help="What flows between them.")] = "",
    db: Db = None,
    actor: Actor = None,
    reason: Reason = "",
    on: On = None,
) -> None:
    """Record that SOURCE depends on TARGET."""
    from inventory.register.edits import link_systems

    with _open(db) as store:
        dep = link_systems(store, source, target, kind, description, actor, reason, _on(on))
    _done(f"{dep.source} depends on {dep.target} ({dep.kind.value})")


@app.command("unlink")
@cli_command
def unlink(
    source: Annotated[str, typer.Argument(help="The dependent system.")],
    target: Annotated[str, typer.Argument(help="The system it no longer depends on.")],
    db: Db = None,
    actor: Actor = None,
    reason: Reason = "",
    on: On = None,
) -> None:
    """Remove the dependency of SOURCE on TARGET."""
    with _open(db) as store:
        dep = store.unlink(source, target, actor=actor, reason=reason, on=_on(on))
    _done(f"{dep.source} no longer depends on {dep.target}")


@app.command("history")
@cli_command
def history(
    system_id: Annotated[Optional[str], typer.Argument(help="Only this system's history (id or name).", show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_VERSION, help="Without a system: the latest N changes of the register.")] = 50,
    all_: Annotated[bool, typer.Option("--all", help="Without a system: every change of the register.")] = False,
    db: Db = None,
    fmt: Format = TabularFormat.table,
    output: Output = None,
) -> None:
    """Every change: when, who, what from -> to, and why (the whole register's latest 50 unless --limit or --all)."""
    from inventory.register.lookup import find_id
    from inventory.views import history_json, history_table

    with _open(db) as store:
        if system_id is not None:
            events = store.history(find_id(store, system_id))
        elif all_:
            events = store.history()
        else:
            events, total = store.latest_history(limit)
            if total > len(events):
                _done(f"the latest {len(events):,} of {total:,} changes; --limit N or --all for more, or name a system")
    _render(fmt, output, lambda: [history_table(events)], lambda: history_json(events))


@app.command("import", epilog=moves_text())
@cli_command
def import_(
    paths: Annotated[list[Path], typer.Argument(help="CSV, XLSX, YAML or JSON files (e.g. a systems sheet and a dependencies sheet).")],
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="Column-mapping file for a sheet with its own headers (borough inventory mapping --template writes a starter listing every field and value).", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be added and changed; write nothing.")] = False,
    sheet: Annotated[
        Optional[list[str]],
        typer.Option("--sheet", help="Read only this sheet of a workbook (repeatable); a hidden sheet is read only when named here.",
                     show_default=False),
    ] = None,
    db: Db = None,
    actor: Actor = None,
    reason: Reason = "",
    on: On = None,
    fmt: Format = TabularFormat.table,
    output: Output = None,
) -> None:
    """Import systems and dependencies: every problem reported at once, all or nothing, upsert by id.

    Each row's system must meet the guards of the state the row gives it (listed below, as for move);
    a row that does not is refused at its file and row, and nothing is imported.
    """
    from inventory.importing import import_files
    from inventory.views import import_json, import_tables

    def stage(result: Any) -> None:  # JSON in pieces: a names-only sheet's result lists every row
        staged.stage(json_chunks(import_json(result)) if fmt is TabularFormat.json else _rendered(fmt, lambda: import_tables(result), lambda: import_json(result)))

    with StagedOutput(output) as staged:  # the report is written before the import is committed
        with _open(db, create=True) as store:
            result = import_files(store, paths, mapping, actor=actor, reason=reason, dry_run=dry_run, before_commit=stage,
                                  on=_on(on), sheets=frozenset(sheet or ()))
        for warning in result.warnings:
            typer.echo(f"borough: warning: {warning}", err=True)
        staged.finish()


@app.command("export")
@cli_command
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, xlsx, yaml or json (all read back by import).")] = ExportFormat.yaml,
    mapping: Annotated[
        Optional[Path], typer.Option("--mapping", help="XLSX: the council's own headings and sheet names, from its import mapping.", show_default=False)
    ] = None,
    db: Db = None,
    output: Output = None,
) -> None:
    """Write the whole register out in a form import reads back."""
    import sys

    from inventory.errors import InventoryError
    from inventory.export.exporting import export_estate

    if fmt is ExportFormat.xlsx and output is None:
        raise InventoryError("XLSX is binary: give --output FILE.xlsx")
    if mapping is not None and fmt is not ExportFormat.xlsx:
        raise InventoryError(f"--mapping applies to --format xlsx, not {fmt.value}", hint="borough inventory export --format xlsx --mapping FILE --output FILE.xlsx")
    with _open(db) as store:
        data = export_estate(store.load_estate(), fmt.value, mapping)
    if isinstance(data, bytes):
        from cli.common import write_output

        assert output is not None
        write_output(data, output)
        _done(f"wrote {output}")
    else:
        emit(data, output)
    sys.stdout.flush()


@app.command("validate")
@cli_command
def validate(
    root: Annotated[Optional[Path], typer.Option("--root", help="Repository with the Pulumi.<stack>.yaml files (else BOROUGH_ROOT, else this checkout).", show_default=False)] = None,
    db: Db = None,
    fmt: Format = TabularFormat.table,
    output: Output = None,
) -> None:
    """Check the register against the stacks: exit 1 when they disagree."""
    from inventory.register.edits import validate_repo
    from inventory.views import problems_json, problems_table

    with _open(db) as store:
        problems = validate_repo(store, root)
    _render(fmt, output, lambda: [problems_table(problems)], lambda: problems_json(problems))
    if problems:
        raise typer.Exit(EXIT_FINDINGS)
    _done("the register and the stack files agree")
