"""Inventory drift against moto (server mode, several regions) and the loopback ARM server."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

from aws_proxy import AwsFault, AwsProxy
from fake_arm import FakeArmServer, TestCredential, arm_resource, resource_group
from inventory.drift import check_inventory
from inventory.live.aws import AwsSettings
from inventory.live.azure import AzureSettings
from inventory.live.report import Rule
from inventory.register.model import Estate, Hosting, State, Strategy, System
from moto_env import AMI, client, moto_server, tags

SUB = "22222222-3333-4444-5555-666666666666"
REGIONS = ["eu-west-1", "eu-west-2"]

ESTATE = Estate(systems=[
    System(id="old-crm", name="Old CRM", hosting=Hosting.aws, state=State.decommissioned),
    System(id="fax-gateway", name="Fax gateway", hosting=Hosting.aws, strategy=Strategy.retire, state=State.migrated),
    System(id="payroll", name="Payroll", hosting=Hosting.aws, state=State.assessed),
    System(id="planning", name="Planning", hosting=Hosting.aws, target_hosting=Hosting.azure, state=State.migrating),
    System(id="housing", name="Housing", hosting=Hosting.on_premises, target_hosting=Hosting.azure,
           state=State.migrated, target_stack="resident-services-prod"),
    System(id="libraries", name="Libraries", hosting=Hosting.on_premises, target_hosting=Hosting.azure,
           state=State.migrated, target_stack="data-platform-prod"),
])


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        for region in REGIONS:
            ec2 = client(url, "ec2", region)
            ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, TagSpecifications=[
                {"ResourceType": "instance", "Tags": tags(system_id="old-crm", owner="ops")}])
            ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)  # never tagged
        client(url, "rds", "eu-west-2").create_db_instance(
            DBInstanceIdentifier="payroll-db", DBInstanceClass="db.t3.micro", Engine="postgres", MasterUsername="u",
            MasterUserPassword="password-password", AllocatedStorage=20, Tags=tags(system_id="payroll"))
        s3w2 = client(url, "s3", "eu-west-2")
        s3w2.create_bucket(Bucket="shadow-it-exports", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        s3w2.put_bucket_tagging(Bucket="shadow-it-exports", Tagging={"TagSet": tags(system_id="shadow-it")})
        client(url, "s3", "eu-west-1").create_bucket(Bucket="fax-archive", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        client(url, "s3", "us-east-1").create_bucket(Bucket="out-of-scope-bucket")
        role = client(url, "iam", "eu-west-1").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("handler.py", "def handle(event, context):\n    return 1\n")
        lam = client(url, "lambda", "eu-west-1")
        for name, function_tags in (("fax-sender", {"system-id": "fax-gateway"}), ("planning-sync", {"system-id": "planning"}),
                                    ("orphan", {})):
            lam.create_function(FunctionName=name, Runtime="python3.11", Role=role, Handler="handler.handle",
                                Code={"ZipFile": code.getvalue()}, Tags=function_tags)
        yield url


@pytest.fixture
def aws_env(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    return moto_url


@pytest.fixture
def azure() -> Iterator[FakeArmServer]:
    with FakeArmServer() as server:
        server.state.add(resource_group(SUB, "rg-portal", tags={"system-id": "resident-portal"}))
        server.state.add(resource_group(SUB, "rg-scratch"))
        server.state.add(arm_resource(SUB, "rg-portal", "Microsoft.Web/sites", "app-portal", location="uksouth",
                                      tags={"system-id": "resident-portal"}))
        server.state.add(arm_resource(SUB, "rg-scratch", "Microsoft.Compute/virtualMachines", "vm-payroll-test",
                                      location="uksouth", tags={"system-id": "payroll"}))
        server.state.add(arm_resource(SUB, "rg-scratch", "Microsoft.Web/sites", "app-planning", location="uksouth",
                                      tags={"system-id": "planning"}))
        yield server


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for stack, system in (("resident-services-prod", "resident-portal"), ("data-platform-prod", "data-platform")):
        (tmp_path / f"Pulumi.{stack}.yaml").write_text(f"config:\n  borough:systemId: {system}\n", encoding="utf-8")
    return tmp_path


def azure_settings(server: FakeArmServer) -> AzureSettings:
    return AzureSettings(endpoint=server.endpoint, credential=TestCredential(), retry_total=2, retry_backoff_factor=0.01,
                         retry_backoff_max=0.05, read_timeout=2.0, page_size=2)


def aws_settings(url: str, **kw) -> AwsSettings:
    return AwsSettings(endpoint_url=url, retries=kw.pop("retries", 1), retry_backoff_factor=0.01, read_timeout=kw.pop("read_timeout", 5.0), **kw)


def by_rule(report) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in report.findings:
        out.setdefault(f.rule.value, set()).add(f.resource.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return out


def test_findings_across_regions_and_subscriptions(aws_env, azure, root):
    report = check_inventory([SUB], REGIONS, estate=ESTATE, azure=azure_settings(azure), aws=aws_settings(aws_env), root=root)
    found = by_rule(report)
    assert report.not_read == [] and report.exit_code == 1
    assert found["decommissioned-system-running"] == {
        *(f.resource.rsplit("/", 1)[-1] for f in report.findings if f.system == "old-crm"), "fax-sender"}
    assert len([f for f in report.findings if f.system == "old-crm"]) == 2  # one instance per region
    assert found["unknown-system-id"] == {"shadow-it-exports", "app-portal", "rg-portal"}
    untagged = found["untagged-resource"]
    assert {"fax-archive", "orphan", "rg-scratch"} <= untagged
    assert len([u for u in untagged if u.startswith("i-")]) == 2
    assert "out-of-scope-bucket" not in str(report.to_dict())
    assert found["hosting-mismatch"] == {"payroll"}
    assert found["migrated-system-without-resources"] == {"libraries"}
    assert report.live_count == 15  # 4 instances, 1 database, 2 buckets, 3 functions; 2 groups, 3 resources


def test_one_region_failing_names_the_region_and_keeps_the_rest(aws_env, azure, root):
    with AwsProxy(aws_env) as proxy:
        proxy.state.faults.append(AwsFault(region="eu-west-1", status=500))
        report = check_inventory([], REGIONS, estate=ESTATE, aws=aws_settings(proxy.endpoint, retries=0), root=root)
    assert report.exit_code == 3
    assert {n.scope for n in report.not_read} == {"region eu-west-1"}
    assert "tagging GetResources page 1" in {n.what for n in report.not_read}
    assert any(f.system == "old-crm" for f in report.findings)  # eu-west-2 was still read and judged


def test_throttling_is_retried_by_the_client(aws_env, root):
    with AwsProxy(aws_env) as proxy:
        proxy.state.faults.append(AwsFault(region="eu-west-2", service="ec2", status=503, times=1))
        proxy.state.faults.append(AwsFault(region="eu-west-2", service="rds", status=400, code="Throttling", times=1))
        report = check_inventory([], ["eu-west-2"], estate=ESTATE, aws=aws_settings(proxy.endpoint, retries=2), root=root)
        assert ("eu-west-2", "ec2", 503) in proxy.state.hits and ("eu-west-2", "rds", 400) in proxy.state.hits
    assert report.not_read == []
    assert report.live_count == 4  # two instances, the database (read after the throttle) and a bucket
    assert len([f for f in report.findings if f.system == "old-crm"]) == 1


def test_timeouts_name_the_call(aws_env, root):
    with AwsProxy(aws_env) as proxy:
        proxy.state.faults.append(AwsFault(region="eu-west-2", service="rds", status=200, delay=5.0))
        report = check_inventory([], ["eu-west-2"], estate=ESTATE,
                                 aws=aws_settings(proxy.endpoint, retries=0, read_timeout=2.0), root=root)
    assert report.exit_code == 3
    assert [(n.scope, n.what) for n in report.not_read] == [("region eu-west-2", "rds DescribeDBInstances page 1")], report.not_read


def test_a_subscription_failing_is_incomplete(aws_env, azure, root):
    azure.state.faults.append(__import__("fake_arm").Fault(method="POST", subscription=SUB, page=2, status=500, times=None))
    report = check_inventory([SUB], [], estate=ESTATE, azure=azure_settings(azure), root=root)
    assert report.exit_code == 3
    assert [n.what for n in report.not_read] == ["Resource Graph query 'resources' page 2"]
    assert not [f for f in report.findings if f.rule is Rule.migrated_missing]


def test_cli_names_the_failed_region_and_exits_3(aws_env, root, tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from cli.main import app
    from inventory.store import open_store

    url = f"sqlite:///{tmp_path / 'inventory.db'}"
    with open_store(url) as store:
        for system in ESTATE.systems:
            store.add(system)
    monkeypatch.setenv("BOROUGH_ROOT", str(root))
    with AwsProxy(aws_env) as proxy:
        proxy.state.faults.append(AwsFault(region="eu-west-1", service="lambda", status=500))
        args = ["drift", "inventory", "--db", url, "--aws-region", "eu-west-1", "--aws-region", "eu-west-2",
                "--aws-endpoint-url", proxy.endpoint, "--retries", "0"]
        table = CliRunner().invoke(app, args, catch_exceptions=False)
        as_json = CliRunner().invoke(app, [*args, "--format", "json"], catch_exceptions=False)
    assert table.exit_code == 3 and as_json.exit_code == 3
    assert "region eu-west-1" in table.stdout and "lambda ListFunctions page 1" in table.stdout
    report = json.loads(as_json.stdout)
    assert report["status"] == "incomplete"
    assert [(n["scope"], n["what"]) for n in report["not_read"]] == [("region eu-west-1", "lambda ListFunctions page 1")]
    # the tagged Lambda function is still seen through the Tagging API while ListFunctions fails
    assert {f["system"] for f in report["findings"] if f["rule"] == "decommissioned-system-running"} == {"old-crm", "fax-gateway"}
