"""`borough drift`: deployed stacks against the live cloud, and the inventory against reality."""

from __future__ import annotations

import typer

app = typer.Typer(help="Drift checks: stacks against live Azure, the inventory against live resources.", no_args_is_help=True)
