"""Live AWS reader: tagged resources from the Resource Groups Tagging API, plus direct listing.

The Tagging API only returns resources that carry (or once carried) tags, so EC2 instances, S3
buckets, RDS instances and Lambda functions are also listed directly: a resource nobody tagged is
exactly what inventory drift must see. Regions are read concurrently; retries are botocore's
adaptive mode, configured on the client; ``get_*`` raise ``LiveReadError`` naming the region and
the call once those are spent.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from inventory.live.errors import LiveInputError, LiveReadError
from inventory.live.model import Cloud, LiveResource, LiveSnapshot, NotRead

REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
GONE_EC2_STATES = {"terminated", "shutting-down"}


@dataclass(frozen=True)
class AwsSettings:
    profile: str | None = None
    endpoint_url: str | None = None
    """moto or LocalStack on loopback; None: the real AWS endpoints."""
    max_attempts: int = 5
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_workers: int = 4


def validate_regions(regions: list[str]) -> list[str]:
    for region in regions:
        if not REGION.match(region):
            raise LiveInputError(f"--aws-region {region!r} is not an AWS region name (e.g. eu-west-2)")
    return sorted(set(regions))


def make_session(settings: AwsSettings) -> Any:
    import boto3
    import botocore.exceptions

    try:
        return boto3.session.Session(profile_name=settings.profile)
    except botocore.exceptions.ProfileNotFound:
        raise LiveInputError(f"--aws-profile {settings.profile!r}: no such profile in the AWS config") from None


def make_client(session: Any, service: str, region: str, settings: AwsSettings) -> Any:
    from botocore.config import Config

    config = Config(
        retries={"mode": "adaptive", "max_attempts": settings.max_attempts},
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
    )
    return session.client(service, region_name=region, endpoint_url=settings.endpoint_url, config=config)


def _pages(client: Any, operation: str, region: str, what: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    from botocore.exceptions import BotoCoreError, ClientError

    page_no = 1
    try:
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield page
            page_no += 1
    except (BotoCoreError, ClientError) as exc:
        raise LiveReadError(Cloud.aws, f"region {region}", f"{what} page {page_no}", _reason(exc)) from exc


def _reason(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    text = str(exc).splitlines()[0]
    return f"{code}: {text}" if code else f"{type(exc).__name__}: {text}"


def get_tagged_pages(session: Any, region: str, settings: AwsSettings) -> list[dict[str, Any]]:
    client = make_client(session, "resourcegroupstaggingapi", region, settings)
    return list(_pages(client, "get_resources", region, "tagging GetResources"))


def get_ec2_pages(session: Any, region: str, settings: AwsSettings) -> list[dict[str, Any]]:
    client = make_client(session, "ec2", region, settings)
    return list(_pages(client, "describe_instances", region, "ec2 DescribeInstances"))


def get_rds_pages(session: Any, region: str, settings: AwsSettings) -> list[dict[str, Any]]:
    client = make_client(session, "rds", region, settings)
    return list(_pages(client, "describe_db_instances", region, "rds DescribeDBInstances"))


def get_lambda_pages(session: Any, region: str, settings: AwsSettings) -> list[dict[str, Any]]:
    client = make_client(session, "lambda", region, settings)
    return list(_pages(client, "list_functions", region, "lambda ListFunctions"))


S3_REGION = "us-east-1"


def get_buckets(session: Any, regions: list[str], settings: AwsSettings) -> list[dict[str, Any]]:
    """Buckets whose home region is in ``regions``: S3 lists every bucket once, from any region."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = make_client(session, "s3", S3_REGION, settings)
    try:
        buckets = client.list_buckets().get("Buckets", [])
    except (BotoCoreError, ClientError) as exc:
        raise LiveReadError(Cloud.aws, "s3 (all regions)", "s3 ListBuckets", _reason(exc)) from exc
    out = []
    for bucket in buckets:
        try:
            location = client.get_bucket_location(Bucket=bucket["Name"]).get("LocationConstraint")
        except (BotoCoreError, ClientError) as exc:
            raise LiveReadError(Cloud.aws, "s3 (all regions)", f"s3 GetBucketLocation {bucket['Name']}", _reason(exc)) from exc
        region = location or "us-east-1"
        if region in regions:
            out.append({"Name": bucket["Name"], "Region": region})
    return out


def _arn_type(arn: str) -> str:
    """``arn:aws:ec2:eu-west-2:123:instance/i-1`` -> ``ec2:instance``."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return "unknown"
    service, resource = parts[2], parts[5]
    if service == "s3":
        return "s3:bucket"
    if "/" not in resource and ":" not in resource:
        return service  # e.g. an SQS queue: the resource part is only its name
    return f"{service}:{re.split(r'[/:]', resource, maxsplit=1)[0]}"


def _arn_name(arn: str) -> str:
    resource = arn.split(":", 5)[-1]
    return re.split(r"[/:]", resource)[-1]


def _tags(pairs: list[dict[str, Any]] | None) -> dict[str, str]:
    return {str(t.get("Key")): str(t.get("Value", "")) for t in pairs or [] if t.get("Key") is not None}


def _aws(arn: str, type_: str, name: str, region: str, tags: dict[str, str]) -> LiveResource:
    return LiveResource(cloud=Cloud.aws, id=arn, type=type_, name=name, location=region, scope=region, tags=tags)


def transform_tagged(pages: list[dict[str, Any]], region: str) -> list[LiveResource]:
    """Tagging API pages -> resources. Pure."""
    out = []
    for page in pages:
        for item in page.get("ResourceTagMappingList", []):
            arn = item["ResourceARN"]
            out.append(_aws(arn, _arn_type(arn), _arn_name(arn), region, _tags(item.get("Tags"))))
    return out


def transform_ec2(pages: list[dict[str, Any]], region: str, account: str = "") -> list[LiveResource]:
    out = []
    for page in pages:
        for reservation in page.get("Reservations", []):
            owner = reservation.get("OwnerId") or account
            for instance in reservation.get("Instances", []):
                if instance.get("State", {}).get("Name") in GONE_EC2_STATES:
                    continue
                iid = instance["InstanceId"]
                arn = f"arn:aws:ec2:{region}:{owner}:instance/{iid}"
                out.append(_aws(arn, "ec2:instance", iid, region, _tags(instance.get("Tags"))))
    return out


def transform_rds(pages: list[dict[str, Any]], region: str) -> list[LiveResource]:
    out = []
    for page in pages:
        for db in page.get("DBInstances", []):
            arn = db["DBInstanceArn"]
            out.append(_aws(arn, "rds:db", db["DBInstanceIdentifier"], region, _tags(db.get("TagList"))))
    return out


def transform_lambda(pages: list[dict[str, Any]], region: str) -> list[LiveResource]:
    out = []
    for page in pages:
        for fn in page.get("Functions", []):
            out.append(_aws(fn["FunctionArn"], "lambda:function", fn["FunctionName"], region, {}))
    return out


def transform_buckets(buckets: list[dict[str, Any]]) -> list[LiveResource]:
    return [_aws(f"arn:aws:s3:::{b['Name']}", "s3:bucket", b["Name"], b["Region"], {}) for b in buckets]


def merge_resources(listed: list[LiveResource], tagged: list[LiveResource]) -> list[LiveResource]:
    """One record per ARN: direct listing says it exists, the Tagging API adds the tags. Pure.

    Tagged resources of other types (queues, tables...) are kept; tagged S3 buckets are kept only
    when listed (home region in scope), since a bucket's ARN does not say where it lives.
    """
    by_arn: dict[str, LiveResource] = {r.id: r for r in listed}
    for item in tagged:
        existing = by_arn.get(item.id)
        if existing is not None:
            by_arn[item.id] = LiveResource(
                cloud=existing.cloud, id=existing.id, type=existing.type, name=existing.name,
                location=existing.location, scope=existing.scope, tags={**existing.tags, **item.tags},
            )
        elif item.type != "s3:bucket":
            by_arn[item.id] = item
    return [by_arn[arn] for arn in sorted(by_arn)]


@dataclass
class _Read:
    listed: list[LiveResource]
    tagged: list[LiveResource]
    snapshot: LiveSnapshot


def _read_steps(steps: list[tuple[Callable[[], list[LiveResource]], bool]], scope: str) -> _Read:
    read = _Read([], [], LiveSnapshot(scopes=[(Cloud.aws, scope)]))
    for step, is_tagging in steps:
        try:
            found = step()
        except LiveReadError as exc:
            read.snapshot.not_read.append(exc.not_read)
            continue
        read.snapshot.requests += 1
        (read.tagged if is_tagging else read.listed).extend(found)
    return read


def _read_region(settings: AwsSettings, region: str) -> _Read:
    session = make_session(settings)  # boto3 sessions are not thread-safe: one per region
    return _read_steps([
        (lambda: transform_tagged(get_tagged_pages(session, region, settings), region), True),
        (lambda: transform_ec2(get_ec2_pages(session, region, settings), region), False),
        (lambda: transform_rds(get_rds_pages(session, region, settings), region), False),
        (lambda: transform_lambda(get_lambda_pages(session, region, settings), region), False),
    ], f"region {region}")


def _read_s3(settings: AwsSettings, regions: list[str]) -> _Read:
    session = make_session(settings)
    return _read_steps([(lambda: transform_buckets(get_buckets(session, regions, settings)), False)], "s3 (all regions)")


def read_aws(regions: list[str], settings: AwsSettings) -> LiveSnapshot:
    """Every region read concurrently (S3 once for all); a failure is recorded for that region and call only."""
    regions = validate_regions(regions)
    if not regions:
        return LiveSnapshot()
    make_session(settings)  # a missing profile is bad input, found before any thread starts
    jobs: list[tuple[str, Callable[[], _Read]]] = [(f"region {r}", lambda r=r: _read_region(settings, r)) for r in regions]
    jobs.append(("s3 (all regions)", lambda: _read_s3(settings, regions)))
    snapshot, listed, tagged = LiveSnapshot(), [], []
    with ThreadPoolExecutor(max_workers=max(1, min(settings.max_workers, len(jobs)))) as pool:
        futures = [(scope, pool.submit(job)) for scope, job in jobs]
        for scope, future in futures:
            try:
                read = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. no credentials: the scope was not read
                snapshot = snapshot.merge(LiveSnapshot(not_read=[NotRead(Cloud.aws, scope, "all calls", _reason(exc))],
                                                       scopes=[(Cloud.aws, scope)]))
                continue
            snapshot = snapshot.merge(read.snapshot)
            listed += read.listed
            tagged += read.tagged
    snapshot.resources = merge_resources(listed, tagged)
    return snapshot
