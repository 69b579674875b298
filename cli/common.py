"""What every command shares: error-to-exit-code mapping, output formats and writing results.

Domain exceptions are duck-typed: any exception with an integer ``exit_code`` attribute
(2 bad input, 3 incomplete) and an optional ``hint`` is shown as one line on stderr, with no
traceback unless ``--debug``. Core packages define their own exception classes; they never
import this module.
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
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


class TabularFormat(str, Enum):
    """The formats of a command whose result is records (JSON) or tables (the rest): its
    ``--help`` then lists only these, and anything else is refused before the command runs."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"

    @property
    def output(self) -> OutputFormat:
        return OutputFormat(self.value)


def debug_enabled() -> bool:
    ctx = get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and isinstance(root.obj, dict) and root.obj.get("debug"))


class OutputPathError(Exception):
    """``--output`` names something that cannot be written (a directory, a path under a file,
    a read-only place): bad input, found before the command does any work."""

    exit_code = EXIT_BAD_INPUT
    hint = "give a file path in a writable directory, or leave --output out for stdout"


def masked(text: str, *sources: str | None) -> str:
    """``text`` with credentials masked (see inventory.db.urls.mask_secrets), including the
    secrets of ``BOROUGH_DB``, any of ``sources`` and the secret-named variables of the
    environment (synth.childenv) wherever they appear."""
    from inventory.db.urls import mask_secrets
    from synth.childenv import mask

    return mask(mask_secrets(text, os.environ.get("BOROUGH_DB"), *sources))


def error(message: str, hint: str | None = None, *, secrets_of: tuple[str | None, ...] = ()) -> None:
    """Print a one-line error (and a hint line) on stderr, credentials masked and control
    characters escaped (a multi-problem message keeps one problem a line)."""
    from yamlsafe.inputs import escape_controls

    def shown(text: str) -> str:
        return "\n".join(escape_controls(line) for line in masked(text, *secrets_of).split("\n"))

    typer.echo(f"borough: error: {shown(message)}", err=True)
    if hint:
        typer.echo(f"hint: {shown(hint)}", err=True)


def environment_error(exc: OSError) -> tuple[str, str | None, int]:
    """An OS error the environment caused (a read-only folder, a path too long, a full disk) as
    a message naming the path, a hint and an exit code: 2 where the user can choose otherwise,
    3 where the run could not be completed."""
    import errno

    from yamlsafe.inputs import shown_path

    where = shown_path(exc.filename) if exc.filename is not None else "borough"
    reason = exc.strerror or str(exc)
    hints = {
        errno.EACCES: "pass --db (or --output) to a place you may write, or run from a writable folder",
        errno.EPERM: "pass --db (or --output) to a place you may write, or run from a writable folder",
        errno.EROFS: "the file system is read-only: pass --db (or --output) to a writable place",
        errno.ENAMETOOLONG: "a path is at most 4,096 characters and a file name at most 255",
        errno.ENOSPC: "free some space, or write elsewhere",
    }
    code = EXIT_INCOMPLETE if exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT) else EXIT_BAD_INPUT
    return f"{where}: {reason}", hints.get(exc.errno or 0), code


def cli_command(func: F) -> F:
    """Turn domain exceptions into exit codes 2/3 with a one-line message.

    An unexpected exception is exit 3 (incomplete), never a silent pass or a bare traceback.
    A parameter named ``output`` is the command's ``--output`` path: it is checked before the
    command runs (:func:`check_output`), so no work is done, and nothing committed, for a result
    that could not be written. Credentials (``--db``, ``BOROUGH_DB``) are masked in every message.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        secrets_of = (kwargs.get("db") if isinstance(kwargs.get("db"), str) else None,)
        try:
            output = kwargs.get("output")
            if isinstance(output, Path):
                check_output(output)
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:  # stdout closed, or its reader (| head) went away: end quietly
            from cli.streams import EXIT_BROKEN_PIPE, silence_stdout

            silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except Exception as exc:  # noqa: BLE001 - this is the CLI's last line of defence
            if debug_enabled():
                sys.stderr.write(masked(traceback.format_exc(), *secrets_of))
            code = getattr(exc, "exit_code", None)
            if isinstance(code, int):
                error(str(exc), getattr(exc, "hint", None), secrets_of=secrets_of)
                raise typer.Exit(code) from None
            if isinstance(exc, OSError) and exc.errno is not None:
                message, hint, code = environment_error(exc)
                error(message, hint, secrets_of=secrets_of)
                raise typer.Exit(code) from None
            error(f"internal error: {type(exc).__name__}: {exc}", "run with --debug for the traceback", secrets_of=secrets_of)
            raise typer.Exit(EXIT_INCOMPLETE) from None

    return wrapper  # type: ignore[return-value]


def require_format(fmt: OutputFormat, allowed: set[OutputFormat], command: str) -> None:
    if fmt not in allowed:
        names = ", ".join(sorted(f.value for f in allowed))
        raise typer.BadParameter(f"'{fmt.value}' is not a format of {command}; use one of: {names}", param_hint="--format")


def dumps_json(data: Any) -> str:
    """Deterministic JSON: sorted keys, stable indentation, trailing newline.

    Written chunk by chunk (the same text ``json.dumps`` gives): an indented dump otherwise holds
    every small chunk of a large report in one list before joining them."""
    buffer = io.StringIO()
    for chunk in json_chunks(data):
        buffer.write(chunk)
    return buffer.getvalue()


def json_chunks(data: Any) -> Iterator[str]:
    """The text of :func:`dumps_json`, a small piece at a time: written to a file as it comes, a
    large result is never held as one string (nor as its UTF-8 bytes)."""
    yield from json.JSONEncoder(sort_keys=True, indent=2, ensure_ascii=False, default=str).iterencode(data)
    yield "\n"


def check_output(output: Path) -> None:
    """Refuse an ``--output`` path that cannot be written, naming it: an existing directory or
    non-regular file, a path under a file, a read-only file or a directory not writable (probed
    by creating and removing a temporary file where the result would go). Missing parent
    directories are fine: :func:`write_output` makes them."""
    if output.is_dir():
        raise OutputPathError(f"--output {output} is a directory, not a file")
    if output.exists() and not output.is_file():
        raise OutputPathError(f"--output {output} is not a regular file")
    if output.exists() and not os.access(output, os.W_OK):
        raise OutputPathError(f"--output {output} is read-only")
    ancestor = output.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputPathError(f"--output {output}: {ancestor} is a file, not a directory")
    try:
        fd, probe = tempfile.mkstemp(dir=ancestor, prefix=f".{output.name}.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputPathError(f"--output {output}: cannot write in {ancestor}: {exc.strerror or exc}") from None


def write_output(data: str | bytes, output: Path) -> None:
    """Write ``data`` to ``output`` atomically: a temporary file beside it, renamed over it, and
    removed on any failure, so a reader never sees half a report and nothing is left behind."""
    tmp = _write_temp(data, output)
    _rename(tmp, output)


def _write_temp(data: str | bytes | Iterator[str], output: Path) -> str:
    """``data`` (or its pieces) in a temporary file beside ``output`` (flushed to the disk); its name."""
    check_output(output)
    pieces = [data.encode("utf-8") if isinstance(data, str) else data] if isinstance(data, (str, bytes)) else data
    tmp: str | None = None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece if isinstance(piece, bytes) else piece.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode(output))
        done, tmp = tmp, None
        return done
    except OSError as exc:
        raise OutputPathError(f"--output {output}: cannot write: {exc.strerror or exc}") from None
    finally:
        _remove(tmp)


def _rename(tmp: str, output: Path) -> None:
    try:
        os.replace(tmp, output)
    except OSError as exc:
        _remove(tmp)
        raise OutputPathError(f"--output {output}: cannot write: {exc.strerror or exc}") from None


def _remove(tmp: str | None) -> None:
    if tmp is not None:
        try:
            os.unlink(tmp)
        except OSError:
            pass


class StagedOutput:
    """The result of a command that also changes the register: written first, shown last.

    ``stage`` (called by the core function just before it commits) writes the result to a
    temporary file beside ``--output``, so a full disk or a vanished directory refuses the
    command while its transaction can still roll back; ``finish`` (after the commit) renames it
    into place, or prints it to stdout. Leaving the ``with`` block without ``finish`` removes the
    temporary file: a refusal leaves both the register and the target as they were.
    """

    def __init__(self, output: Path | None) -> None:
        self.output = output
        self._tmp: str | None = None
        self._text: str | bytes | None = None

    def stage(self, data: str | bytes | Iterator[str]) -> None:
        _remove(self._tmp)
        self._tmp = None
        if self.output is None:
            self._text = data if isinstance(data, (str, bytes)) else "".join(data)
        else:
            self._tmp = _write_temp(data, self.output)

    def finish(self) -> None:
        if self.output is not None and self._tmp is not None:
            tmp, self._tmp = self._tmp, None
            _rename(tmp, self.output)
            typer.echo(f"wrote {self.output}", err=True)
        elif self._text is not None:
            text = self._text if isinstance(self._text, str) else self._text.decode("utf-8")
            sys.stdout.write(text)
            sys.stdout.flush()

    def __enter__(self) -> StagedOutput:
        return self

    def __exit__(self, *exc: object) -> None:
        _remove(self._tmp)
        self._tmp = None


def _file_mode(output: Path) -> int:
    """The mode a plain write would give: the existing file's, else 0666 less the umask."""
    if output.is_file():
        return output.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def emit(text: str, output: Path | None) -> None:
    """Write a result to --output FILE (atomically) or stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_output(text, output)
    typer.echo(f"wrote {output}", err=True)
