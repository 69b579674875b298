"""`borough inventory`: the register of the council's systems."""

from __future__ import annotations

import typer

app = typer.Typer(help="The register of the council's systems, their migration state and dependencies.", no_args_is_help=True)

from cli import waves_cmd  # noqa: E402

app.command("waves")(waves_cmd.waves)
