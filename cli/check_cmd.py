"""`borough check` and `borough policies`: compliance checks with checkov and the council baseline."""

from __future__ import annotations

import typer

policies_app = typer.Typer(help="The council's security baseline and framework mappings.", no_args_is_help=True)


def check() -> None:
    """Run compliance checks (checkov built-in + council checks) on stacks, programs, state or templates."""
    raise typer.Exit(3)
