"""`borough stacks`: list, synthesize and show the Pulumi stacks."""

from __future__ import annotations

import typer

app = typer.Typer(help="List, synthesize (offline) and show the Pulumi stacks.", no_args_is_help=True)
