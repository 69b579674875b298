"""Fixtures for the HTML report tests: the sample estate's page and a 10,000-system estate's page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from html_estates import TODAY, bench_module, compliance_run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "inventory"))  # inventory_dbs: the shared sample_db
from inventory_dbs import sample_db  # noqa: E402, F401 - the sample register in SQLite, a module fixture

from inventory.reports import ReportParams
from inventory.reports.html import build_estate_report, render_html
from inventory.sample import sample_estate


@pytest.fixture(scope="session")
def sample_html() -> str:
    return render_html(build_estate_report(sample_estate(), ReportParams(today=TODAY)))


@pytest.fixture(scope="session")
def large_html() -> str:
    return render_html(build_estate_report(bench_module().estate(10_000), ReportParams(today=TODAY)))


@pytest.fixture(scope="session")
def checks_html() -> str:
    """The sample estate with a compliance section holding met, not met and not covered."""
    return render_html(build_estate_report(sample_estate(), ReportParams(today=TODAY), compliance_run()))


@pytest.fixture(scope="session")
def names_only_html() -> str:
    """A council register of names only (Northbridge, through its mapping): no ids, no TIME, no waves."""
    from inventory.importing import read_file
    from inventory.register.model import Estate

    examples = Path(__file__).resolve().parents[2] / "inventory" / "examples"
    systems, deps = read_file(examples / "northbridge-register.xlsx", examples / "northbridge-register-mapping.yaml")
    return render_html(build_estate_report(Estate(systems=systems, dependencies=deps), ReportParams(today=TODAY)))


@pytest.fixture(scope="session")
def medium_html() -> str:
    """A generated 2,000-system register with a year of history."""
    return render_html(build_estate_report(bench_module().estate(2_000), ReportParams(today=TODAY)))

