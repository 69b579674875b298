"""`--format json` is for scripts: every inventory and report command's JSON, on the sample estate,
is records in the shape its schema in docs/schemas/ documents, and the same bytes every run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cli.main import app
from inventory.sample import load_sample, sample_path
from cli.schemas import command_schemas, dumps
from inventory.store import open_store

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
REPORTS = ["portfolio", "progress", "risk", "waves", "caf", "time"]
runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def commands(url: str) -> dict[str, list[str]]:
    """Schema stem -> a command line producing that JSON on the sample register."""
    lines = {
        "inventory-list": ["inventory", "list", "--db", url],
        "inventory-show": ["inventory", "show", "revenues-council-tax", "--db", url],
        "inventory-history": ["inventory", "history", "--db", url],
        "inventory-import": ["inventory", "import", str(sample_path()), "--dry-run", "--db", url],
        "inventory-validate": ["inventory", "validate", "--db", url],
        "inventory-waves": ["inventory", "waves", "--start", "2027-01", "--capacity", "6", "--blackout", "03", "--db", url],
        "inventory-export": ["inventory", "export", "--db", url],
    }
    for name in REPORTS:
        lines[f"report-{name}"] = ["report", name, "--today", "2026-11-27", "--db", url]
    return lines


def validator(stem: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{stem}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_committed_schemas_are_the_records_the_commands_write() -> None:
    """docs/schemas is generated from the record types; a record change without a schema change fails here."""
    expected = command_schemas()
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(f"{stem}.schema.json" for stem in expected)
    for stem, schema in expected.items():
        assert (SCHEMAS / f"{stem}.schema.json").read_text(encoding="utf-8") == dumps(schema), f"regenerate: python -m cli.schemas docs/schemas ({stem})"


@pytest.mark.parametrize("stem", sorted(commands("sqlite://")))
def test_each_json_output_matches_its_schema_and_is_deterministic(sample_db: str, stem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOROUGH_ROOT", str(Path(__file__).resolve().parents[2]))
    line = [*commands(sample_db)[stem], "--format", "json"]
    first = invoke(*line)
    data = json.loads(first)
    errors = sorted(validator(stem).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]
    assert first == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n", "keys sorted"
    assert invoke(*line) == first, "the same register gives the same bytes"


def test_list_is_a_list_of_system_records(sample_db: str) -> None:
    systems = json.loads(invoke("inventory", "list", "--db", sample_db, "--format", "json"))
    assert len(systems) == 74 and [s["id"] for s in systems] == sorted(s["id"] for s in systems)
    ctax = next(s for s in systems if s["id"] == "revenues-council-tax")
    assert ctax["name"] and ctax["hosting"] in {"on-premises", "supplier-hosted", "aws", "azure", "saas", "other"}
    assert isinstance(ctax["version_no"], int) and "title" not in ctax and "rows" not in ctax


def test_show_has_the_system_its_dependencies_and_its_dependants(sample_db: str) -> None:
    shown = json.loads(invoke("inventory", "show", "revenues-council-tax", "--db", sample_db, "--format", "json"))
    assert shown["system"]["id"] == "revenues-council-tax"
    assert shown["dependencies"] and all(d["source"] == "revenues-council-tax" for d in shown["dependencies"])
    assert shown["dependants"] and all(d["target"] == "revenues-council-tax" for d in shown["dependants"])
    everything = json.loads(invoke("inventory", "list", "--db", sample_db, "--format", "json"))
    assert shown["system"] == next(s for s in everything if s["id"] == "revenues-council-tax"), "one system record shape everywhere"


def test_history_is_a_list_of_events(sample_db: str) -> None:
    events = json.loads(invoke("inventory", "history", "revenues-council-tax", "--db", sample_db, "--format", "json"))
    assert events[0]["action"] == "import" and events[0]["changes"]["state"][0] is None
    assert all(e["system_id"] == "revenues-council-tax" for e in events)
    moves = [e["changes"]["state"] for e in events if e["action"] == "move"]
    assert moves and all(len(change) == 2 and change[0] != change[1] for change in moves), "changes are field: [from, to]"


def test_reports_are_named_sections_of_records_with_raw_values(sample_db: str) -> None:
    risk = json.loads(invoke("report", "risk", "--today", "2026-11-27", "--db", sample_db, "--format", "json"))
    assert {c["risk"] for c in risk["summary"]} == {
        "support_ending", "contracts_without_plan", "sensitive_on_unsupported", "mission_critical_on_premises", "dependencies_on_retiring",
    }
    for count in risk["summary"]:
        assert count["count"] == len(risk[count["risk"]]), "each summary line counts its own section"
    ended = [r for r in risk["support_ending"] if r["days_left"] < 0]
    assert ended and all(r["support_end"] < "2026-11-27" for r in ended), "days, not prose ('ended 3 days ago')"
    portfolio = json.loads(invoke("report", "portfolio", "--today", "2026-11-27", "--db", sample_db, "--format", "json"))
    assert sum(r["systems"] for r in portfolio["by_state_and_strategy"]) == portfolio["totals"]["systems"] == 74
    assert all(re.fullmatch(r"\d+\.\d{2}", h["annual_cost"]) for h in portfolio["by_hosting"]), "money exact, no £ or commas"
    time = json.loads(invoke("report", "time", "--today", "2026-11-27", "--db", sample_db, "--format", "json"))
    assert {c["category"]: (c["business_value"], c["technical_fit"]) for c in time["categories"] if c["category"]} == {
        "tolerate": ("low", "good"), "invest": ("high", "good"), "migrate": ("high", "poor"), "eliminate": ("low", "poor"),
    }


def test_export_is_the_system_records_list_writes_and_the_dependencies(sample_db: str) -> None:
    exported = json.loads(invoke("inventory", "export", "--db", sample_db, "--format", "json"))
    listed = json.loads(invoke("inventory", "list", "--db", sample_db, "--format", "json"))
    assert exported["systems"] == [{k: v for k, v in s.items() if k != "version_no"} for s in listed], \
        "one system shape everywhere, less the store's version counter"
    deps = exported["dependencies"]
    assert deps and [(d["source"], d["target"]) for d in deps] == sorted((d["source"], d["target"]) for d in deps)
    assert all(s["annual_cost"] is None or re.fullmatch(r"\d+\.\d{2}", s["annual_cost"]) for s in exported["systems"])


def test_waves_plan_with_apply_adds_what_was_written(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'inventory.db'}"
    with open_store(url) as store:
        load_sample(store)
    plan = json.loads(invoke("inventory", "waves", "--start", "2027-01", "--apply", "--db", url, "--format", "json"))
    assert not list(validator("inventory-waves").iter_errors(plan))
    assert plan["applied"] == [c["system"] for c in plan["changes"]]


FORMATS_OF = {
    ("inventory", "list"): ["table", "json", "csv", "markdown"],
    ("inventory", "show"): ["table", "json", "csv", "markdown"],
    ("inventory", "history"): ["table", "json", "csv", "markdown"],
    ("inventory", "import"): ["table", "json", "csv", "markdown"],
    ("inventory", "validate"): ["table", "json", "csv", "markdown"],
    ("inventory", "waves"): ["table", "json", "markdown"],
    ("inventory", "export"): ["csv", "xlsx", "yaml", "json"],
    **{("report", name): ["table", "json", "csv", "markdown"] for name in REPORTS},
}


@pytest.mark.parametrize("command", sorted(FORMATS_OF), ids=" ".join)
def test_help_lists_only_the_formats_the_command_takes(command: tuple[str, str]) -> None:
    text = invoke(*command, "--help")
    listed = re.search(r"--format <([a-z|]+)>", text)
    assert listed, text
    assert listed[1].split("|") == FORMATS_OF[command]
    refused = runner.invoke(app, [*command, "--format", "sarif"])
    assert refused.exit_code == 2 and "'sarif' is not one of" in refused.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_every_listed_format_works(sample_db: str, fmt: str) -> None:
    for line in commands(sample_db).values():
        if fmt not in FORMATS_OF[(line[0], line[1])]:
            continue
        assert invoke(*line, "--format", fmt).strip(), (line, fmt)
