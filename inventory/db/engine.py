"""Opening the database: the URL, SQLite's WAL mode and locking, and migrations on first use.

SQLite writers take the write lock when their transaction begins (``BEGIN IMMEDIATE``, see
:func:`write_transaction`) so two processes never both read then fail to upgrade to a write; the
busy timeout makes the second one wait rather than fail. Reads begin deferred and never block. PostgreSQL migrations are serialised with an advisory lock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inventory.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

DEFAULT_SQLITE = Path(".borough") / "inventory.db"
BUSY_TIMEOUT_S = 60
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_PG_MIGRATION_LOCK = 4_242_017


def resolve_url(url: str | None) -> str:
    if url:
        return url
    env = os.environ.get("BOROUGH_DB")
    if env:
        return env
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    from sqlalchemy.pool import NullPool

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"database URL '{url}' is not valid: {exc}", hint="use sqlite:///path.db or postgresql+psycopg://...") from None
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except Exception as exc:  # noqa: BLE001 - e.g. an unknown dialect or a missing driver
            raise StoreError(f"cannot use database URL '{parsed.render_as_string()}': {exc}") from None

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
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


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds SQLite's write lock from its first statement (plain BEGIN elsewhere)."""
    with unavailable_as_store_error(engine), engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        yield conn


@contextmanager
def unavailable_as_store_error(engine: Engine) -> Iterator[None]:
    """A database that stops answering (locked past the busy timeout, connection lost) is an
    incomplete run (exit 3) with the database named, not an internal error."""
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"the inventory database {shown} did not answer: {str(exc.orig or exc).splitlines()[0]}") from None


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
            shown = engine.url.render_as_string(hide_password=True)
            raise StoreError(
                f"the inventory database {shown} has schema revision {current}, which this borough does not know",
                hint="a newer borough made it: upgrade borough rather than let an older one write to it",
            )
        if current != head:
            command.upgrade(_alembic_config(conn), to)


def open_engine(url: str | None) -> Engine:
    """An engine on a database at the latest schema, created or upgraded as needed."""
    from sqlalchemy.exc import SQLAlchemyError

    resolved = resolve_url(url)
    engine = make_engine(resolved)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"cannot open the inventory database {shown}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}") from None
    return engine
