"""Estates for the HTML report tests: the sample estate, a hostile one, a 10,000-system one.

The 10,000-system estate is the benchmark's (bench/bench_report_html.py, itself built on
bench_inventory's generator), loaded by path so tests and benchmark judge the same estate.
(A module of its own, not conftest, so test files import it by a name no other test folder uses.)
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from inventory.register.model import Estate
from inventory.sample import sample_estate

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 27)
HOSTILE = "<script>alert(1)</script>"


def bench_module() -> ModuleType:
    path = REPO / "bench" / "bench_report_html.py"
    spec = importlib.util.spec_from_file_location("bench_report_html", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hostile_estate() -> Estate:
    """The sample estate with register text a page must never run: in a name, a service area, an owner."""
    estate = sample_estate()
    systems = []
    for system in estate.systems:
        if system.id == "pest-control":  # support ended: listed under risks
            system = system.model_copy(update={"name": HOSTILE, "service_area": '<img src=x onerror="alert(2)">'})
        systems.append(system)
    return Estate(systems=systems, dependencies=estate.dependencies, events=estate.events)


def compliance_run() -> dict[str, Any]:
    """A compliance run's plain data (``CheckReport.to_dict()``'s shape) with a failure, a pass and
    a principle nothing covers: two stacks, three NCSC principles, one CIS requirement."""

    def finding(target: str, check: str, outcome: str) -> dict[str, str]:
        return {"target": target, "check_id": check, "outcome": outcome}

    target = {"resources": 3, "checks_evaluated": 2, "passed": 1, "failed": 0, "suppressed": 0, "errored": 0, "rendered": 3}
    return {
        "targets": [{**target, "name": "platform-prod"}, {**target, "name": "data-prod", "failed": 1}],
        "findings": [finding("platform-prod", "CKV_A", "passed"), finding("data-prod", "CKV_A", "failed"), finding("data-prod", "CKV_B", "passed")],
        "frameworks": [
            {"framework": "ncsc", "requirement": "1", "title": "Data in transit", "status": "not met", "checks": ["CKV_A"]},
            {"framework": "ncsc", "requirement": "2", "title": "Asset protection", "status": "met", "checks": ["CKV_B"]},
            {"framework": "ncsc", "requirement": "3", "title": "Separation", "status": "not covered", "checks": ["CKV_Z"]},
            {"framework": "cis", "requirement": "9.9", "title": "not NCSC", "status": "met", "checks": ["CKV_A"]},
        ],
        "incomplete": [],
    }
