"""Inventory drift on hand-built Estates and live records: each finding a user would act on."""

from __future__ import annotations

from inventory.drift import InventoryScope, inventory_drift
from inventory.live.model import Cloud, LiveResource, NotRead
from inventory.live.report import Rule, Status
from inventory.register.model import Estate, Hosting, State, Strategy, System


def live(cloud: Cloud, name: str, system: str | None, type_: str = "ec2:instance") -> LiveResource:
    tags = {"System-Id": system} if system is not None else {"owner": "x"}
    scope = "eu-west-2" if cloud is Cloud.aws else "11111111-2222-3333-4444-555555555555"
    return LiveResource(cloud=cloud, id=f"{cloud.value}/{name}", type=type_, name=name, location="uksouth", scope=scope, tags=tags)


ESTATE = Estate(systems=[
    System(id="old-crm", name="Old CRM", hosting=Hosting.aws, state=State.decommissioned),
    System(id="fax-gateway", name="Fax gateway", hosting=Hosting.on_premises, strategy=Strategy.retire, state=State.migrated),
    System(id="payroll", name="Payroll", hosting=Hosting.aws, state=State.assessed),
    System(id="housing", name="Housing", hosting=Hosting.on_premises, target_hosting=Hosting.azure,
           state=State.migrated, target_stack="resident-services-prod"),
    System(id="planning", name="Planning", hosting=Hosting.aws, target_hosting=Hosting.azure, state=State.migrating),
    System(id="libraries", name="Libraries", hosting=Hosting.aws, target_hosting=Hosting.azure, state=State.migrated),
])
BOTH = InventoryScope(clouds=frozenset({Cloud.azure, Cloud.aws}), stack_system_ids={"resident-services-prod": "resident-portal"})


def rules(report) -> dict[tuple[str, str], object]:
    return {(f.rule.value, f.resource): f for f in report.findings}


def test_each_kind_of_inventory_drift_is_found():
    resources = [
        live(Cloud.aws, "crm-box", "old-crm"),
        live(Cloud.aws, "fax-box", "fax-gateway"),
        live(Cloud.aws, "mystery", "shadow-it"),
        live(Cloud.aws, "bare", None),
        live(Cloud.azure, "payroll-vm", "payroll", "Microsoft.Compute/virtualMachines"),
        live(Cloud.aws, "payroll-db", "payroll", "rds:db"),
        live(Cloud.aws, "planning-old", "planning"),
        live(Cloud.azure, "planning-new", "planning", "Microsoft.Web/sites"),
        live(Cloud.aws, "libraries-leftover", "libraries"),
    ]
    report = inventory_drift(ESTATE, resources, BOTH)
    found = rules(report)
    assert set(found) == {
        ("decommissioned-system-running", "aws/crm-box"),
        ("decommissioned-system-running", "aws/fax-box"),
        ("unknown-system-id", "aws/mystery"),
        ("untagged-resource", "aws/bare"),
        ("hosting-mismatch", "payroll"),
        ("hosting-mismatch", "libraries"),
        ("migrated-system-without-resources", "housing"),
        ("migrated-system-without-resources", "libraries"),
    }
    assert "retired" in found[("decommissioned-system-running", "aws/fax-box")].message
    assert found[("hosting-mismatch", "payroll")].live == "azure"
    assert "target stack resident-services-prod" in found[("migrated-system-without-resources", "housing")].message
    assert report.exit_code == 1


def test_target_stack_resources_count_for_a_migrated_system():
    resources = [live(Cloud.azure, "portal-app", "resident-portal", "Microsoft.Web/sites"),
                 live(Cloud.azure, "lib-app", "libraries", "Microsoft.Web/sites")]
    report = inventory_drift(ESTATE, resources, BOTH)
    assert not [f for f in report.findings if f.rule is Rule.migrated_missing]


def test_clean_register_exits_zero():
    estate = Estate(systems=[System(id="payroll", name="Payroll", hosting=Hosting.aws)])
    report = inventory_drift(estate, [live(Cloud.aws, "p", "payroll")], InventoryScope(clouds=frozenset({Cloud.aws})))
    assert report.status is Status.clean and report.exit_code == 0


def test_azure_not_asked_for_is_a_note_not_a_false_finding():
    report = inventory_drift(ESTATE, [], InventoryScope(clouds=frozenset({Cloud.aws})))
    assert not [f for f in report.findings if f.rule is Rule.migrated_missing]
    assert any("Azure was not read" in n for n in report.notes)


def test_a_region_not_read_makes_the_report_incomplete_even_with_findings():
    gap = NotRead(Cloud.azure, "subscription 11111111-2222-3333-4444-555555555555", "Resource Graph query 'resources' page 2", "HTTP 500")
    scope = InventoryScope(clouds=frozenset({Cloud.azure, Cloud.aws}), not_read=(gap,))
    report = inventory_drift(ESTATE, [live(Cloud.aws, "bare", None)], scope)
    assert report.exit_code == 3
    # with Azure half-read, "migrated but nothing live" cannot be judged
    assert not [f for f in report.findings if f.rule is Rule.migrated_missing]
    assert report.to_dict()["not_read"][0]["what"] == "Resource Graph query 'resources' page 2"


def test_json_is_deterministic_whatever_the_input_order():
    resources = [live(Cloud.aws, n, s) for n, s in (("b", None), ("a", "shadow-it"), ("c", "old-crm"))]
    one = inventory_drift(ESTATE, resources, BOTH).to_dict()
    two = inventory_drift(ESTATE, list(reversed(resources)), BOTH).to_dict()
    assert one == two


def test_a_resource_whose_tags_were_not_read_gets_no_tag_verdict():
    import dataclasses

    unread = dataclasses.replace(live(Cloud.aws, "fn", None, "lambda:function"), tags={}, tags_read=False)
    report = inventory_drift(ESTATE, [unread, live(Cloud.aws, "bare", None)], InventoryScope(clouds=frozenset({Cloud.aws})))
    assert {f.resource for f in report.findings if f.rule is Rule.untagged} == {"aws/bare"}


def test_a_dev_stack_sharing_the_system_id_does_not_satisfy_a_migration_to_prod():
    def tagged(name: str, environment: str) -> LiveResource:
        return LiveResource(cloud=Cloud.azure, id=f"azure/{name}", type="Microsoft.Web/sites", name=name, location="uksouth",
                            scope="s", tags={"system-id": "resident-portal", "Environment": environment})

    scope = InventoryScope(clouds=frozenset({Cloud.azure}), stack_system_ids={"resident-services-prod": "resident-portal",
                                                                             "resident-services-dev": "resident-portal"},
                           stack_stages={"resident-services-prod": "prod", "resident-services-dev": "dev"})
    dev_only = inventory_drift(ESTATE, [tagged("app-dev", "dev")], scope)
    assert {f.system for f in dev_only.findings if f.rule is Rule.migrated_missing} >= {"housing"}
    with_prod = inventory_drift(ESTATE, [tagged("app-dev", "dev"), tagged("app-prod", "prod")], scope)
    assert "housing" not in {f.system for f in with_prod.findings if f.rule is Rule.migrated_missing}


def test_matches_and_where_each_resource_runs_are_reported():
    report = inventory_drift(ESTATE, [live(Cloud.aws, "p", "payroll"), live(Cloud.aws, "bare", None)],
                             InventoryScope(clouds=frozenset({Cloud.aws}), read=("aws region eu-west-2",)))
    assert report.matched_count == 1 and report.live_count == 2
    assert [f.location for f in report.findings if f.rule is Rule.untagged] == ["uksouth"]
    assert report.summary().rows == [["read aws region eu-west-2: 2 live resource(s) seen, 1 matching a registered system"]]
