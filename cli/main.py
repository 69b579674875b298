"""Entry point: the root Typer app and its command groups.

Command modules import only typer at module level; core packages (and their heavy libraries)
are imported inside command functions so `borough --help` stays fast.
"""

from typing import Annotated

import typer

from cli import changed_cmd, check_cmd, demo_cmd, drift_cmd, inventory_cmd, pack_cmd, report_cmd, stacks_cmd

app = typer.Typer(
    name="borough",
    help="The council's platform toolkit: secure Azure stacks, compliance checks, drift and the systems inventory.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"borough {version('borough')}")
        except PackageNotFoundError:
            typer.echo("borough (not installed)")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    show_version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", callback=_version, is_eager=True)
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    ctx.obj = {"debug": debug}


app.add_typer(stacks_cmd.app, name="stacks")
app.command("check")(check_cmd.check)
app.command("check-changed")(changed_cmd.check_changed)
check_cmd.policies_app.command("pack")(pack_cmd.pack)
check_cmd.policies_app.command("evaluate-stack")(pack_cmd.evaluate_stack)
app.add_typer(check_cmd.policies_app, name="policies")
app.add_typer(inventory_cmd.app, name="inventory")
app.add_typer(report_cmd.app, name="report")
app.add_typer(drift_cmd.app, name="drift")
app.command("demo")(demo_cmd.demo)


def run() -> None:
    """Console-script entry. After the command has written and flushed its result, the process
    ends without tearing down the heap object by object: a large synthesis leaves about a million
    short-lived SDK objects whose orderly teardown costs longer than some checks.

    Nothing outlives borough (synth.reaper): it is the subreaper of what programs start, and
    SIGTERM and SIGHUP end a command as Ctrl-C does, with 128 + the signal's number; whatever
    ended the command, its children, their descendants and its temporary folders are removed."""
    import os
    import sys

    from cli.signals import handle_signals, received
    from cli.streams import guard_streams
    from synth.reaper import become_subreaper, stop_all

    guard_streams()
    become_subreaper()
    handle_signals()
    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    except KeyboardInterrupt:
        code = 130
    finally:
        import signal

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        stop_all()
    if received() is not None:
        code = 128 + received()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)
