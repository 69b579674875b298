"""`borough policies pack` (write the baseline as a Pulumi policy pack) and `borough policies
evaluate-stack` (what the pack runs: judge the resources the policy engine sent)."""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.check_cmd import FailOn
from cli.common import cli_command, dumps_json, emit


class Level(str, Enum):
    advisory = "advisory"
    mandatory = "mandatory"
    disabled = "disabled"


@cli_command
def pack(
    out_dir: Annotated[Path, typer.Option("--output", help="The pack directory to write (new, empty, or an earlier pack).")],
    mandatory: Annotated[Optional[list[FailOn]], typer.Option("--mandatory", help="Severities whose checks block `pulumi up` (repeatable; default critical and high); the rest are advisory.")] = None,
    command: Annotated[str, typer.Option("--command", help="How the pack runs borough where Pulumi runs (a command line).")] = "borough",
    suppressions: Annotated[Optional[str], typer.Option("--suppressions", help="Suppressions file the pack applies (default: the baseline's).")] = None,
    policy_dir: Annotated[Optional[Path], typer.Option("--policies", help="Policy directory (default: the bundled baseline).")] = None,
    not_evaluated: Annotated[Level, typer.Option("--not-evaluated", help="Enforcement of borough-run: resources not evaluated (unknown during preview, unrenderable, crashed checks).")] = Level.mandatory,
    expired: Annotated[Level, typer.Option("--expired-suppressions", help="Enforcement of borough-expired-suppressions.")] = Level.advisory,
    version: Annotated[str, typer.Option("--version", help="The pack's version (PulumiPolicy.yaml).")] = "0.1.0",
) -> None:
    """Write the council baseline as a Pulumi policy pack: `pulumi preview --policy-pack DIR`."""
    from policies.model import Severity
    from policies.pack.build import PackOptions, write_pack

    levels = frozenset(Severity(s.value) for s in mandatory) if mandatory else PackOptions.mandatory
    manifest = write_pack(out_dir, PackOptions(mandatory=levels, command=command, suppressions=suppressions,
                                              policy_dir=policy_dir, not_evaluated=not_evaluated.value,
                                              expired_suppressions=expired.value, version=version))
    blocking = sum(1 for c in manifest["checks"] if c["enforcement"] == "mandatory")
    typer.echo(f"wrote {out_dir}: {len(manifest['checks'])} checks ({blocking} mandatory)", err=True)


@cli_command
def evaluate_stack(
    input_file: Annotated[str, typer.Option("--input", help="The resources as a `pulumi stack export` file, or - for stdin.")],
    suppressions: Annotated[Optional[Path], typer.Option("--suppressions", help="Suppressions file (default: the policy directory's).")] = None,
    policy_dir: Annotated[Optional[Path], typer.Option("--policies", help="Policy directory (default: the bundled baseline).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", help="Write the verdict to FILE.")] = None,
) -> None:
    """The policy pack's verdict on a stack (JSON): violations, not evaluated, expired suppressions."""
    from policies.pack.evaluate import StackRequest, evaluate_stack as run, pack_record
    from synth.errors import StateError
    from synth.jsonfile import read_json

    if input_file == "-":
        import json

        try:
            data = json.loads(sys.stdin.read())
        except ValueError as exc:
            raise StateError(f"--input -: not JSON: {exc}") from None
    else:
        data = read_json(Path(input_file), StateError)
    emit(dumps_json(pack_record(run(StackRequest(export=data, policy_dir=policy_dir, suppressions=suppressions)))), output)
