"""Every command's `--help` lists exactly the formats it takes (found by walking the CLI, so a new
command cannot be forgotten), and `stacks list`, `policies list` and `check` write records in the
shape their schema in docs/schemas/ documents."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import typer.main
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cli.main import app

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
TABULAR = ["table", "json", "csv", "markdown"]
runner = CliRunner()

FORMATS_OF: dict[str, list[str]] = {
    "check": ["table", "json", "csv", "markdown", "sarif", "junit"],
    "check-changed": ["table", "json", "csv", "markdown", "sarif", "junit"],
    "policies list": TABULAR,
    "policies coverage": TABULAR,
    "report caf-evidence": ["html", "json", "csv"],
    "stacks list": TABULAR,
    "drift stack": ["table", "json", "markdown", "sarif"],
    "drift inventory": ["table", "json", "markdown", "sarif"],
    "inventory export": ["csv", "xlsx", "yaml", "json"],
    "inventory waves": ["table", "json", "markdown"],
    **{f"inventory {name}": TABULAR for name in ("list", "show", "history", "import", "validate")},
    **{f"report {name}": TABULAR for name in ("portfolio", "progress", "risk", "waves", "caf", "time", "outlook")},
}
"""Command -> the formats it renders. A command with --format missing here fails the walk below."""


def cli_commands() -> Iterator[tuple[str, Any]]:
    """Every leaf command of the CLI as (`group name`, command), by walking the Typer app."""

    def walk(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in sorted(subcommands.items()):
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), command

    yield from walk(typer.main.get_command(app), [])


def with_format() -> dict[str, bool]:
    return {name: any("--format" in p.opts for p in command.params) for name, command in cli_commands()}


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result.stdout


def validator(stem: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{stem}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(stem: str, data: Any) -> None:
    errors = sorted(validator(stem).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]


def test_the_walk_finds_every_command_and_each_with_format_is_declared() -> None:
    found = with_format()
    assert {"check", "stacks list", "stacks show", "stacks synth", "policies list", "demo", "report html"} <= set(found)
    assert sorted(name for name, has in found.items() if has) == sorted(FORMATS_OF)


@pytest.mark.parametrize("command", sorted(with_format()))
def test_help_lists_exactly_the_formats_the_command_takes(command: str) -> None:
    text = invoke(*command.split(), "--help")
    listed = re.search(r"--format <([a-z|]+)>", text)
    if command not in FORMATS_OF:
        assert "--format" not in text, "a command without --format says nothing about formats"
        return
    assert listed, text
    assert listed[1].split("|") == FORMATS_OF[command]
    assert "table or json." not in text or FORMATS_OF[command] == ["table", "json"], "the help text names only what it takes"
    unlisted = next(f for f in ["sarif", "junit", "csv", "xlsx"] if f not in FORMATS_OF[command])
    refused = runner.invoke(app, [*command.split(), "--format", unlisted])
    assert refused.exit_code == 2 and f"'{unlisted}' is not one of" in refused.stderr


@pytest.mark.parametrize("fmt", TABULAR)
@pytest.mark.parametrize("line", [["stacks", "list"], ["policies", "list"], ["policies", "list", "--framework", "cis"]], ids=" ".join)
def test_every_listed_format_of_the_listings_works(line: list[str], fmt: str) -> None:
    text = invoke(*line, "--format", fmt)
    expected = {"stacks": "platform-prod", "policies": "CKV_AZURE_3"}[line[0]]
    assert expected in text, (line, fmt)
    if fmt == "csv":
        assert text.splitlines()[0].split(",")[0] in {"stack", "Check", "Requirement"}, "a header row of its own"


@pytest.mark.parametrize("line,stem", [
    (["stacks", "list"], "stacks-list"),
    (["policies", "list"], "policies-list"),
    *((["policies", "list", "--framework", fw], "policies-list-framework") for fw in ("ncsc", "caf", "cis")),
], ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_listing_json_matches_its_schema_and_is_deterministic(line: list[str], stem: str) -> None:
    first = invoke(*line, "--format", "json")
    data = json.loads(first)
    assert_valid(stem, data)
    assert first == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n", "keys sorted"
    assert invoke(*line, "--format", "json") == first, "the same files give the same bytes"


def test_stacks_list_is_stack_records() -> None:
    stacks = json.loads(invoke("stacks", "list", "--format", "json"))
    assert [s["name"] for s in stacks] == sorted(s["name"] for s in stacks)
    prod = next(s for s in stacks if s["name"] == "platform-prod")
    assert prod == {"name": "platform-prod", "environment": "platform", "stage": "prod", "location": "uksouth",
                    "system_id": "platform-shared-services", "file": "Pulumi.platform-prod.yaml"}


def test_a_value_a_stack_file_leaves_out_is_null(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: borough\nruntime: python\nmain: stacks/\n")
    (tmp_path / "Pulumi.sandbox.yaml").write_text("config:\n  borough:location: ukwest\n")
    monkeypatch.setenv("BOROUGH_ROOT", str(tmp_path))
    stacks = json.loads(invoke("stacks", "list", "--format", "json"))
    assert_valid("stacks-list", stacks)
    assert stacks == [{"name": "sandbox", "environment": None, "stage": None, "location": "ukwest", "system_id": None,
                       "file": "Pulumi.sandbox.yaml"}]


def test_policies_list_is_check_records_with_their_mappings() -> None:
    checks = {c["id"]: c for c in json.loads(invoke("policies", "list", "--format", "json"))}
    assert len(checks) >= 60 and "title" not in checks and "rows" not in checks
    council, builtin = checks["CKV_BOROUGH_005"], checks["CKV_AZURE_3"]
    assert council["source"] == "council" and council["remediation"] and council["title"]
    assert builtin["source"] == "built-in" and builtin["severity"] == "high" and builtin["frameworks"]["cis"] == ["3.1"]
    assert {c["source"] for c in checks.values()} == {"council", "built-in"}
    assert {c["id"] for c in checks.values() if c["source"] == "council"} == {i for i in checks if i.startswith("CKV_BOROUGH_")}
    numbers = [int(i.rsplit("_", 1)[1]) for i in checks if i.startswith("CKV_AZURE_")]
    assert numbers == sorted(numbers), "CKV_AZURE_2 before CKV_AZURE_10"


@pytest.mark.parametrize("framework", ["ncsc", "caf", "cis"])
def test_framework_requirements_and_check_mappings_agree(framework: str) -> None:
    """A requirement lists a check exactly when that check's record maps to the requirement."""
    listing = json.loads(invoke("policies", "list", "--framework", framework, "--format", "json"))
    checks = json.loads(invoke("policies", "list", "--format", "json"))
    assert listing["framework"] == framework and listing["name"] and listing["requirements"]
    by_requirement = {(r["id"], c) for r in listing["requirements"] for c in r["checks"]}
    by_check = {(req, c["id"]) for c in checks for req in c["frameworks"][framework]}
    assert by_requirement == by_check
    if framework == "caf":
        assert [r["id"] for r in listing["requirements"]][:4] == ["A1.a", "A1.b", "A1.c", "A2.a"]
        assert any(not r["checks"] for r in listing["requirements"]), "a requirement no check covers is an empty list"


def test_a_framework_the_policy_directory_lacks_is_bad_input(tmp_path: Path) -> None:
    import shutil

    from policies.catalog import POLICY_DIR

    policies = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, policies, ignore=shutil.ignore_patterns("__pycache__"))
    next(p for p in (policies / "frameworks").glob("*.yaml") if "id: cis" in p.read_text()).unlink()
    for meta_path in (policies / "checks").glob("*.yaml"):  # a baseline that never heard of CIS
        meta = yaml.safe_load(meta_path.read_text())
        meta.get("frameworks", {}).pop("cis", None)
        meta_path.write_text(yaml.safe_dump(meta))
    assert json.loads(invoke("policies", "list", "--policies", str(policies), "--format", "json"))
    result = runner.invoke(app, ["policies", "list", "--policies", str(policies), "--framework", "cis", "--format", "json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "no framework file with id: cis" in result.stderr and "Traceback" not in result.stderr


def test_check_json_is_finding_records_matching_its_schema() -> None:
    """One real run (synthesis of platform-prod, then checkov): slow-ish, so one run only."""
    text = invoke("check", "platform-prod", "--framework", "ncsc", "--format", "json")
    report = json.loads(text)
    assert_valid("check", report)
    assert text == json.dumps(report, sort_keys=True, indent=2, ensure_ascii=False) + "\n", "keys sorted"
    assert report["findings"] and report["incomplete"] == []
    assert {f["target"] for f in report["findings"]} == {"platform-prod"}
    assert {f["outcome"] for f in report["findings"]} <= {"passed", "failed", "suppressed", "errored"}
    policies = {c["id"]: c for c in json.loads(invoke("policies", "list", "--format", "json"))}
    assert all(f["severity"] == policies[f["check_id"]]["severity"] for f in report["findings"]), \
        "a finding carries the severity its check is listed with"
    assert {r["framework"] for r in report["frameworks"]} == {"ncsc"}
