"""Live AWS reader: tagged resources from the Resource Groups Tagging API, plus direct listing.

The Tagging API only returns resources that carry (or once carried) tags, so EC2 instances, S3
buckets, RDS instances and Lambda functions are also listed directly: a resource nobody tagged is
exactly what inventory drift must see, and a terminated instance the Tagging API still lists (for
about an hour) must not. Regions are read concurrently; retries are botocore's, configured on the
client with the same meaning as on Azure (``retries`` retries, ``backoff_delay``), and a call that
cannot connect at all fails at once. ``get_*`` raise ``LiveReadError`` naming the region and the
call once retries are spent.
"""

from __future__ import annotations

import dataclasses
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from urllib.parse import urlparse

from inventory.live.errors import LiveInputError, LiveReadError
from inventory.live.model import Cloud, LiveResource, LiveSnapshot, NotRead

REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
GONE_EC2_STATES = {"terminated", "shutting-down"}
TAGS_ONLY_FROM_TAGGING = frozenset({"lambda:function", "s3:bucket"})
"""Types whose direct listing carries no tags: the Tagging API is their only tag source."""
S3_SCOPE = "s3 (all regions)"


def backoff_delay(retry: int, factor: float, maximum: float) -> float:
    """Seconds to wait before retry number ``retry`` (1-based): azure-core's exponential rule
    (the first retry at once, then ``factor * 2**(retry-1)``, at most ``maximum``), so
    ``--retry-backoff`` means the same on both clouds."""
    if retry <= 1:
        return 0.0
    return min(maximum, factor * (2 ** (retry - 1)))


@dataclass(frozen=True)
class AwsSettings:
    profile: str | None = None
    endpoint_url: str | None = None
    """moto or LocalStack on loopback; None: the real AWS endpoints."""
    retries: int = 5
    """Retries per call on throttling, 5xx, read timeouts and dropped connections (not counting
    the first attempt); an endpoint that refuses or cannot be reached is not retried."""
    retry_backoff_factor: float = 0.8
    retry_backoff_max: float = 60.0
    retry_connect: int = 0
    """Retries when the endpoint cannot be connected to (refused, unresolvable, connect timeout):
    none by default, as on Azure, so a dead endpoint fails in milliseconds rather than minutes."""
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_workers: int = 4

    def validated(self) -> "AwsSettings":
        if self.endpoint_url is not None:
            url = urlparse(self.endpoint_url)
            if url.scheme not in {"http", "https"} or not url.hostname:
                raise LiveInputError(f"--aws-endpoint-url {self.endpoint_url!r} is not an http(s) URL",
                                     hint="e.g. http://127.0.0.1:5000 for moto, or leave it out for the real AWS endpoints")
        if self.retries < 0:
            raise LiveInputError(f"--retries {self.retries} must be 0 or more")
        return self


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
        retries={"mode": "adaptive", "total_max_attempts": settings.retries + 1},
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
    )
    client = session.client(service, region_name=region, endpoint_url=settings.endpoint_url, config=config)
    _install_retries(client, settings)
    return client


def _install_retries(client: Any, settings: AwsSettings) -> None:
    """Replace botocore's standard retry handler (same event id) with one using ``backoff_delay``
    and retrying a failed connection only ``retry_connect`` times (none by default); throttling,
    5xx, read timeouts and dropped connections keep botocore's rules. Adaptive mode's client-side
    rate limiter stays."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.retries import quota, standard

    class Conditions(standard.StandardRetryConditions):
        def is_retryable(self, context: Any) -> bool:
            if isinstance(context.caught_exception, BotoConnectionError):  # refused, unresolvable, connect timeout
                return context.attempt_number <= min(settings.retry_connect, settings.retries)
            return bool(super().is_retryable(context))

    class Backoff(standard.BaseRetryBackoff):
        def delay_amount(self, context: Any) -> float:
            return backoff_delay(context.attempt_number, settings.retry_backoff_factor, settings.retry_backoff_max)

    event = client.meta.service_model.service_id.hyphenize()
    retry_quota = standard.RetryQuotaChecker(quota.RetryQuota())
    handler = standard.RetryHandler(
        retry_policy=standard.RetryPolicy(retry_checker=Conditions(max_attempts=settings.retries + 1), retry_backoff=Backoff()),
        retry_event_adapter=standard.RetryEventAdapter(),
        retry_quota=retry_quota,
    )
    client.meta.events.unregister(f"needs-retry.{event}", unique_id=f"retry-config-{event}")
    client.meta.events.register(f"needs-retry.{event}", handler.needs_retry, unique_id=f"retry-config-{event}")
    client.meta.events.register(f"after-call.{event}", retry_quota.release_retry_quota, unique_id=f"borough-retry-quota-{event}")


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


def get_buckets(session: Any, regions: list[str], settings: AwsSettings) -> tuple[list[dict[str, Any]], list[NotRead]]:
    """Buckets whose home region is in ``regions`` (S3 lists every bucket once, from any region),
    and one not-read entry per bucket whose location could not be read (the others still count)."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = make_client(session, "s3", S3_REGION, settings)
    try:
        buckets = client.list_buckets().get("Buckets", [])
    except (BotoCoreError, ClientError) as exc:
        raise LiveReadError(Cloud.aws, S3_SCOPE, "s3 ListBuckets", _reason(exc)) from exc
    out, unread = [], []
    for bucket in buckets:
        try:
            location = client.get_bucket_location(Bucket=bucket["Name"]).get("LocationConstraint")
        except (BotoCoreError, ClientError) as exc:
            unread.append(NotRead(Cloud.aws, S3_SCOPE, f"s3 GetBucketLocation {bucket['Name']}", _reason(exc)))
            continue
        region = location or "us-east-1"
        if region in regions:
            out.append({"Name": bucket["Name"], "Region": region})
    return out, unread


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


def merge_resources(listed: list[LiveResource], tagged: list[LiveResource],
                    covered: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()) -> list[LiveResource]:
    """One record per ARN: direct listing says it exists, the Tagging API adds the tags. Pure.

    ``covered`` holds (region, type) pairs whose direct listing succeeded: there the listing alone
    says what exists, so a tagged-only record (a terminated instance the Tagging API still shows)
    is dropped. Tagged resources of types nobody lists (queues, tables...) are kept; tagged S3
    buckets only when listed (home region in scope), since a bucket's ARN does not say where it lives.
    """
    by_arn: dict[str, LiveResource] = {r.id: r for r in listed}
    for item in tagged:
        existing = by_arn.get(item.id)
        if existing is not None:
            by_arn[item.id] = dataclasses.replace(existing, tags={**existing.tags, **item.tags}, tags_read=True)
        elif item.type != "s3:bucket" and (item.scope, item.type) not in covered:
            by_arn[item.id] = item
    return [by_arn[arn] for arn in sorted(by_arn)]


def mark_unread_tags(resources: list[LiveResource], tagging_failed: dict[str, NotRead]) -> tuple[list[LiveResource], list[NotRead]]:
    """Lambda functions and S3 buckets in a region whose Tagging API call failed have unknown tags:
    they get no tag verdict and are listed as not read, never reported as untagged. Pure."""
    out, unread = [], []
    for resource in resources:
        failure = tagging_failed.get(resource.location)
        if failure is not None and resource.type in TAGS_ONLY_FROM_TAGGING and not resource.tags:
            resource = dataclasses.replace(resource, tags_read=False)
            unread.append(NotRead(Cloud.aws, f"region {resource.location}", f"tags of {resource.type} {resource.name}",
                                  f"only the Tagging API returns them, and it failed ({failure.reason})"))
        out.append(resource)
    return out, unread


@dataclass
class _Read:
    snapshot: LiveSnapshot
    listed: list[LiveResource] = field(default_factory=list)
    tagged: list[LiveResource] = field(default_factory=list)
    covered: set[tuple[str, str]] = field(default_factory=set)
    tagging_failed: dict[str, NotRead] = field(default_factory=dict)
    """Region -> why its Tagging API call failed."""


@dataclass(frozen=True)
class _Step:
    read: Callable[[], list[LiveResource]]
    kind: str
    """``tagging``, or the type the step lists (``ec2:instance``...)."""


def _read_steps(steps: list[_Step], scope: str, region: str) -> _Read:
    read = _Read(LiveSnapshot(scopes=[(Cloud.aws, scope)]))
    for step in steps:
        try:
            found = step.read()
        except LiveReadError as exc:
            read.snapshot.not_read.append(exc.not_read)
            if step.kind == "tagging":
                read.tagging_failed[region] = exc.not_read
            continue
        read.snapshot.requests += 1
        if step.kind == "tagging":
            read.tagged.extend(found)
        else:
            read.listed.extend(found)
            read.covered.add((region, step.kind))
    return read


def _read_region(settings: AwsSettings, region: str) -> _Read:
    session = make_session(settings)  # boto3 sessions are not thread-safe: one per region
    return _read_steps([
        _Step(lambda: transform_tagged(get_tagged_pages(session, region, settings), region), "tagging"),
        _Step(lambda: transform_ec2(get_ec2_pages(session, region, settings), region), "ec2:instance"),
        _Step(lambda: transform_rds(get_rds_pages(session, region, settings), region), "rds:db"),
        _Step(lambda: transform_lambda(get_lambda_pages(session, region, settings), region), "lambda:function"),
    ], f"region {region}", region)


def _read_s3(settings: AwsSettings, regions: list[str]) -> _Read:
    session = make_session(settings)
    unread: list[NotRead] = []

    def buckets() -> list[LiveResource]:
        found, failures = get_buckets(session, regions, settings)
        unread.extend(failures)
        return transform_buckets(found)

    read = _read_steps([_Step(buckets, "s3:bucket")], S3_SCOPE, "*")
    read.snapshot.not_read.extend(unread)
    read.covered = set()  # tagged buckets are dropped unless listed anyway (see merge_resources)
    return read


def read_aws(regions: list[str], settings: AwsSettings) -> LiveSnapshot:
    """Every region read concurrently (S3 once for all); a failure is recorded for that region and call only."""
    regions = validate_regions(regions)
    settings = settings.validated()
    if not regions:
        return LiveSnapshot()
    make_session(settings)  # a missing profile is bad input, found before any thread starts
    jobs: list[tuple[str, Callable[[], _Read]]] = [(f"region {r}", lambda r=r: _read_region(settings, r)) for r in regions]
    jobs.append((S3_SCOPE, lambda: _read_s3(settings, regions)))
    snapshot, listed, tagged = LiveSnapshot(), [], []
    covered: set[tuple[str, str]] = set()
    tagging_failed: dict[str, NotRead] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(settings.max_workers, len(jobs)))) as pool:
        futures = [(scope, pool.submit(job)) for scope, job in jobs]
        for scope, future in futures:
            try:
                read = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. no credentials: the scope was not read
                snapshot = snapshot.merge(LiveSnapshot(not_read=[NotRead(Cloud.aws, scope, "all calls", _reason(exc))],
                                                       scopes=[(Cloud.aws, scope)]))
                if scope != S3_SCOPE:
                    tagging_failed[scope.split(" ", 1)[1]] = NotRead(Cloud.aws, scope, "all calls", _reason(exc))
                continue
            snapshot = snapshot.merge(read.snapshot)
            listed += read.listed
            tagged += read.tagged
            covered |= read.covered
            tagging_failed.update(read.tagging_failed)
    resources, unread = mark_unread_tags(merge_resources(listed, tagged, covered), tagging_failed)
    snapshot.resources = resources
    snapshot.not_read.extend(unread)
    return snapshot
