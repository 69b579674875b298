"""Errors of the inventory package. ``exit_code`` tells the CLI how to exit (see docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass


class InventoryError(Exception):
    exit_code = 2
    hint: str | None = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class NotFoundError(InventoryError):
    """A system or dependency named on the command line is not in the register."""


class ConflictError(InventoryError):
    """An update was based on a stale version of the record: refused so nothing is overwritten."""

    hint = "show the system again and re-apply your change to its current version"


class ExistsError(InventoryError):
    """A system with this id is already registered."""


class IllegalMoveError(InventoryError):
    """The lifecycle has no such move from the system's current state."""


class GuardError(InventoryError):
    """The move exists but its precondition does not hold (the message says which)."""


class StoreError(InventoryError):
    """The database could not be opened or migrated: nothing was read or written."""

    exit_code = 3


class DatabaseInputError(InventoryError):
    """The database named by ``--db`` / ``BOROUGH_DB`` is unusable as given (not a URL, not a
    register, a directory, missing): bad input (exit 2), refused before anything is created."""

    hint = "give --db sqlite:///path/to/inventory.db or postgresql+psycopg://user@host/db, or leave --db out for .borough/inventory.db"


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located as ``file:row:column``."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class ImportFileError(InventoryError):
    """Every problem found in the input, so a user can fix them all in one pass."""

    def __init__(self, problems: list[Problem], hint: str | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.row, p.column, p.message))
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the input; nothing was imported"]
        lines += [str(p) for p in self.problems]
        super().__init__("\n".join(lines), hint)


@dataclass(frozen=True)
class StateRefusal:
    """An imported system that may not be in the state its row gives (a guard of that state)."""

    system_id: str
    message: str
    fixes: tuple[str, ...]
    """What would make the row acceptable, each a short instruction: the hint names only these."""


def refusal_hint(fixes: list[str]) -> str:
    """One hint naming only what is missing, across every refused row."""
    return "; ".join(dict.fromkeys(fixes)) + "; or give a state the system can be in (borough inventory move --help lists the guards)"


class StateRefusedError(InventoryError):
    """An import's rows that would put systems in states whose guards they do not meet; nothing was imported."""

    def __init__(self, refusals: list[StateRefusal]) -> None:
        self.refusals = sorted(refusals, key=lambda r: r.system_id)
        count = len(self.refusals)
        lines = [f"{count} system{'s' if count != 1 else ''} cannot be in the state the import gives; nothing was imported"]
        lines += [f"{r.system_id}: {r.message}" for r in self.refusals]
        super().__init__("\n".join(lines), refusal_hint([c for r in self.refusals for c in r.fixes]))
