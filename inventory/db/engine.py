"""Opening the database: SQLite's WAL mode and locking, migrations on first use, and whether a
reader may open it (which database, and how its URL is shown, is :mod:`inventory.db.urls`).

SQLite writers take the write lock when their transaction begins (``BEGIN IMMEDIATE``, see
:func:`write_transaction`) so two processes never both read then fail to upgrade to a write; the
busy timeout makes the second one wait rather than fail. Reads begin deferred and never block. PostgreSQL migrations are serialised with an advisory lock.

A register is created only where the caller says so (``create=True``: importing, adding) or at the
default ``.borough/inventory.db``; a reader given a database that does not exist, or that holds no
register, is refused (a mistyped ``--db`` must not yield an empty register that reports nothing).
Every message names the database with its credentials masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inventory.db.urls import DEFAULT_SQLITE, Target, check_exists, mask_secrets, resolve_target, shown_url
from inventory.errors import DatabaseInputError, StoreError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine import URL

BUSY_TIMEOUT_S = 60
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_PG_MIGRATION_LOCK = 4_242_017

__all__ = [  # DEFAULT_SQLITE is re-exported: callers that only ask where the default file is
    "DEFAULT_SQLITE", "current_revision", "head_revision", "make_engine", "migrate", "open_engine", "unavailable_as_store_error", "write_transaction",
]


def make_engine(url: str | URL) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    from sqlalchemy.pool import NullPool

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise DatabaseInputError(f"database URL '{mask_secrets(str(url), str(url))}' is not valid") from None
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except Exception as exc:  # noqa: BLE001 - e.g. an unknown dialect or a missing driver
            raise DatabaseInputError(f"cannot use database URL {shown_url(parsed)}: {_first_line(exc, parsed)}") from None

    engine = create_engine(parsed, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _first_line(exc: BaseException, url: URL) -> str:
    """The first line of a driver's message, with the URL's credentials masked."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return mask_secrets(first, url.render_as_string(hide_password=False))


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds SQLite's write lock from its first statement (plain BEGIN elsewhere)."""
    with unavailable_as_store_error(engine), engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        yield conn


@contextmanager
def unavailable_as_store_error(engine: Engine) -> Iterator[None]:
    """A database that stops answering (locked past the busy timeout, connection lost) is an
    incomplete run (exit 3) with the database named, not an internal error."""
    from sqlalchemy.exc import DatabaseError, OperationalError

    try:
        yield
    except DatabaseError as exc:
        first = _first_line(exc, engine.url)
        if _DAMAGED.search(first):
            raise _damaged(shown_url(engine.url), first) from None
        if not isinstance(exc, OperationalError):
            raise
        raise StoreError(f"the inventory database {shown_url(engine.url)} did not answer: {_first_line(exc, engine.url)}") from None


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def _scripts() -> Any:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    return _scripts().get_current_head() or ""


def _known(revision: str | None) -> bool:
    if revision is None:
        return True
    return revision in {script.revision for script in _scripts().walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, to: str = "head") -> None:
    """Bring the database to ``to`` (the latest schema by default); a no-op when it is there."""
    from alembic import command

    head = head_revision() if to == "head" else to
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as probe:
        if current_revision(probe) == head:
            return
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        current = current_revision(conn)
        if not _known(current):
            raise StoreError(
                f"the inventory database {shown_url(engine.url)} has schema revision {current}, which this borough does not know",
                hint="a newer borough made it: upgrade borough rather than let an older one write to it",
            )
        if current != head:
            command.upgrade(_alembic_config(conn), to)


def open_engine(url: str | None, *, create: bool = True) -> Engine:
    """An engine on a database at the latest schema, upgraded as needed.

    ``create=False`` (every command that only reads or changes existing records) refuses a
    database that does not exist or holds no register, except the default file; ``create=True``
    (import, add) may create one, but never the directory it would sit in.
    """
    from sqlalchemy.exc import SQLAlchemyError

    target = resolve_target(url)
    check_exists(target, create)
    engine = make_engine(target.url)
    try:
        if not create and not target.default:
            _require_register(engine, target)
        migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _open_failure(exc, target) from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _require_register(engine: Engine, target: Target) -> None:
    """A reader's database must already hold a register (an empty PostgreSQL schema, or an
    empty SQLite file, is refused: most likely the wrong one)."""
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as probe:
        revision = current_revision(probe)
    if revision is None:
        raise target.refuse(
            "holds no inventory register",
            hint="check --db / BOROUGH_DB; borough inventory import (or add) creates a new register there",
        )


_BAD_INPUT_FAILURES = re.compile(r'file is not a database|(database|role) "[^"]*" does not exist|authentication failed', re.IGNORECASE)


_DAMAGED = re.compile(r"file is not a database|disk image is malformed|database corrupt", re.IGNORECASE)


def _damaged(shown: str, first: str) -> DatabaseInputError:
    return DatabaseInputError(
        f"{shown}: not a borough register, or a damaged one ({first})",
        hint="check --db / BOROUGH_DB names the register; restore a damaged one from its backup "
             "(sqlite3 FILE '.recover' may save what is left)",
    )


def _open_failure(exc: Exception, target: Target) -> Exception:
    """A database that names something absent (a file that is no database, an unknown database or
    user) or whose credentials are refused is bad input (exit 2); one that does not answer is an
    incomplete run (exit 3)."""
    first = _first_line(exc, target.url)
    if _DAMAGED.search(first):
        return _damaged(target.shown, first)
    if _BAD_INPUT_FAILURES.search(first):
        return target.refuse(f"cannot be opened: {first}")
    return StoreError(f"cannot open the inventory database {target.shown}: {exc.__class__.__name__}: {first}")
