"""Opening the database: which one (``--db``, ``BOROUGH_DB`` or the default file), whether it may
be created, SQLite's WAL mode and locking, migrations on first use, and credentials kept out of
every message.

SQLite writers take the write lock when their transaction begins (``BEGIN IMMEDIATE``, see
:func:`write_transaction`) so two processes never both read then fail to upgrade to a write; the
busy timeout makes the second one wait rather than fail. Reads begin deferred and never block. PostgreSQL migrations are serialised with an advisory lock.

A register is created only where the caller says so (``create=True``: importing, adding) or at the
default ``.borough/inventory.db``; a reader given a database that does not exist, or that holds no
register, is refused (a mistyped ``--db`` must not yield an empty register that reports nothing),
and no directory other than the default ``.borough/`` is ever made.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from inventory.errors import DatabaseInputError, StoreError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine import URL

DEFAULT_SQLITE = Path(".borough") / "inventory.db"
BUSY_TIMEOUT_S = 60
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_PG_MIGRATION_LOCK = 4_242_017
BACKENDS = ("sqlite", "postgresql")
SECRET = "[secret]"

# Credentials in text: the password of a URL's userinfo, and any key=value whose key names a
# secret (PostgreSQL's ``password``/``sslpassword`` query parameters, libpq keyword strings, tokens).
# ``passfile``/``sslkey`` name files, not secrets, and stay visible so a user can see which was used.
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s'\"]*):(?P<secret>[^\s'\"]*)@")
_SECRET_KEY = r"[\w.\-]*(?:password|passwd|secret|token|api[_\-]?key|credential)[\w.\-]*|pwd|pass"
_PARAM = re.compile(rf"(?i)(?P<key>(?<![\w.\-])(?:{_SECRET_KEY}))(?P<sep>\s*=\s*)(?!\[secret\])(?P<secret>'[^']*'|\"[^\"]*\"|[^\s&;#,'\")]+)")
_MIN_LITERAL = 4  # shorter known secrets are not replaced as bare words (too many false hits)


def _found_secrets(text: str) -> set[str]:
    found = {m.group("secret") for m in _USERINFO.finditer(text)} | {m.group("secret").strip("'\"") for m in _PARAM.finditer(text)}
    return {s for s in found if s and s != SECRET}


def mask_secrets(text: str, *sources: str | None) -> str:
    """``text`` with every credential replaced by ``[secret]``: URL passwords, secret-named
    parameters, and (anywhere in the text, raw or percent-encoded) the secret values found in
    ``sources`` (the URLs the text may quote: a driver's message can echo a password bare)."""
    known: set[str] = set()
    for source in sources:
        if source:
            for secret in _found_secrets(source):
                known |= {secret, unquote(secret), quote(unquote(secret), safe="")}
    masked = _USERINFO.sub(lambda m: f"{m.group('head')}:{SECRET}@", text)
    masked = _PARAM.sub(lambda m: f"{m.group('key')}{m.group('sep')}{SECRET}", masked)
    for secret in sorted(known, key=len, reverse=True):
        if len(secret) >= _MIN_LITERAL:
            masked = masked.replace(secret, SECRET)
    return masked


def shown_url(url: str | URL) -> str:
    """A database URL as it may be printed: credentials masked."""
    text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    return mask_secrets(text, text)


@dataclass(frozen=True)
class Target:
    """Which database a command means, and where that came from (for messages)."""

    url: URL
    source: str
    """``--db``, ``BOROUGH_DB`` or ``default``."""
    default: bool
    """The default SQLite file that set-up creates (created on first use by any command)."""

    @property
    def shown(self) -> str:
        return shown_url(self.url)

    def refuse(self, problem: str, hint: str | None = None) -> DatabaseInputError:
        named = "the default database" if self.source == "default" else f"{self.source} {self.shown}"
        return DatabaseInputError(f"{named}: {problem}", hint=hint)


def resolve_target(url: str | None) -> Target:
    """The database ``url`` names, else ``BOROUGH_DB``, else the default file; refused (exit 2,
    credentials masked) when it is empty, not a URL, not SQLite/PostgreSQL, or a SQLite form
    that cannot hold a register (in memory, a URI filename)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    env = os.environ.get("BOROUGH_DB", "")
    if url is None and not env.strip():
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        return Target(make_url(f"sqlite:///{DEFAULT_SQLITE}"), "default", True)
    raw, source = (url, "--db") if url is not None else (env, "BOROUGH_DB")
    if not raw.strip():
        raise DatabaseInputError(f"{source} is empty: it must name a database")
    try:
        parsed = make_url(raw.strip())
        parsed.port  # noqa: B018 - a port that is not a number fails here, not deep in the driver
    except (ArgumentError, ValueError):
        raise DatabaseInputError(f"{source} '{mask_secrets(raw, raw)}' is not a database URL") from None
    target = Target(parsed, source, False)
    backend = parsed.get_backend_name()
    if backend not in BACKENDS:
        raise target.refuse(f"borough keeps the register in SQLite or PostgreSQL, not '{backend}'")
    if backend == "sqlite":
        path = _sqlite_path(target)
        if path.resolve() == DEFAULT_SQLITE.resolve():
            DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
            return Target(parsed, source, True)
    return target


def _sqlite_path(target: Target) -> Path:
    database = target.url.database or ""
    if database in ("", ":memory:"):
        raise target.refuse("an in-memory database is lost when the command ends", hint="give a file: sqlite:///path/to/inventory.db")
    if database.startswith("file:") or str(target.url.query.get("uri", "")).lower() in ("true", "1"):
        raise target.refuse("SQLite URI filenames (file:...?mode=...) are not supported", hint="give a plain path: sqlite:///path/to/inventory.db")
    if target.url.query:
        names = ", ".join(sorted(target.url.query))
        raise target.refuse(f"SQLite URL parameters ({names}) are not supported: borough sets its own", hint="give a plain path: sqlite:///path/to/inventory.db")
    return Path(database)


def check_exists(target: Target, create: bool) -> None:
    """Refuse a SQLite file that is a directory, or missing for a reader, or whose directory is
    missing; the default file and its ``.borough/`` directory are exempt (set-up creates them)."""
    if target.url.get_backend_name() != "sqlite":
        return
    path = _sqlite_path(target)
    if path.is_dir():
        raise target.refuse(f"{path} is a directory, not a database file")
    if path.exists() or target.default:
        return
    if not create:
        raise target.refuse(
            f"no inventory database at {path}",
            hint="check --db / BOROUGH_DB; borough inventory import (or add) creates a new register there",
        )
    if not path.parent.is_dir():
        raise target.refuse(f"directory {path.parent} does not exist", hint="create it first: borough makes no directory but the default .borough/")


def new_sqlite_file(url: str | None) -> Path | None:
    """The SQLite file ``url`` names if opening it with ``create=True`` would create it (never
    the default file, which set-up owns): what a failed first import should not leave behind."""
    target = resolve_target(url)
    if target.default or target.url.get_backend_name() != "sqlite":
        return None
    path = _sqlite_path(target)
    return None if path.exists() else path


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
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
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


def _open_failure(exc: Exception, target: Target) -> Exception:
    """A database that names something absent or not a database is bad input (exit 2); one that
    does not answer is an incomplete run (exit 3)."""
    first = _first_line(exc, target.url)
    lowered = first.lower()
    if "file is not a database" in lowered or ("database" in lowered and "does not exist" in lowered):
        return target.refuse(f"cannot be opened: {first}")
    return StoreError(f"cannot open the inventory database {target.shown}: {exc.__class__.__name__}: {first}")
