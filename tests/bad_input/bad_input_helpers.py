"""Shared helpers of the bad-input catalogue (issue 9): run the CLI, judge a refusal, prove nothing changed.

Import them in a test module with ``from bad_input_helpers import ...`` (tests/bad_input is on
sys.path as every test directory here is; a ``conftest`` module cannot be imported reliably, as
each directory has one). The API is deliberately small:

- ``borough(*args, env=None, cwd=None, subprocess=False, timeout=120) -> Run``
  runs the CLI in-process through Typer's ``CliRunner`` (fast), or with ``subprocess=True`` as a
  real child process (``python -m cli``: the console entry, ``os._exit`` and all; use it when the
  case kills, hangs or writes to file descriptors). ``env`` adds to the environment.
- ``assert_refused(run, *needles, code=2) -> str``
  the exit code is ``code``, no traceback and no "internal error" on either stream, exactly one
  error headline on stderr (``borough: error:``, or Click's ``Error:`` for a usage error), and one
  line from that headline on (a problem line of a multi-problem import counts; ``hint:`` lines do
  not) names every needle (file name, ``:row:``, key ...). Returns that line.
- ``assert_no_secret(run, *secrets)``: no secret appears on stdout or stderr.
- ``snapshot(db_url=None, paths=()) -> Snapshot``: every row of every table (sorted, so the
  comparison is order-free) plus the bytes of each file and each file under each directory
  (``None`` when absent; a SQLite file that does not exist is not created by looking).
  ``assert snapshot(...) == before`` proves nothing was written and nothing left behind (a
  ``*.tmp`` file shows up as a new entry). ``Snapshot.counts()`` gives rows per table.
- ``SEEDED_IDS``: the systems the ``seeded_db_url`` fixture (conftest.py) puts in the register.
"""

from __future__ import annotations

import os
import subprocess as _subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


SEEDED_IDS = ("council-tax", "gis")


@dataclass(frozen=True)
class Run:
    """What a user sees of one command: its exit code and the two streams."""

    code: int
    stdout: str
    stderr: str


def borough(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    subprocess: bool = False,
    timeout: float = 120,
) -> Run:
    """Run ``borough ARGS`` in-process (default) or as a child process (``subprocess=True``)."""
    if subprocess:
        child_env = {**os.environ, **(env or {})}
        done = _subprocess.run(
            [sys.executable, "-m", "cli", *args],
            capture_output=True,
            text=True,
            env=child_env,
            cwd=cwd or ROOT,
            timeout=timeout,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)
    from typer.testing import CliRunner

    from cli.main import app

    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), env=env)
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        stderr += "".join(traceback.format_exception(result.exception))
    return Run(result.exit_code, result.stdout, stderr)


def _error_lines(stderr: str) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [i for i, line in enumerate(lines) if line.startswith(("borough: error:", "Error:"))]
    assert len(errors) == 1, f"expected exactly one error on stderr, got:\n{stderr}"
    start = errors[0]
    # An import lists its problems one per line after its headline; a hint follows the error.
    return [line for line in lines[start:] if not line.startswith("hint:")]


def assert_refused(run: Run, *needles: str, code: int = 2) -> str:
    """Exit ``code``, no traceback, and one error line naming every needle; returns that line."""
    shown = f"exit {run.code}\n--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"
    assert run.code == code, shown
    assert "Traceback" not in run.stdout + run.stderr, shown
    assert "internal error" not in run.stderr, shown
    candidates = _error_lines(run.stderr)
    for line in candidates:
        if all(needle in line for needle in needles):
            return line
    raise AssertionError(f"no error line names all of {needles!r}:\n{shown}")


def assert_no_secret(run: Run, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in run.stdout, f"{secret!r} on stdout"
        assert secret not in run.stderr, f"{secret!r} on stderr"


@dataclass(frozen=True)
class Snapshot:
    """Every table's rows (sorted) and every watched file's bytes."""

    tables: dict[str, list[tuple[Any, ...]]] | None
    files: dict[str, bytes | None] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in (self.tables or {}).items()}


def _db_rows(db_url: str) -> dict[str, list[tuple[Any, ...]]] | None:
    if db_url.startswith("sqlite:///"):
        if not Path(db_url.removeprefix("sqlite:///")).exists():
            return None  # never create the file just by looking
    from sqlalchemy import MetaData, create_engine, select

    engine = create_engine(db_url)
    try:
        meta = MetaData()
        meta.reflect(bind=engine)
        with engine.connect() as conn:
            return {
                name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                for name, table in sorted(meta.tables.items())
            }
    finally:
        engine.dispose()


def _file_bytes(paths: tuple[Path, ...] | list[Path]) -> dict[str, bytes | None]:
    found: dict[str, bytes | None] = {}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    found[str(child)] = child.read_bytes()
            found.setdefault(str(path), b"<dir>")
        else:
            found[str(path)] = path.read_bytes() if path.is_file() else None
    return found


def snapshot(db_url: str | None = None, paths: tuple[Path, ...] | list[Path] = ()) -> Snapshot:
    """The database's rows and the files' bytes, to compare before and after a refused command."""
    return Snapshot(_db_rows(db_url) if db_url else None, _file_bytes(paths))
