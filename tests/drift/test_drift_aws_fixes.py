"""Issue 10, "fix what was seen", on the AWS side: moto in server mode, faults injected by a proxy.

Each test is a wrong verdict or a slow failure a user met: a terminated instance reported as
running, Lambda functions and buckets called untagged when their tags were unreadable, every
bucket dropped for one unreadable bucket, one retry too many, minutes against a dead endpoint.
"""

from __future__ import annotations

import io
import json
import types
import zipfile
from typing import Iterator

import pytest
from typer.testing import CliRunner

from aws_proxy import AwsFault, AwsProxy
from connections import closed_port, count_connections
from inventory.drift import check_inventory
from inventory.live.aws import AwsSettings, backoff_delay, read_aws
from inventory.live.report import Rule
from inventory.register.model import Estate, Hosting, State, System
from moto_env import AMI, client, moto_server, tags

REGION = "eu-west-2"
ESTATE = Estate(systems=[
    System(id="old-crm", name="Old CRM", hosting=Hosting.aws, state=State.decommissioned),
    System(id="payroll", name="Payroll", hosting=Hosting.aws, state=State.assessed),
])


@pytest.fixture(scope="module")
def moto() -> Iterator[dict[str, str]]:
    """eu-west-2: a terminated instance tagged for the decommissioned CRM, a running payroll
    instance, an untagged instance; a tagged and an untagged Lambda function; three buckets."""
    with moto_server() as url:
        ec2 = client(url, "ec2", REGION)
        gone = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, TagSpecifications=[
            {"ResourceType": "instance", "Tags": tags(system_id="old-crm")}])["Instances"][0]["InstanceId"]
        ec2.terminate_instances(InstanceIds=[gone])
        live = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, TagSpecifications=[
            {"ResourceType": "instance", "Tags": tags(system_id="payroll")}])["Instances"][0]["InstanceId"]
        bare = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        role = client(url, "iam", REGION).create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("handler.py", "def handle(event, context):\n    return 1\n")
        lam = client(url, "lambda", REGION)
        for name, fn_tags in (("fn-payroll", {"system-id": "payroll"}), ("fn-bare", {})):
            lam.create_function(FunctionName=name, Runtime="python3.11", Role=role, Handler="handler.handle",
                                Code={"ZipFile": code.getvalue()}, Tags=fn_tags)
        s3 = client(url, "s3", REGION)
        for bucket in ("bucket-payroll", "bucket-bare", "bucket-locked"):
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_tagging(Bucket="bucket-payroll", Tagging={"TagSet": tags(system_id="payroll")})
        yield {"url": url, "gone": gone, "live": live, "bare": bare}


@pytest.fixture
def url(moto: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}.items():
        monkeypatch.setenv(key, value)
    return moto["url"]


def settings(endpoint: str, **kw) -> AwsSettings:
    return AwsSettings(endpoint_url=endpoint, retries=kw.pop("retries", 0), retry_backoff_factor=kw.pop("backoff", 0.0),
                       read_timeout=5.0, **kw)


def judged(report, rule: Rule) -> set[str]:
    return {f.resource.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for f in report.findings if f.rule is rule}


def test_a_terminated_instance_the_tagging_api_still_lists_is_not_running(url, moto):
    tagged = client(url, "resourcegroupstaggingapi", REGION).get_resources()["ResourceTagMappingList"]
    assert any(moto["gone"] in t["ResourceARN"] for t in tagged)  # the Tagging API still shows it, as AWS does
    report = check_inventory([], [REGION], estate=ESTATE, aws=settings(url), root=None)
    assert moto["gone"] not in json.dumps(report.to_dict())
    assert judged(report, Rule.decommissioned_running) == set()
    assert report.not_read == []


def test_tags_unreadable_give_no_untagged_verdict_and_the_report_is_incomplete(url, moto):
    with AwsProxy(url) as proxy:
        proxy.state.faults.append(AwsFault(region=REGION, service="tagging", status=400, code="AccessDeniedException"))
        report = check_inventory([], [REGION], estate=ESTATE, aws=settings(proxy.endpoint), root=None)
    assert report.exit_code == 3
    # EC2 carries its own tags, so the untagged instance is still judged; nothing else is called untagged
    assert judged(report, Rule.untagged) == {moto["bare"]}
    unread = {n.what for n in report.not_read}
    assert {"tags of lambda:function fn-payroll", "tags of lambda:function fn-bare", "tags of s3:bucket bucket-payroll",
            "tags of s3:bucket bucket-bare", "tags of s3:bucket bucket-locked"} <= unread
    assert "tagging GetResources page 1" in unread
    assert any("AccessDeniedException" in n.reason for n in report.not_read if n.what.startswith("tags of"))


def test_one_bucket_whose_location_is_denied_is_one_not_read_row(url, moto):
    with AwsProxy(url) as proxy:
        proxy.state.faults.append(AwsFault(region="us-east-1", service="s3", status=403, code="AccessDenied",
                                           path_contains="bucket-locked?location"))
        report = check_inventory([], [REGION], estate=ESTATE, aws=settings(proxy.endpoint), root=None)
    assert [(n.scope, n.what) for n in report.not_read] == [("s3 (all regions)", "s3 GetBucketLocation bucket-locked")]
    assert "AccessDenied" in report.not_read[0].reason
    assert {"bucket-bare"} <= judged(report, Rule.untagged)  # the other buckets are still judged
    assert "bucket-locked" not in judged(report, Rule.untagged)
    assert report.exit_code == 3


def test_retries_n_means_n_retries_with_the_given_backoff(url, monkeypatch):
    import botocore.endpoint

    slept: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=slept.append))
    with AwsProxy(url) as proxy:
        proxy.state.faults.append(AwsFault(region=REGION, service="ec2", status=500, code="InternalError"))
        snapshot = read_aws([REGION], settings(proxy.endpoint, retries=3, backoff=0.25))
        ec2_hits = [h for h in proxy.state.hits if h[1] == "ec2"]
    assert len(ec2_hits) == 4  # the first attempt and 3 retries
    assert slept == [0.0, 0.5, 1.0]  # retry n waits 0.25 * 2**(n-1), the first at once, as on Azure
    assert [n.what for n in snapshot.not_read] == ["ec2 DescribeInstances page 1"]


def test_the_backoff_rule_is_azure_cores():
    from azure.core.pipeline.policies import RetryPolicy

    policy = RetryPolicy(retry_backoff_factor=0.8, retry_backoff_max=60)
    for retry in range(1, 9):
        history = {"history": [None] * retry, "backoff": 0.8, "max_backoff": 60}
        assert backoff_delay(retry, 0.8, 60) == policy.get_backoff_time(history)


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every TCP connection urllib3 opens (botocore uses it)."""
    return count_connections(monkeypatch)


def test_a_refused_connection_fails_each_call_once_instead_of_retrying(url, connects):
    dead = f"http://127.0.0.1:{closed_port()}"
    snapshot = read_aws([REGION], settings(dead, retries=4, backoff=0.0))
    calls = {n.what for n in snapshot.not_read}
    assert calls == {"tagging GetResources page 1", "ec2 DescribeInstances page 1", "rds DescribeDBInstances page 1",
                     "lambda ListFunctions page 1", "s3 ListBuckets"}
    assert len(connects) == len(calls)  # one attempt per call, although 4 retries were allowed
    assert all("EndpointConnectionError" in n.reason for n in snapshot.not_read)


def test_throttling_is_still_retried(url):
    with AwsProxy(url) as proxy:
        proxy.state.faults.append(AwsFault(region=REGION, service="rds", status=400, code="Throttling", times=2))
        snapshot = read_aws([REGION], settings(proxy.endpoint, retries=2))
        rds = [h for h in proxy.state.hits if h[1] == "rds"]
    assert [status for *_, status in rds] == [400, 400, 200]
    assert snapshot.not_read == []


def cli(*args: str, env: dict[str, str] | None = None):
    from cli.main import app

    return CliRunner().invoke(app, ["drift", *args], env=env, catch_exceptions=False)


@pytest.mark.parametrize("flag", ["--aws-endpoint-url", "--azure-endpoint"])
def test_an_endpoint_that_is_not_a_url_is_bad_input(flag, tmp_path):
    scope = ["--aws-region", REGION] if flag.startswith("--aws") else ["--azure-subscription", "11111111-2222-3333-4444-555555555555"]
    result = cli("inventory", *scope, flag, "not-a-url", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 2, result.output
    assert f"{flag} 'not-a-url' is not an http(s) URL" in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def register(tmp_path) -> str:
    from inventory.store import open_store

    db = f"sqlite:///{tmp_path / 'inventory.db'}"
    with open_store(db) as store:
        for system in ESTATE.systems:
            store.add(system)
    return db


def test_the_table_shows_each_aws_resources_region_and_what_was_read(url, moto, register, tmp_path, monkeypatch):
    monkeypatch.setenv("BOROUGH_ROOT", str(tmp_path))
    result = cli("inventory", "--db", register, "--aws-region", REGION, "--aws-endpoint-url", url, "--format", "markdown")
    assert result.exit_code == 1, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("| untagged-resource")]
    assert rows and all(f"| {REGION} |" in row for row in rows)
    # 2 running instances, 2 functions, 3 buckets; payroll's instance, function and bucket are registered
    assert f"read aws region {REGION}, aws s3 (all regions): 7 live resource(s) seen, 3 matching a registered system" in result.stdout
    report = json.loads(cli("inventory", "--db", register, "--aws-region", REGION, "--aws-endpoint-url", url,
                            "--format", "json").stdout)
    assert (report["live_resources"], report["matched_resources"]) == (7, 3)
    assert report["scopes"] == [f"aws region {REGION}", "aws s3 (all regions)"]
    assert {f["location"] for f in report["findings"] if f["rule"] == "untagged-resource"} == {REGION}


def test_format_help_lists_only_the_formats_drift_accepts():
    for command in ("stack", "inventory"):
        text = cli(command, "--help").stdout
        assert "table|json|markdown|sarif" in text
        assert "csv" not in text and "junit" not in text
        refused = cli(command, "--format", "csv")
        assert refused.exit_code == 2 and "'csv' is not one of" in refused.output


def test_the_cli_retries_option_is_the_number_of_retries(url, register, tmp_path, monkeypatch):
    monkeypatch.setenv("BOROUGH_ROOT", str(tmp_path))
    with AwsProxy(url) as proxy:
        proxy.state.faults.append(AwsFault(region=REGION, service="ec2", status=503, code="ServiceUnavailable"))
        result = cli("inventory", "--db", register, "--aws-region", REGION, "--aws-endpoint-url", proxy.endpoint,
                     "--retries", "1", "--retry-backoff", "0", "--format", "json")
        ec2_hits = [h for h in proxy.state.hits if h[1] == "ec2"]
    assert result.exit_code == 3
    assert len(ec2_hits) == 2  # --retries 1: the first attempt and one retry
