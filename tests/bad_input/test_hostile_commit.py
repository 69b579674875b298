"""Write, then commit (issue 20): a command that changes the register and writes ``--output``
writes the output first; a full disk refuses it with the register and the target as they were.

The full disk is a small tmpfs the test mounts (root only; skipped otherwise), filled to the
last byte, so the first write of the report fails with ENOSPC as it would on a CI runner.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_input_helpers import assert_refused, borough, snapshot


@pytest.fixture
def full_dir(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _sheet(path: Path, rows: int) -> Path:
    lines = ["id,name,annual_cost"] + [f"sys-{i:05d},System {i},{1000 + i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_import_to_a_full_disk_imports_nothing(tmp_path, full_dir, seeded_db_url, fmt):
    sheet = _sheet(tmp_path / "systems.csv", 2000)
    report = full_dir / "import-report.txt"
    before = snapshot(seeded_db_url, [full_dir / "import-report.txt"])
    run = borough("inventory", "import", str(sheet), "--db", seeded_db_url, "--format", fmt, "--output", str(report))
    assert_refused(run, str(report), "No space left on device")
    assert snapshot(seeded_db_url, [full_dir / "import-report.txt"]) == before
    assert sorted(p.name for p in full_dir.iterdir()) == ["filler"]  # no temporary file left


def test_waves_apply_to_a_full_disk_applies_nothing(tmp_path, full_dir, seeded_db_url):
    report = full_dir / "waves.json"
    before = snapshot(seeded_db_url)
    assert any(rows for name, rows in before.tables.items() if name == "systems")
    run = borough("inventory", "waves", "--apply", "--include", "discovered", "--start", "2027-01", "--db", seeded_db_url, "--format", "json",
                  "--output", str(report))
    assert_refused(run, str(report), "No space left on device")
    assert snapshot(seeded_db_url) == before
    assert sorted(p.name for p in full_dir.iterdir()) == ["filler"]


def test_waves_apply_with_room_writes_the_plan_and_commits(tmp_path, seeded_db_url):
    report = tmp_path / "out" / "waves.json"
    run = borough("inventory", "waves", "--apply", "--include", "discovered", "--start", "2027-01", "--db", seeded_db_url, "--format", "json",
                  "--output", str(report))
    assert run.code == 0, run.stderr
    import json

    applied = json.loads(report.read_text())["applied"]
    assert applied  # the plan gave the seeded systems waves...
    history = borough("inventory", "history", "--db", seeded_db_url, "--format", "json")
    assert {e["system_id"] for e in json.loads(history.stdout) if e["action"] == "waves"} == set(applied)  # ...and committed them
