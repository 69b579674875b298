"""Every live type judged: a resource of a type borough has no mapping for (a Purview
account, written from its REST reference) is rendered from its Resource Graph row, meets the
checks for every resource, and is listed as generic with what is not covered; `--unmanaged-only`
does not block on (or list) a managed one."""

from __future__ import annotations

import json
from typing import Iterator

import pytest
from typer.testing import CliRunner

from azure_rest_shapes import purview_account
from cli.main import app
from drift_fixtures import RG, SUB, TAGS, live_bodies, state_export
from fake_arm import TOKEN
from live_fake import PostureServer


pytestmark = pytest.mark.usefixtures("azure_env")


@pytest.fixture
def server() -> Iterator[PostureServer]:
    with PostureServer() as running:
        for body in live_bodies(state_export()):
            running.state.add(body)
        running.state.add(purview_account(SUB, RG, "pv-tagged-uk", TAGS))
        running.state.add(purview_account(SUB, RG, "pv-bare-abroad", {}, location="westeurope"))
        yield running


def live(server: PostureServer, *args: str):
    return CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                    "--retries", "0", "--format", "json", *args])


def test_an_unmapped_type_gets_the_all_resource_checks_and_is_listed_generic(server):
    result = live(server)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["not_evaluated"] == [] and "incomplete" in report and report["incomplete"] == []
    verdicts = {(f["urn"].rsplit("/", 1)[-1], f["check_id"]): f["outcome"] for f in report["findings"]
                if "/Microsoft.Purview/accounts/" in f["urn"]}
    assert verdicts == {("pv-tagged-uk", "CKV_BOROUGH_001"): "passed", ("pv-tagged-uk", "CKV_BOROUGH_002"): "passed",
                        ("pv-bare-abroad", "CKV_BOROUGH_001"): "failed", ("pv-bare-abroad", "CKV_BOROUGH_002"): "failed"}
    generic = {g["urn"].rsplit("/", 1)[-1]: g for g in report["generic"]}
    assert set(generic) == {"pv-tagged-uk", "pv-bare-abroad"}
    assert generic["pv-bare-abroad"]["checks"] == ["CKV_BOROUGH_001", "CKV_BOROUGH_002"]
    assert "Microsoft.Purview/accounts" in generic["pv-bare-abroad"]["not_covered"]
    assert report["targets"][0]["generic"] == len(report["generic"]) == 2


def test_the_table_names_generic_resources_and_what_is_not_covered(server):
    table = CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                     "--retries", "0"]).stdout
    assert "Generic (unmapped types" in table and "pv-bare-abroad" in table and "no mapping" in table


def test_unmanaged_only_neither_blocks_on_nor_lists_a_managed_unmapped_resource(server, tmp_path):
    from inventory.register.model import System
    from inventory.store import open_store

    db = f"sqlite:///{tmp_path / 'register.db'}"
    with open_store(db) as store:
        store.add(System(id=TAGS["system-id"], name="Resident portal"))
    result = live(server, "--unmanaged-only", "--db", db)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [g["urn"].rsplit("/", 1)[-1] for g in report["generic"]] == ["pv-bare-abroad"]
    assert {g["managed_by"] for g in report["generic"]} == {"unmanaged"}
    assert "pv-tagged-uk" not in result.stdout
