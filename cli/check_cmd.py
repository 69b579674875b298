"""`borough check` and `borough policies`: compliance checks with checkov and the council baseline."""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import OutputFormat, TabularFormat, cli_command, dumps_json, emit, require_format

policies_app = typer.Typer(help="The council's security baseline and framework mappings.", no_args_is_help=True)


class FailOn(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class FrameworkName(str, Enum):
    ncsc = "ncsc"
    caf = "caf"
    cis = "cis"


ALL_FORMATS = set(OutputFormat)


@cli_command
def check(
    stacks: Annotated[Optional[list[str]], typer.Argument(help="Bundled stacks to check, e.g. platform-prod.")] = None,
    all_stacks: Annotated[bool, typer.Option("--all", help="Check every bundled stack.")] = False,
    program: Annotated[Optional[Path], typer.Option("--program", help="A Pulumi Python program directory.")] = None,
    stack: Annotated[Optional[str], typer.Option("--stack", help="The stack of --program (its Pulumi.<stack>.yaml).")] = None,
    state: Annotated[Optional[list[Path]], typer.Option("--state", help="A `pulumi stack export` file (repeatable).")] = None,
    template: Annotated[Optional[list[Path]], typer.Option("--template", help="An ARM template file (repeatable).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table, json, sarif, junit, markdown or csv.")] = OutputFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", help="Write the report to FILE.")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 on failed checks of this severity or above.")] = FailOn.low,
    framework: Annotated[Optional[list[FrameworkName]], typer.Option("--framework", help="Summarise per requirement of ncsc, caf or cis.")] = None,
    suppressions: Annotated[Optional[Path], typer.Option("--suppressions", help="Suppressions file (default: the policy directory's).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 if any resource could not be rendered to ARM.")] = False,
    allow_unrendered: Annotated[bool, typer.Option("--allow-unrendered", help="Accept Azure resources of types borough cannot render (listed, not checked) instead of exit 3.")] = False,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="Accept an input with nothing to check instead of exit 3.")] = False,
    parameters: Annotated[Optional[Path], typer.Option("--parameters", help="An ARM parameters file for --template (values for its parameters).")] = None,
    policy_dir: Annotated[Optional[Path], typer.Option("--policies", help="Policy directory (default: the bundled baseline).")] = None,
    python: Annotated[Optional[Path], typer.Option("--python", help="Python interpreter that runs programs (default: the program's virtualenv from Pulumi.yaml, else borough's).")] = None,
    install: Annotated[bool, typer.Option("--install", help="Run --program in a virtualenv built from its own requirements, as `pulumi install` would (cached and reused).")] = False,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.1, max=3600, help="Seconds a program's synthesis may take before it is stopped (exit 3; default 300). With --live: seconds each Azure request may wait for an answer (default 60), then retried like other transient failures.")] = None,
    live: Annotated[bool, typer.Option("--live", help="Check what is deployed in Azure (Resource Graph); --state FILE then only names managed resources.")] = False,
    subscription: Annotated[Optional[list[str]], typer.Option("--subscription", help="With --live: subscription id to read (repeatable; default ARM_SUBSCRIPTION_ID).")] = None,
    resource_group: Annotated[Optional[list[str]], typer.Option("--resource-group", help="With --live: only these resource groups (repeatable).")] = None,
    management_group: Annotated[Optional[list[str]], typer.Option("--management-group", help="With --live: every subscription under this management group (repeatable).")] = None,
    unmanaged_only: Annotated[bool, typer.Option("--unmanaged-only", help="With --live: only resources no stack, state or registered system-id accounts for.")] = False,
    db: Annotated[Optional[str], typer.Option("--db", help="With --live: the register whose system-ids count as managed (default: BOROUGH_DB, else .borough/inventory.db if it exists).")] = None,
    azure_endpoint: Annotated[Optional[str], typer.Option("--azure-endpoint", envvar="BOROUGH_AZURE_ENDPOINT", help="With --live: ARM endpoint (default https://management.azure.com; http only on loopback, for testing).")] = None,
    retries: Annotated[int, typer.Option("--retries", min=0, max=20, help="With --live: retries per request on throttling, 5xx and timeouts.")] = 5,
    retry_backoff: Annotated[float, typer.Option("--retry-backoff", min=0.0, max=60.0, help="With --live: backoff factor in seconds (Retry-After wins when sent).")] = 0.8,
    today: Annotated[Optional[str], typer.Option("--today", help="Judge the suppressions' expiry as of this date, YYYY-MM-DD (default: today): an audit reproduced later gives the same report.")] = None,
) -> None:
    """Run compliance checks (checkov built-in + council checks) on stacks, programs, state or templates.

    Exit 0 clean, 1 findings at or above --fail-on, 2 bad input, 3 incomplete (a check crashed,
    an Azure resource could not be rendered unless --allow-unrendered, an input had nothing to
    check unless --allow-empty, or --strict and any resource could not be rendered).
    """
    require_format(fmt, ALL_FORMATS, "check")
    from policies.model import FrameworkId
    from policies.output.report import Acceptance
    from inventory.reports import parse_day
    from policies.request import CheckRequest, check as run

    request = CheckRequest(stacks=list(stacks or []), all_stacks=all_stacks, program=program, program_stack=stack,
                           states=list(state or []), templates=list(template or []),
                           frameworks=[FrameworkId(f.value) for f in framework or []], suppressions=suppressions,
                           policy_dir=policy_dir, template_parameters=parameters, python=python, install=install, timeout=timeout,
                           acceptance=Acceptance(strict=strict, allow_unrendered=allow_unrendered, allow_empty=allow_empty),
                           today=parse_day(today) if today else None,
                           live=_live_request(live, subscription, resource_group, management_group, unmanaged_only, db,
                                              azure_endpoint, retries, retry_backoff, timeout))
    report = run(request, progress=_progress_bar())
    finish_report(report, fmt, output, fail_on)


def finish_report(report, fmt: OutputFormat, output: Optional[Path], fail_on: FailOn) -> None:
    """Render a check report in ``fmt``, write it, say why it is incomplete, and exit with its code."""
    from policies.output.formats import report_tables, to_junit, to_sarif
    from policies.model import Severity

    if fmt is OutputFormat.json:
        text = dumps_json(report.to_dict())
    elif fmt is OutputFormat.sarif:
        text = dumps_json(to_sarif(report, _version()))
    elif fmt is OutputFormat.junit:
        text = to_junit(report)
    else:
        from cli.render import render_tables

        from policies.subscription_evidence import policy_state_table

        text = render_tables(report_tables(report, include_passed=fmt is OutputFormat.csv,
                                          detailed=fmt is not OutputFormat.table) + policy_state_table(report.policy_states), fmt)
    emit(text, output)
    for reason in report.incomplete():
        typer.echo(f"borough: incomplete: {reason}", err=True)
    hint = report.acceptance_hint()
    if hint:
        typer.echo(f"hint: {hint}", err=True)
    raise typer.Exit(report.exit_code(Severity(fail_on.value)))


@policies_app.command("list")
@cli_command
def list_policies(
    framework: Annotated[Optional[FrameworkName], typer.Option("--framework", help="Show one framework's requirements.")] = None,
    fmt: Annotated[TabularFormat, typer.Option("--format", help="table, csv or markdown for people; json for scripts (check or requirement records, schemas in docs/schemas/).")] = TabularFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", help="Write to FILE.")] = None,
    policy_dir: Annotated[Optional[Path], typer.Option("--policies", help="Policy directory (default: the bundled baseline).")] = None,
) -> None:
    """List the enforced checks (severity, title, framework mappings) or a framework's requirements."""
    from cli.render import render_tables
    from policies import listing
    from policies.model import FrameworkId

    if framework is not None:
        record = listing.framework_record(FrameworkId(framework.value), policy_dir)
        data, table = record.model_dump(mode="json"), listing.requirements_table(record)
    else:
        records = listing.check_records(policy_dir)
        data, table = [r.model_dump(mode="json") for r in records], listing.checks_table(records)
    emit(dumps_json(data) if fmt is TabularFormat.json else render_tables([table], fmt.output), output)


@policies_app.command("coverage")
@cli_command
def policies_coverage(
    fmt: Annotated[TabularFormat, typer.Option("--format", help="table, csv or markdown for people; json for scripts (one record per initiative).")] = TabularFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", help="Write to FILE.")] = None,
    policy_dir: Annotated[Optional[Path], typer.Option("--policies", help="Policy directory (default: the bundled baseline).")] = None,
) -> None:
    """Per Azure Policy initiative (NCSC CAF v3.2, UK OFFICIAL and UK NHS): its policies, how many borough
    checks, reads live, leaves to Azure Policy's state or cannot judge, and the ones no check covers."""
    from cli.render import render_tables
    from policies.compliance.coverage import coverage, coverage_tables

    records = coverage(policy_dir)
    emit(dumps_json([r.model_dump(mode="json") for r in records]) if fmt is TabularFormat.json
         else render_tables(coverage_tables(records), fmt.output), output)


def _live_request(live: bool, subscriptions: Optional[list[str]], groups: Optional[list[str]],
                  management_groups: Optional[list[str]], unmanaged_only: bool, db: Optional[str],
                  endpoint: Optional[str], retries: int, backoff: float, timeout: Optional[float] = None):
    """The --live part of the request (None without --live; its options alone are a usage error)."""
    if not live:
        given = [name for name, value in (("--subscription", subscriptions), ("--resource-group", groups),
                                          ("--management-group", management_groups), ("--unmanaged-only", unmanaged_only),
                                          ("--db", db)) if value]
        if given:
            raise typer.BadParameter(f"{', '.join(given)} only apply to --live", param_hint="--live")
        return None
    from inventory.live.azure import PUBLIC_ENDPOINT, AzureSettings
    from inventory.register.registered import registered_system_ids
    from policies.live_check import LiveRequest

    settings = AzureSettings(endpoint=endpoint or PUBLIC_ENDPOINT, retry_total=retries, retry_backoff_factor=backoff)
    if timeout is not None:
        settings = settings.with_timeout(timeout)
    return LiveRequest(subscriptions=list(subscriptions or []), resource_groups=list(groups or []),
                       management_groups=list(management_groups or []), registered=registered_system_ids(db),
                       unmanaged_only=unmanaged_only, settings=settings)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("borough")
    except PackageNotFoundError:
        return "0"


def _progress_bar():
    """A Rich progress bar on stderr, only when stderr is a terminal (never in machine output)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    state: dict[str, object] = {}

    def update(done: int, total: int, label: str) -> None:
        if total < 2:
            return
        if "bar" not in state:
            bar = Progress(console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        bar = state["bar"]
        bar.update(state["task"], total=total, completed=done, description=label or "done")  # type: ignore[attr-defined]
        if done >= total and not label:
            bar.stop()  # type: ignore[attr-defined]

    return update
