"""Hostile Pulumi programs under `borough check --program` (issue 9, item 1).

A program is run in a child process with a time limit and its output captured, so whatever it
does, the check either reports on its graph or stops with a located one-line error: a program
that kills its interpreter or exits early is exit 2, one that never ends (or spawns processes
that never end) is exit 3 with nothing left running, and nothing it writes reaches stdout.
No case may write a report.
"""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest
from bad_input_helpers import assert_refused, borough, snapshot


def _program(root: Path, source: str) -> Path:
    root.mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: hostile\nruntime: python\n")
    (root / "Pulumi.dev.yaml").write_text("config: {}\n")
    (root / "__main__.py").write_text(textwrap.dedent(source))
    return root


def _check(program: Path, report: Path, *extra: str):  # type: ignore[no-untyped-def]
    return borough("check", "--program", str(program), "--stack", "dev", "--format", "json",
                   "--output", str(report), *extra, subprocess=True, timeout=180)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.parametrize(("case", "source", "timeout", "code", "needle"), [
    ("os-exit", """\
        import os
        import pulumi
        from pulumi_azure_native import resources
        resources.ResourceGroup("rg", location="uksouth")
        os._exit(0)
        """, "120", 2, "the program ended without a resource graph"),
    ("sys-exit", """\
        import sys
        import pulumi
        from pulumi_azure_native import resources
        resources.ResourceGroup("rg", location="uksouth")
        sys.exit(0)
        """, "120", 2, "the program called exit(0) before it finished"),
    ("infinite-loop", """\
        import pulumi
        while True:
            pass
        """, "3", 3, "synthesis did not finish within 3 s"),
])
def test_a_program_that_ends_early_or_never_is_refused_naming_it(tmp_path, case, source, timeout, code, needle):
    program = _program(tmp_path / case, source)
    report = tmp_path / "report.json"
    before = snapshot(paths=[report, program])
    run = _check(program, report, "--timeout", timeout)
    line = assert_refused(run, str(program), needle, code=code)
    assert line.startswith(f"borough: error: {program}")
    assert run.stdout == ""
    assert snapshot(paths=[report, program]) == before  # no report, nothing left in the program


def test_processes_a_program_spawns_do_not_outlive_the_time_limit(tmp_path):
    pids = tmp_path / "pids.txt"
    # A bounded fork bomb: a helper forks three times (eight processes), each records its pid and
    # sleeps; the program then waits forever. The time limit must end all of them.
    program = _program(tmp_path / "forks", f"""\
        import subprocess, sys, time
        import pulumi
        helper = (
            "import os, time\\n"
            "for _ in range(3):\\n"
            "    os.fork()\\n"
            "with open({str(pids)!r}, 'a') as f:\\n"
            "    f.write(str(os.getpid()) + '\\\\n')\\n"
            "time.sleep(600)\\n"
        )
        subprocess.Popen([sys.executable, "-c", helper])
        while True:
            time.sleep(0.1)
        """)
    report = tmp_path / "report.json"
    run = _check(program, report, "--timeout", "4")
    assert_refused(run, str(program), "synthesis did not finish within 4 s", code=3)
    assert not report.exists()
    recorded = [int(p) for p in pids.read_text().split()] if pids.exists() else []
    deadline = time.monotonic() + 10  # a killed process is gone once its parent (or init) reaps it
    while any(_alive(pid) for pid in recorded) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in recorded if _alive(pid)] == []


def test_processes_left_running_by_a_finished_program_are_stopped(tmp_path):
    pid_file = tmp_path / "pid.txt"
    program = _program(tmp_path / "leaves", f"""\
        import subprocess
        import pulumi
        child = subprocess.Popen(["sleep", "600"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        pulumi.export("left", "a sleeper")
        """)
    run = borough("stacks", "synth", "dev", "--program", str(program), subprocess=True, timeout=180)
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["outputs"] == {"left": "a sleeper"}
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def test_writes_to_file_descriptor_1_never_reach_the_json_report(tmp_path):
    program = _program(tmp_path / "fd1", """\
        import os, subprocess, sys
        import pulumi
        from pulumi_azure_native import resources
        os.write(1, b'{"not": "the report"}\\n')
        sys.stdout.write("half a line")
        subprocess.run(["printf", "from a subprocess"])
        resources.ResourceGroup("rg", location="uksouth", tags={"owner": "council"})
        """)
    run = borough("check", "--program", str(program), "--stack", "dev", "--format", "json", subprocess=True, timeout=180)
    assert run.code in (0, 1), run.stderr
    report = json.loads(run.stdout)
    assert report["targets"][0]["name"] == "dev" and "not" not in report
    assert "half a line" in run.stderr and "from a subprocess" in run.stderr
    assert "Traceback" not in run.stderr
