"""`borough report`: portfolio, progress, risk, waves, CAF and TIME reports on the inventory."""

from __future__ import annotations

import typer

app = typer.Typer(help="Reports on the inventory for boards and architects.", no_args_is_help=True)
