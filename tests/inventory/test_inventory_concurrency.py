"""Several processes updating the same records: nothing accepted is lost, nothing refused is silent."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from inventory.register.model import System
from inventory.store import open_store

WORKERS = 4
ROUNDS = 15
RECORDS = ["council-tax", "housing", "payroll"]

WORKER = """
import json, sys
from inventory.errors import ConflictError
from inventory.store import open_store

url, worker, rounds, records = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")
with open_store(url) as store:
    for i in range(rounds):
        record = records[(i + worker) % len(records)]
        note = f"w{worker}-{i}"
        blind = i % 5 == 4
        seen = None if blind else store.get(record).version_no
        try:
            saved = store.update(record, {"notes": note}, expected_version=seen, actor=f"worker-{worker}", reason=note)
            outcome = {"record": record, "note": note, "blind": blind, "result": "accepted", "version": saved.version_no}
        except ConflictError as exc:
            outcome = {"record": record, "note": note, "blind": blind, "result": "refused", "message": str(exc)}
        print(json.dumps(outcome), flush=True)
"""


def test_concurrent_writers_lose_nothing(db_url: str, tmp_path: Path) -> None:
    with open_store(db_url) as store:
        for record in RECORDS:
            store.add(System(id=record, name=record.title()), actor="setup")
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), db_url, str(w), str(ROUNDS), ",".join(RECORDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outcomes += [json.loads(line) for line in out.splitlines()]

    assert len(outcomes) == WORKERS * ROUNDS, "every attempt got an answer"
    accepted = [o for o in outcomes if o["result"] == "accepted"]
    refused = [o for o in outcomes if o["result"] == "refused"]
    assert all("your update was not applied" in o["message"] or "was not applied" in o["message"] for o in refused)
    assert all(o["result"] == "accepted" for o in outcomes if o["blind"]), "an update without an expected version is never refused"

    with open_store(db_url) as store:
        updates = [e for e in store.history() if e.action == "update"]
        written = Counter(e.changes["notes"][1] for e in updates)
        assert sorted(written) == sorted(o["note"] for o in accepted) and set(written.values()) == {1}
        assert not {o["note"] for o in refused} & set(written)
        for record in RECORDS:
            chain = [e.changes["notes"] for e in updates if e.system_id == record]
            assert all(prev[1] == cur[0] for prev, cur in zip(chain, chain[1:])), f"{record}: each change starts from the one before"
            final = store.get(record)
            assert final.version_no == 1 + sum(o["record"] == record for o in accepted)
            assert final.notes == (chain[-1][1] if chain else "")


FIRST_USE = """
import sys
from inventory.register.model import System
from inventory.store import open_store

with open_store(sys.argv[1]) as store:
    store.add(System(id=f"system-{sys.argv[2]}", name="S"), actor="first-use")
"""


def test_processes_opening_a_new_database_together_all_succeed(db_url: str, tmp_path: Path) -> None:
    script = tmp_path / "first_use.py"
    script.write_text(FIRST_USE, encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, str(script), db_url, str(w)], stderr=subprocess.PIPE, text=True) for w in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with open_store(db_url) as store:
        assert [s.id for s in store.list()] == ["system-0", "system-1", "system-2"]
