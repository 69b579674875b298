"""The `borough` command: a thin Typer layer over synth, policies, deployed and inventory."""
