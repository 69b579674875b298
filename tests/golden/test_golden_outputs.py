"""The bundled stacks' graphs, ARM templates and reports, byte for byte as they were.

Moving code between packages (issue 14) must not change what borough prints: each bundled
stack's synthesized graph (``borough stacks synth STACK``), the ARM template it renders to, the
compliance report of ``borough check --all --format json`` and what ``borough demo`` prints are
compared with the files in ``tests/golden/``.

A change that is meant to alter an output regenerates the files and shows the difference in review:

    BOROUGH_UPDATE_GOLDEN=1 scripts/with-postgres scripts/with-browser .venv/bin/python -m pytest -q tests/golden

(``git diff tests/golden`` then shows exactly what changed.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

GOLDEN = Path(__file__).resolve().parent
UPDATE = os.environ.get("BOROUGH_UPDATE_GOLDEN") == "1"
STACKS = ["data-platform-prod", "platform-prod", "resident-services-dev", "resident-services-prod"]
ENV = {"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}


def _golden(name: str, text: str) -> str:
    """The stored output ``name`` (written from ``text`` first under BOROUGH_UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing: run with BOROUGH_UPDATE_GOLDEN=1 to create it"
    return path.read_text(encoding="utf-8")


DIFFERS = "differs from the golden file (see this module's docstring)"


def _run(args: list[str], expected_exit: int = 0) -> str:
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == expected_exit, result.output
    return result.stdout


@pytest.mark.parametrize("stack", STACKS)
def test_bundled_stack_graph_and_template_unchanged(stack: str) -> None:
    from arm import dump_template, render_graph
    from synth.graph import ResourceGraph

    graph_json = _run(["stacks", "synth", stack])
    assert graph_json == _golden(f"{stack}.graph.json", graph_json), f"{stack}.graph.json {DIFFERS}"
    template = dump_template(render_graph(ResourceGraph.from_dict(json.loads(graph_json))).template)
    assert template == _golden(f"{stack}.arm.json", template), f"{stack}.arm.json {DIFFERS}"


def test_check_all_report_unchanged() -> None:
    report = _run(["check", "--all", "--format", "json", "--today", "2026-12-07"])  # suppressions expire
    assert report == _golden("check-all.json", report), f"check-all.json {DIFFERS}"


def test_demo_output_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # relative: the tables' widths do not follow tmp_path; a fixed day: "support ended N days ago"
    shown = _run(["demo", "--db", "sqlite:///demo.db", "--today", "2026-12-07"])
    shown = shown.replace(str(tmp_path.resolve()), "TMP")
    assert shown == _golden("demo.txt", shown), f"demo.txt {DIFFERS}"
