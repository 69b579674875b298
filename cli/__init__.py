"""The `borough` command: a thin Typer layer over stacks, policies and inventory."""
