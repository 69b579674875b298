"""What every command shares: error-to-exit-code mapping, output formats and writing results.

Domain exceptions are duck-typed: any exception with an integer ``exit_code`` attribute
(2 bad input, 3 incomplete) and an optional ``hint`` is shown as one line on stderr, with no
traceback unless ``--debug``. Core packages define their own exception classes; they never
import this module.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Any, Callable, TypeVar

import typer
from typer.main import get_current_context

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INCOMPLETE = 3


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"


def debug_enabled() -> bool:
    ctx = get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and isinstance(root.obj, dict) and root.obj.get("debug"))


def error(message: str, hint: str | None = None) -> None:
    """Print a one-line error (and a hint line) on stderr."""
    typer.echo(f"borough: error: {message}", err=True)
    if hint:
        typer.echo(f"hint: {hint}", err=True)


def cli_command(func: F) -> F:
    """Turn domain exceptions into exit codes 2/3 with a one-line message.

    An unexpected exception is exit 3 (incomplete), never a silent pass or a bare traceback.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:  # noqa: BLE001 - this is the CLI's last line of defence
            if debug_enabled():
                traceback.print_exc()
            code = getattr(exc, "exit_code", None)
            if isinstance(code, int):
                error(str(exc), getattr(exc, "hint", None))
                raise typer.Exit(code) from None
            error(f"internal error: {type(exc).__name__}: {exc}", "run with --debug for the traceback")
            raise typer.Exit(EXIT_INCOMPLETE) from None

    return wrapper  # type: ignore[return-value]


def require_format(fmt: OutputFormat, allowed: set[OutputFormat], command: str) -> None:
    if fmt not in allowed:
        names = ", ".join(sorted(f.value for f in allowed))
        raise typer.BadParameter(f"'{fmt.value}' is not a format of {command}; use one of: {names}", param_hint="--format")


def dumps_json(data: Any) -> str:
    """Deterministic JSON: sorted keys, stable indentation, trailing newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


def emit(text: str, output: Path | None) -> None:
    """Write a result to --output FILE (atomically) or stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
    typer.echo(f"wrote {output}", err=True)
