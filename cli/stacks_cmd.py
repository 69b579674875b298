"""`borough stacks`: list, synthesize and show the Pulumi stacks."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import TabularFormat, cli_command, dumps_json, emit

app = typer.Typer(help="List, synthesize (offline) and show the Pulumi stacks.", no_args_is_help=True)

StackArg = Annotated[str, typer.Argument(help="Stack name, e.g. platform-prod (its Pulumi.<stack>.yaml).")]
ProgramOpt = Annotated[Optional[Path], typer.Option("--program", help="Any Pulumi Python program directory (default: the bundled stacks/).")]
ConfigOpt = Annotated[Optional[list[str]], typer.Option("--config", "-c", help="Config override KEY=VALUE (repeatable).")]
PythonOpt = Annotated[Optional[Path], typer.Option("--python", help="Python interpreter that runs the program (default: its virtualenv from Pulumi.yaml, else borough's).")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=1, max=3600, help="Seconds the synthesis may take before it is stopped (exit 3).")]


@app.command("list")
@cli_command
def list_cmd(
    fmt: Annotated[TabularFormat, typer.Option("--format", help="table, csv or markdown for people; json for scripts (stack records, schema in docs/schemas/).")] = TabularFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", help="Write to FILE.")] = None,
) -> None:
    """The bundled stacks: name, environment, location, system id."""
    from synth.catalog import list_stacks

    stacks = list_stacks()
    if fmt is TabularFormat.json:
        emit(dumps_json([s.to_dict() for s in stacks]), output)
        return
    from cli.render import Table, render_tables

    table = Table("Stacks", ["stack", "environment", "stage", "location", "system id"],
                   [[s.name, s.environment, s.stage, s.location, s.system_id] for s in stacks])
    emit(render_tables([table], fmt.output), output)


@app.command("synth")
@cli_command
def synth_cmd(
    stack: StackArg,
    program: ProgramOpt = None,
    config: ConfigOpt = None,
    output: Annotated[Optional[Path], typer.Option("--output", help="Write the JSON graph to FILE.")] = None,
    python: PythonOpt = None,
    timeout: TimeoutOpt = 300.0,
) -> None:
    """Synthesize a stack offline (Pulumi mocks, no cloud, in a child process) and print its resource graph as JSON.

    Exit 2 when the program is broken or ends without a graph, 3 when it runs out of time.
    """
    from synth.run import SynthOptions, synthesize_target

    graph = synthesize_target(stack, program, list(config or []), SynthOptions(python=python, timeout=timeout))
    emit(graph.to_json(), output)


@app.command("show")
@cli_command
def show_cmd(stack: StackArg, program: ProgramOpt = None, config: ConfigOpt = None, python: PythonOpt = None,
             timeout: TimeoutOpt = 300.0) -> None:
    """Synthesize a stack and show its tree of components and resources."""
    from rich.console import Console
    from rich.tree import Tree

    from synth.run import SynthOptions, synthesize_target
    from synth.tree import resource_tree

    root = resource_tree(synthesize_target(stack, program, list(config or []), SynthOptions(python=python, timeout=timeout)))

    def add(branch: Tree, node) -> None:  # type: ignore[no-untyped-def]
        style = "bold cyan" if node.component else ""
        child = branch.add(f"[{style}]{node.label}[/] [dim]{node.type}[/]" if style else f"{node.label} [dim]{node.type}[/]")
        for c in node.children:
            add(child, c)

    tree = Tree(f"[bold]{root.label}[/] [dim]({root.count()} resources)[/]")
    for node in root.children:
        add(tree, node)
    console = Console()
    if not console.is_terminal:  # piped: long lines rather than wrapped ones
        console = Console(width=240)
    console.print(tree)
