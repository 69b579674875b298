"""`borough check-changed FILE...`: the baseline on the Pulumi programs and ARM templates that the
given files belong to (what the pre-commit hook runs on the files a commit touches)."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.check_cmd import ALL_FORMATS, FailOn, finish_report
from cli.common import OutputFormat, cli_command, require_format


@cli_command
def check_changed(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Changed files (pre-commit passes them).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table, json, sarif, junit, markdown or csv.")] = OutputFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", help="Write the report to FILE.")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 on failed checks of this severity or above.")] = FailOn.low,
    suppressions: Annotated[Optional[Path], typer.Option("--suppressions", help="Suppressions file (default: the policy directory's).")] = None,
    policy_dir: Annotated[Optional[Path], typer.Option("--policies", help="Policy directory (default: the bundled baseline).")] = None,
) -> None:
    """Check each Pulumi Python program (once per Pulumi.<stack>.yaml) and ARM template that FILES
    belong to. Files of neither kind are ignored; none at all is exit 0. Exit codes as `check`."""
    require_format(fmt, ALL_FORMATS, "check-changed")
    from policies.changed import check_changed as run

    report = run(list(files or []), policy_dir=policy_dir, suppressions=suppressions)
    if not report.targets:
        typer.echo("borough: no Pulumi Python program or ARM template among the changed files", err=True)
        raise typer.Exit(0)
    finish_report(report, fmt, output, fail_on)
