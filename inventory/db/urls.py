"""Which database a command means (``--db``, ``BOROUGH_DB`` or the default file), whether it can
hold a register, and how its URL may be shown: with every credential masked.

Everything a user gives as a database URL is judged here before any engine exists, so a bad one
is refused (exit 2, naming where it came from) before anything is created: not a URL, not SQLite
or PostgreSQL, an in-memory or URI-filename SQLite database, a directory, a missing file for a
reader, a missing directory for a creator. Only the default ``.borough/`` directory is ever made.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from inventory.errors import DatabaseInputError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

DEFAULT_SQLITE = Path(".borough") / "inventory.db"
BACKENDS = ("sqlite", "postgresql")
SECRET = "[secret]"

# Credentials in text: the password of a URL's userinfo, and any key=value whose key names a
# secret (PostgreSQL's ``password``/``sslpassword`` query parameters, libpq keyword strings, tokens).
# ``passfile``/``sslkey`` name files, not secrets, and stay visible so a user can see which was used.
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s'\"]*):(?P<secret>[^\s'\"]*)@")
_SECRET_KEY = r"[\w.\-]*(?:password|passwd|secret|token|api[_\-]?key|credential)[\w.\-]*|pwd|pass"
_PARAM = re.compile(rf"(?i)(?P<key>(?<![\w.\-])(?:{_SECRET_KEY}))(?P<sep>\s*=\s*)(?!\[secret\])(?P<secret>'[^']*'|\"[^\"]*\"|[^\s&;#,'\")]+)")
_BARE_USERINFO = re.compile(r"^(?P<head>\s*[^:/?#@\s'\"]*):(?P<secret>[^\s'\"]*)@")  # "user:pw@host/db": the scheme forgotten
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
        _make_default_folder()
        return Target(make_url(f"sqlite:///{DEFAULT_SQLITE}"), "default", True)
    raw, source = (url, "--db") if url is not None else (env, "BOROUGH_DB")
    if not raw.strip():
        raise DatabaseInputError(f"{source} is empty: it must name a database")
    try:
        parsed = make_url(raw.strip())
        parsed.port  # noqa: B018 - a port that is not a number fails here, not deep in the driver
    except (ArgumentError, ValueError):
        shown = _BARE_USERINFO.sub(lambda m: f"{m.group('head')}:{SECRET}@", mask_secrets(raw, raw))
        raise DatabaseInputError(f"{source} '{shown}' is not a database URL") from None
    target = Target(parsed, source, False)
    backend = parsed.get_backend_name()
    if backend not in BACKENDS:
        raise target.refuse(f"borough keeps the register in SQLite or PostgreSQL, not '{backend}'")
    if backend == "sqlite":
        path = sqlite_path(target)
        if path.resolve() == DEFAULT_SQLITE.resolve():
            _make_default_folder()
            return Target(parsed, source, True)
    return target


def _make_default_folder() -> None:
    """``.borough/`` here, or a one-line refusal naming it (a read-only folder, a file in its way)."""
    try:
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        where = Path.cwd() / DEFAULT_SQLITE.parent
        raise DatabaseInputError(
            f"the default database {DEFAULT_SQLITE}: cannot make the folder {where}: {exc.strerror or exc}",
            hint="pass --db sqlite:///a/writable/path/inventory.db (or set BOROUGH_DB), or run from a folder you may write",
        ) from None


def sqlite_path(target: Target) -> Path:
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
    path = sqlite_path(target)
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
    path = sqlite_path(target)
    return None if path.exists() else path
