"""The register on SQL: every write is one transaction together with its history event.

Records carry a version counter; an update names the version it was based on and is refused
when the record has moved on since, so concurrent writers never silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from inventory.db import tables as t
from inventory.db.rows import dependency_row, diff, event_row, jsonable, link_change, row_dependency, row_event, row_system, system_row
from inventory.errors import ConflictError, ExistsError, InventoryError, NotFoundError
from inventory.register.lifecycle import MoveFacts, arrival, check_move
from inventory.register.model import (
    CONTROL_CHARACTERS,
    SHORT_MAX,
    TEXT_MAX,
    USER_FIELDS,
    Criticality,
    Dependency,
    DependencyKind,
    Estate,
    Event,
    Hosting,
    State,
    Strategy,
    System,
)
from inventory.stackfiles import stack_file

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlalchemy import Connection, Engine

    from inventory.importing.result import ImportResult

READ_ONLY_FIELDS = frozenset({"id", "state", "version_no"})
SEARCHED = ("id", "name", "description", "service_area", "business_owner", "technical_owner", "supplier", "product", "notes")


def _event_text(field: str, value: str, limit: int, given_by: str) -> str:
    """A history event's actor and reason follow the record fields' text rules, so an over-long or
    binary value is refused (and the change rolled back) the same way on SQLite and PostgreSQL."""
    if len(value) > limit:
        raise InventoryError(f"{field}: {len(value):,} characters; it holds at most {limit:,}", f"shorten {given_by}")
    bad = CONTROL_CHARACTERS.search(value)
    if bad:
        raise InventoryError(f"{field}: holds a control character (U+{ord(bad.group()):04X})", f"fix {given_by}")
    return value


def default_actor() -> str:
    """``BOROUGH_ACTOR``, else the operating-system user."""
    env = os.environ.get("BOROUGH_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Store:
    """The inventory database. Use :func:`open_store` to get one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL as it may be shown (credentials masked)."""
        from inventory.db.urls import shown_url

        return shown_url(self.engine.url)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        from inventory.db.engine import unavailable_as_store_error

        with unavailable_as_store_error(self.engine), self.engine.connect() as conn:
            yield conn

    def _write(self) -> AbstractContextManager[Connection]:
        from inventory.db.engine import write_transaction

        return write_transaction(self.engine)

    # reads

    def load_estate(self, with_history: bool = True) -> Estate:
        """Systems by id, dependencies by (source, target), events in the order they happened.

        ``with_history=False`` leaves the events out: the history is the largest table and most
        readers (planning, most reports) never look at it.

        """
        from sqlalchemy import select

        from inventory.bulk import paused_gc
        from inventory.wave_months import read_months

        with paused_gc():
            with self._read() as conn:
                systems = [row_system(r) for r in conn.execute(select(t.systems).order_by(t.systems.c.id)).mappings()]
                deps = [
                    row_dependency(r)
                    for r in conn.execute(select(t.dependencies).order_by(t.dependencies.c.source, t.dependencies.c.target)).mappings()
                ]
                events = []
                if with_history:
                    events = [row_event(r) for r in conn.execute(select(t.events).order_by(t.events.c.seq)).mappings()]
                months = read_months(conn)
            return Estate.model_construct(systems=systems, dependencies=deps, events=events, wave_months=months)

    def get(self, system_id: str) -> System:
        with self._read() as conn:
            return self._get(conn, system_id)

    def _get(self, conn: Connection, system_id: str, lock: bool = False) -> System:
        from sqlalchemy import select

        query = select(t.systems).where(t.systems.c.id == system_id)
        if lock:
            query = query.with_for_update()
        row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"no system '{system_id}' in the register", hint="borough inventory list shows the ids")
        return row_system(row)

    def list(
        self,
        state: State | None = None,
        strategy: Strategy | None = None,
        service_area: str | None = None,
        hosting: Hosting | None = None,
        wave: int | None = None,
        criticality: Criticality | None = None,
        search: str | None = None,
    ) -> list[System]:
        """Systems matching every filter given, by id; service area and search ignore case."""
        from sqlalchemy import func, or_, select

        c = t.systems.c
        query = select(t.systems).order_by(c.id)
        for column, value in ((c.state, state), (c.strategy, strategy), (c.hosting, hosting), (c.criticality, criticality)):
            if value is not None:
                query = query.where(column == value.value)
        if wave is not None:
            query = query.where(c.wave == wave)
        if service_area:
            query = query.where(func.lower(c.service_area) == service_area.strip().lower())
        if search:
            escaped = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            needle = f"%{escaped}%"
            query = query.where(or_(*(func.lower(c[name]).like(needle, escape="\\") for name in SEARCHED)))
        with self._read() as conn:
            return [row_system(r) for r in conn.execute(query).mappings()]

    def dependencies(self, system_id: str | None = None) -> list[Dependency]:
        """Dependencies touching ``system_id`` (either end), or all of them."""
        from sqlalchemy import or_, select

        c = t.dependencies.c
        query = select(t.dependencies).order_by(c.source, c.target)
        if system_id is not None:
            query = query.where(or_(c.source == system_id, c.target == system_id))
        with self._read() as conn:
            return [row_dependency(r) for r in conn.execute(query).mappings()]

    def history(self, system_id: str | None = None) -> list[Event]:
        """Every event, or one system's; a system that is not registered is refused (an empty
        history for a mistyped id would read as "nothing ever happened")."""
        from sqlalchemy import select

        query = select(t.events).order_by(t.events.c.seq)
        if system_id is not None:
            query = query.where(t.events.c.system_id == system_id)
        with self._read() as conn:
            events = [row_event(r) for r in conn.execute(query).mappings()]
            if system_id is not None and not events:
                self._get(conn, system_id)
            return events

    def wave_months(self) -> dict[int, str]:
        """wave -> YYYY-MM, as the last ``waves --apply`` stored them."""
        from inventory.wave_months import read_months

        with self._read() as conn:
            return read_months(conn)

    def latest_history(self, limit: int) -> tuple[list[Event], int]:
        """The latest ``limit`` events of the whole register, oldest first, and how many there are in all."""
        from sqlalchemy import func, select

        with self._read() as conn:
            total = conn.execute(select(func.count()).select_from(t.events)).scalar() or 0
            rows = conn.execute(select(t.events).order_by(t.events.c.seq.desc()).limit(limit)).mappings()
            events = [row_event(r) for r in rows]
        return events[::-1], total

    def state_changes(self, *also: str) -> list[Event]:
        """Only the events that change a state (moves, and imports that set one) or one of the
        fields ``also`` names (progress replays ``annual_cost``), in order: all that progress over
        time needs, read without the rest of the history."""
        from sqlalchemy import or_, select

        c = t.events.c
        fields = ("state", *also)
        query = select(t.events).where(or_(*(c.changes.like(f'%"{name}"%') for name in fields))).order_by(c.seq)
        with self._read() as conn:
            events = [row_event(r) for r in conn.execute(query).mappings()]
        return [e for e in events if any(name in e.changes for name in fields)]

    # writes

    def append_history(self, events: list[Event]) -> None:
        """Record events that happened elsewhere, with their own dates (e.g. a register's past
        moves being brought in), all in one transaction. Every system named must be registered."""
        from sqlalchemy import select

        if not events:
            return
        with self._write() as conn:
            known = {r[0] for r in conn.execute(select(t.systems.c.id).where(t.systems.c.id.in_({e.system_id for e in events})))}
            unknown = sorted({e.system_id for e in events} - known)
            if unknown:
                raise NotFoundError(f"history for systems not in the register: {', '.join(unknown)}")
            conn.execute(t.events.insert(), [event_row(e.at, e.actor, e.system_id, e.action, e.changes, e.reason) for e in events])

    def _event(
        self, conn: Connection, system_id: str, action: str, changes: dict[str, list[Any]], actor: str | None, reason: str,
        on: dt.datetime | None = None,
    ) -> None:
        actor = _event_text("actor", actor or default_actor(), SHORT_MAX, "--actor or BOROUGH_ACTOR")
        reason = _event_text("reason", reason, TEXT_MAX, "--reason")
        if on is not None:
            _in_order(conn, system_id, on)
        conn.execute(t.events.insert(), event_row(on or _now(), actor, system_id, action, changes, reason))

    def add(self, system: System, actor: str | None = None, reason: str = "", on: dt.datetime | None = None) -> System:
        from sqlalchemy import select
        from sqlalchemy.exc import IntegrityError

        stored = system.model_copy(update={"version_no": 1})
        try:
            with self._write() as conn:
                if conn.execute(select(t.systems.c.id).where(t.systems.c.id == system.id)).first():
                    raise ExistsError(f"system '{system.id}' is already registered", hint=f"use borough inventory update {system.id}")
                conn.execute(t.systems.insert(), system_row(stored))
                self._event(conn, system.id, "add", diff(None, stored), actor, reason, on)
        except IntegrityError:
            raise ExistsError(f"system '{system.id}' is already registered") from None
        return stored

    def update(
        self,
        system_id: str,
        changes: dict[str, Any],
        expected_version: int | None = None,
        actor: str | None = None,
        reason: str = "",
        on: dt.datetime | None = None,
    ) -> System:
        """Change user fields; refused when ``expected_version`` is not the stored version."""
        refused = sorted(set(changes) & READ_ONLY_FIELDS)
        if refused:
            what = ", ".join(refused)
            raise InventoryError(f"{system_id}: {what} cannot be updated", hint="use borough inventory move to change the state")
        unknown = sorted(set(changes) - set(USER_FIELDS))
        if unknown:
            raise InventoryError(f"{system_id}: unknown field(s) {', '.join(unknown)}", hint=f"fields: {', '.join(USER_FIELDS)}")
        with self._write() as conn:
            before = self._get(conn, system_id, lock=True)
            if expected_version is not None and expected_version != before.version_no:
                raise ConflictError(
                    f"{system_id}: changed since version {expected_version} (now version {before.version_no}); your update was not applied"
                )
            after = _validated(before, changes)
            delta = diff(before, after)
            if not delta:
                return before
            return self._save(conn, before, after, "update", delta, actor, reason, on)

    def _save(
        self, conn: Connection, before: System, after: System, action: str, delta: dict[str, list[Any]], actor: str | None, reason: str,
        on: dt.datetime | None = None,
    ) -> System:
        from sqlalchemy import update

        after = after.model_copy(update={"version_no": before.version_no + 1})
        values = {k: v for k, v in system_row(after).items() if k in delta or k == "version_no"}
        result = conn.execute(
            update(t.systems).where(t.systems.c.id == before.id, t.systems.c.version_no == before.version_no).values(**values)
        )
        if result.rowcount != 1:
            raise ConflictError(f"{before.id}: changed by someone else while this change was being made; it was not applied")
        self._event(conn, before.id, action, delta, actor, reason, on)
        return after

    def move(
        self, system_id: str, to_state: State, actor: str | None = None, reason: str = "", force: bool = False, on: dt.datetime | None = None
    ) -> System:
        """Move along the lifecycle; the guards read the facts in the same transaction."""
        with self._write() as conn:
            before = self._get(conn, system_id, lock=True)
            facts = MoveFacts(
                held_from=self._held_from(conn, system_id) if before.state is State.on_hold else None,
                live_dependents=self._live_dependents(conn, system_id) if to_state is State.decommissioned else [],
                stack_exists=bool(before.target_stack) and stack_file(before.target_stack).is_file(),
                stack_file=stack_file(before.target_stack).name if before.target_stack else "",
            )
            check_move(before, to_state, facts, force=force, reason=reason)
            after = _validated(before, {**arrival(before, to_state, facts), "state": to_state})
            delta = {"state": [before.state.value, to_state.value], **{k: v for k, v in diff(before, after).items() if k != "state"}}
            if force and facts.live_dependents:
                delta["forced_over_dependents"] = [None, facts.live_dependents]
            return self._save(conn, before, after, "move", delta, actor, reason, on)

    def _held_from(self, conn: Connection, system_id: str) -> State | None:
        """The state a held system was in before its latest move to on-hold, if the history says."""
        from sqlalchemy import select

        c = t.events.c
        rows = conn.execute(select(c.changes).where(c.system_id == system_id, c.changes.like('%"state"%')).order_by(c.seq.desc()))
        for (changes,) in rows:
            state = json.loads(changes).get("state")
            if state:
                return State(state[0]) if state[1] == State.on_hold.value and state[0] else None
        return None

    def _live_dependents(self, conn: Connection, system_id: str) -> list[str]:
        from inventory.db.dependents import live_dependents

        return live_dependents(conn, [system_id]).get(system_id, [])

    def link(
        self,
        source: str,
        target: str,
        kind: DependencyKind = DependencyKind.unknown,
        description: str = "",
        actor: str | None = None,
        reason: str = "",
        on: dt.datetime | None = None,
    ) -> Dependency:
        """Record that ``source`` depends on ``target`` (both must be registered)."""
        from sqlalchemy import select, update

        dep = Dependency(source=source, target=target, kind=kind, description=description)
        if source == target:
            raise InventoryError(f"{source}: a system cannot depend on itself")
        with self._write() as conn:
            self._get(conn, source)
            self._get(conn, target)
            c = t.dependencies.c
            existing = conn.execute(select(t.dependencies).where(c.source == source, c.target == target)).mappings().first()
            if existing is None:
                conn.execute(t.dependencies.insert(), dependency_row(dep))
                self._event(conn, source, "link", link_change(None, dep), actor, reason, on)
            else:
                old = row_dependency(existing)
                if old == dep:
                    return dep
                conn.execute(update(t.dependencies).where(c.source == source, c.target == target).values(kind=kind.value, description=description))
                self._event(conn, source, "link", link_change(old, dep), actor, reason, on)
        return dep

    def unlink(self, source: str, target: str, actor: str | None = None, reason: str = "", on: dt.datetime | None = None) -> Dependency:
        from sqlalchemy import delete, select

        c = t.dependencies.c
        with self._write() as conn:
            row = conn.execute(select(t.dependencies).where(c.source == source, c.target == target)).mappings().first()
            if row is None:
                raise NotFoundError(f"{source} does not depend on {target}", hint=f"borough inventory show {source} lists its dependencies")
            dep = row_dependency(row)
            conn.execute(delete(t.dependencies).where(c.source == source, c.target == target))
            self._event(conn, source, "unlink", link_change(dep, None), actor, reason, on)
        return dep

    def apply_waves(
        self, assignments: dict[str, int], actor: str | None = None, reason: str = "", on: dt.datetime | None = None,
        months: dict[int, str] | None = None, before_commit: Callable[[list[System]], None] | None = None,
    ) -> list[System]:
        """Set each system's wave, all or none, with a history event for each one that changes.
        ``before_commit`` (writing the command's ``--output``) runs last inside the transaction:
        if it raises, nothing is committed."""
        changed: list[System] = []
        with self._write() as conn:
            for system_id in sorted(assignments):
                before = self._get(conn, system_id, lock=True)
                after = _validated(before, {"wave": assignments[system_id]})
                delta = diff(before, after)
                if delta:
                    changed.append(self._save(conn, before, after, "waves", delta, actor, reason, on))
            if months:
                from inventory.wave_months import store_months

                store_months(conn, months)
            if before_commit is not None:
                before_commit(changed)
        return changed

    def import_estate(
        self,
        systems: list[System],
        dependencies: list[Dependency],
        actor: str | None = None,
        reason: str = "",
        dry_run: bool = False,
        on: dt.datetime | None = None,
        state_dates: dict[str, dt.date] | None = None,
        before_commit: Callable[[ImportResult], None] | None = None,
    ) -> ImportResult:
        """Upsert by id, all or nothing; only the fields a record was given are compared.

        ``state_dates`` (id -> day) dates a system's state change on that day, apart from its
        other changes (dated ``on``, else now). ``before_commit`` (writing the command's ``--output``)
        runs last inside the transaction: if it raises, nothing is committed."""
        from sqlalchemy.exc import IntegrityError

        from inventory.bulk import paused_gc
        from inventory.importing.upsert import import_estate

        try:
            with paused_gc(), self._write() as conn:
                result = import_estate(conn, systems, dependencies, actor or default_actor(), reason, on or _now(), state_dates or {})
                if before_commit is not None:
                    before_commit(result.model_copy(update={"dry_run": dry_run}))
                if dry_run:
                    raise _RollBack(result)
        except _RollBack as rolled_back:
            result = rolled_back.result
        except IntegrityError:
            raise ConflictError("the register changed while importing (a system or dependency was added meanwhile); nothing was imported") from None
        return result.model_copy(update={"dry_run": dry_run})

    def is_empty(self) -> bool:
        """No system and no event recorded (a register just created and never written)."""
        from sqlalchemy import select

        with self._read() as conn:
            return conn.execute(select(t.systems.c.id).limit(1)).first() is None and conn.execute(select(t.events.c.seq).limit(1)).first() is None

    def iter_ids(self) -> Iterator[str]:
        from sqlalchemy import select

        with self._read() as conn:
            yield from (r[0] for r in conn.execute(select(t.systems.c.id).order_by(t.systems.c.id)))

    def names(self) -> dict[str, str]:
        """Every registered id with its name: what an import resolves names against."""
        from sqlalchemy import select

        with self._read() as conn:
            return {row[0]: row[1] for row in conn.execute(select(t.systems.c.id, t.systems.c.name))}


class _RollBack(Exception):
    """Leaves a dry run's transaction without committing it."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("dry run")
        self.result = result


def _in_order(conn: Connection, system_id: str, on: dt.datetime) -> None:
    """A dated change may not come before the system's last recorded one: the history stays in order."""
    from sqlalchemy import func, select

    latest = conn.execute(select(func.max(t.events.c.at)).where(t.events.c.system_id == system_id)).scalar()
    if latest is None:
        return
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=dt.timezone.utc)
    if on < latest:
        raise InventoryError(
            f"{system_id}: --on {on.date().isoformat()} is before its last recorded change ({latest.date().isoformat()})",
            hint="record changes in the order they happened",
        )


def _validated(before: System, changes: dict[str, Any]) -> System:
    from pydantic import ValidationError

    data = before.model_dump()
    data.update(changes)
    try:
        return System.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InventoryError(f"{before.id}: {problems}") from None


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """The register at ``url``, else ``BOROUGH_DB``, else ``.borough/inventory.db`` here.

    Readers pass ``create=False``: a database that does not exist (or holds no register) is then
    refused rather than created empty, except the default file. See :func:`open_engine`.
    """
    from inventory.db.engine import open_engine

    return Store(open_engine(url, create=create))


@contextmanager
def creating_store(url: str | None = None) -> Iterator[Store]:
    """The register at ``url`` for a command that may create it (import, add).

    A new SQLite file made here is removed again when nothing was stored in it (the command
    failed, or it was a dry run), so a refused first import into a new ``--db`` leaves no empty
    register behind. A database that existed before is never removed.
    """
    from inventory.db.urls import new_sqlite_file

    fresh = new_sqlite_file(url)
    store = open_store(url, create=True)
    try:
        yield store
    finally:
        try:
            empty = fresh is not None and store.is_empty()
        except InventoryError:  # the database stopped answering: leave it, and the first error, alone
            empty = False
        store.close()
        if empty and fresh is not None:
            for path in (fresh, fresh.with_name(fresh.name + "-wal"), fresh.with_name(fresh.name + "-shm")):
                path.unlink(missing_ok=True)


__all__ = ["Store", "open_store", "creating_store", "default_actor", "jsonable"]
