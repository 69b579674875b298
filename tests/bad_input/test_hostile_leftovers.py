"""Nothing outlives borough (issue 20): signals, daemons, and a program's endless output.

SIGTERM (a cancelled CI job, ``timeout``) and SIGHUP (a dropped SSH session) end a command as
Ctrl-C does: the synthesis children, what they started and the ``borough-synth-*`` folders are
gone, and the exit code is 128 + the signal. A daemon a program starts with ``setsid`` is found
(borough is the subreaper of its descendants) and stopped at the end of a clean run too. A
program's output is read through a pipe of which only the tail is kept, never spooled whole.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_input_helpers import ROOT, borough


def _program(root: Path, source: str) -> Path:
    root.mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: lingering\nruntime: python\n")
    (root / "Pulumi.dev.yaml").write_text("config: {}\n")
    (root / "__main__.py").write_text(textwrap.dedent(source))
    return root


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _gone(pids: list[int], within: float = 10) -> list[int]:
    """The pids still running after ``within`` seconds (a killed process needs its reaper)."""
    deadline = time.monotonic() + within
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if _alive(pid)]


def _wait_for(path: Path, within: float = 120) -> None:
    deadline = time.monotonic() + within
    while not (path.exists() and path.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), f"{path} never appeared"


HANGING = """\
    import subprocess, sys, time
    import pulumi
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    open({pids!r}, "w").write(str(child.pid) + "\\n")
    while True:
        time.sleep(0.1)
    """


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_signal_during_check_stops_every_child_and_removes_the_temporary_folders(tmp_path, sig, code):
    pids = tmp_path / "pids.txt"
    program = _program(tmp_path / "hangs", HANGING.format(pids=str(pids)))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "check", "--program", str(program), "--stack", "dev", "--format", "json",
         "--timeout", "300"],
        cwd=ROOT, env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    try:
        _wait_for(pids)
        assert list(scratch.glob("borough-synth-*")), "the synthesis is running in its folder"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == code, err
    assert b"Traceback" not in err
    assert out == b""  # no half report
    assert _gone([int(p) for p in pids.read_text().split()]) == []
    assert list(scratch.glob("borough-synth-*")) == []


def test_a_setsid_daemon_started_by_a_program_is_stopped_at_the_end_of_a_clean_run(tmp_path):
    pid_file = tmp_path / "daemon.pid"
    program = _program(tmp_path / "daemon", f"""\
        import os, time
        import pulumi
        if os.fork() == 0:  # the classic daemon: fork, new session, fork again, parent exits
            os.setsid()
            if os.fork() == 0:
                open({str(pid_file)!r}, "w").write(str(os.getpid()))
                time.sleep(600)
            os._exit(0)
        deadline = time.time() + 30
        while not os.path.exists({str(pid_file)!r}) and time.time() < deadline:
            time.sleep(0.05)
        pulumi.export("daemon", "started")
        """)
    run = borough("stacks", "synth", "dev", "--program", str(program), subprocess=True, timeout=180)
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["outputs"] == {"daemon": "started"}
    assert _gone([int(pid_file.read_text())]) == []


@pytest.fixture
def small_tmp(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs as TMPDIR (root only): a program's output spooled whole would not fit."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_program_printing_megabytes_is_kept_to_its_tail(tmp_path, small_tmp):
    program = _program(tmp_path / "chatty", """\
        import sys
        import pulumi
        line = "x" * 99 + "\\n"
        for i in range(60_000):  # 6 MB
            sys.stdout.write(line)
        print("the last words")
        pulumi.export("said", "a lot")
        """)
    run = borough("stacks", "synth", "dev", "--program", str(program), subprocess=True, timeout=180,
                  env={"TMPDIR": str(small_tmp)})
    assert run.code == 0, run.stderr[-2000:]
    assert json.loads(run.stdout)["outputs"] == {"said": "a lot"}
    assert "the last words" in run.stderr
    assert "bytes of the program's earlier output not shown" in run.stderr
    assert len(run.stderr) < 256 * 1024


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[-1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            found.append(pid)
            todo.append(pid)
    return found


def test_sigterm_during_report_html_checks_leaves_nothing_behind(tmp_path, seeded_db_url):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    report = tmp_path / "estate.html"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "report", "html", "--checks", "--db", seeded_db_url, "--output", str(report)],
        cwd=ROOT, env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    children: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while not list(scratch.glob("borough-synth-*")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if proc.poll() is not None:
            pytest.skip("the report finished before a synthesis could be interrupted")
        children = _descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, err
    assert b"Traceback" not in err
    assert not report.exists()
    assert children and _gone(children) == []
    assert list(scratch.glob("borough-synth-*")) == []
