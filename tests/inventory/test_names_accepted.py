"""show, update and move take the name the council's sheet uses, as well as the id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from inventory.errors import InventoryError, NotFoundError
from inventory.register.lookup import resolve_id

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "inventory" / "examples"
NAMES = {"finance-erp": "Finance ERP", "crm": "Customer Relationship Management", "ctax": "Council Tax", "ctax-2": "Council  tax"}


def test_an_id_or_an_unambiguous_name_in_any_case_and_spacing() -> None:
    assert resolve_id(NAMES, "finance-erp") == "finance-erp"
    assert resolve_id(NAMES, "Finance ERP") == "finance-erp"
    assert resolve_id(NAMES, "  finance   erp ") == "finance-erp"
    assert resolve_id(NAMES, "customer relationship MANAGEMENT") == "crm"


def test_a_name_of_several_systems_is_refused_with_their_ids() -> None:
    with pytest.raises(InventoryError, match=r"'council tax' is the name of 2 systems: ctax, ctax-2") as caught:
        resolve_id(NAMES, "council tax")
    assert caught.value.hint == "give the id instead"


def test_an_unknown_name_says_what_was_meant() -> None:
    with pytest.raises(NotFoundError, match="no system 'Finance EPR'") as caught:
        resolve_id(NAMES, "Finance EPR")
    assert caught.value.hint == "did you mean: Finance ERP (finance-erp)?"
    with pytest.raises(NotFoundError) as nothing:
        resolve_id(NAMES, "zzzz")
    assert nothing.value.hint == "borough inventory list shows the ids and names"


def test_show_update_and_move_by_the_sheets_name(sqlite_url: str) -> None:
    def run(*args: str, code: int = 0):  # noqa: ANN202
        result = runner.invoke(app, ["inventory", *args, "--db", sqlite_url])
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    run("import", str(EXAMPLES / "northbridge-register.xlsx"), "--mapping", str(EXAMPLES / "northbridge-register-mapping.yaml"))
    shown = json.loads(run("show", "children's social care", "--format", "json").stdout)
    assert shown["system"]["id"] == "childrens-social-care"
    run("update", "Children's Social Care", "--set", "strategy=repurchase", "--set", "wave=1", "--set", "target_hosting=saas")
    run("move", "CHILDREN'S  SOCIAL CARE", "assessed")
    assert json.loads(run("show", "childrens-social-care", "--format", "json").stdout)["system"]["state"] == "assessed"
    wrong = run("show", "Childrens Socail Care", code=2)
    assert "did you mean: Children's Social Care (childrens-social-care)" in wrong.stderr


def test_history_without_a_system_is_the_latest_changes_and_says_how_many_more(sample_db: str) -> None:
    def history(*args: str):  # noqa: ANN202
        result = runner.invoke(app, ["inventory", "history", "--db", sample_db, "--format", "json", *args])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout), result.stderr

    everything, quiet = history("--all")
    assert len(everything) > 50 and quiet == ""
    latest, note = history()
    assert latest == everything[-50:]
    assert f"the latest 50 of {len(everything):,} changes; --limit N or --all for more" in note
    ten, _ = history("--limit", "10")
    assert ten == everything[-10:]
    one, _ = history("Finance ERP")
    assert one and {e["system_id"] for e in one} == {"finance-erp"}
