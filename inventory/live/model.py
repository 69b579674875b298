"""What the live readers hand to the drift checks: resources seen, and what could not be read.

Both clouds are reduced to one record so inventory drift can reason about "where a system runs"
without knowing which SDK produced the data; the raw ARM shape is kept for stack drift, which
compares property by property.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

SYSTEM_ID_TAG = "system-id"


class Cloud(str, Enum):
    azure = "azure"
    aws = "aws"


@dataclass(frozen=True)
class LiveResource:
    cloud: Cloud
    id: str
    """ARM id (Azure) or ARN (AWS), as the cloud spells it."""
    type: str
    """ARM type (``Microsoft.Storage/storageAccounts``) or ``service:resource`` for AWS."""
    name: str
    location: str
    scope: str
    """Subscription id (Azure) or region (AWS): the unit a reader reads and can fail on."""
    tags: dict[str, str] = field(default_factory=dict)
    resource_group: str | None = None
    arm: dict[str, Any] = field(default_factory=dict)
    """The ARM resource as Resource Graph or ARM returned it (Azure only)."""
    tags_read: bool = True
    """False when the only source of this resource's tags failed (the AWS Tagging API for Lambda
    functions and S3 buckets): it then gets no tag verdict, and is listed as not read."""

    @property
    def key(self) -> str:
        """Ids compare case-insensitively on Azure (ARM ids are case-insensitive)."""
        return self.id.lower() if self.cloud is Cloud.azure else self.id

    def tag(self, name: str) -> str | None:
        """Tag lookup ignoring key case (Azure treats tag names case-insensitively)."""
        wanted = name.lower()
        for key, value in self.tags.items():
            if key.lower() == wanted:
                return value
        return None

    @property
    def system_id(self) -> str | None:
        value = (self.tag(SYSTEM_ID_TAG) or "").strip()
        return value or None


@dataclass(frozen=True)
class NotRead:
    """One thing a reader could not read after retries: named exactly so a person can retry it."""

    cloud: Cloud
    scope: str
    """e.g. ``subscription 0000...`` or ``region eu-west-2``."""
    what: str
    """e.g. ``Resource Graph query 'resources' page 3`` or ``ec2 DescribeInstances``."""
    reason: str

    def __str__(self) -> str:
        return f"{self.cloud.value} {self.scope}: {self.what}: {self.reason}"


@dataclass
class LiveSnapshot:
    """Everything one read produced. ``not_read`` non-empty means the picture is incomplete."""

    resources: list[LiveResource] = field(default_factory=list)
    not_read: list[NotRead] = field(default_factory=list)
    scopes: list[tuple[Cloud, str]] = field(default_factory=list)
    """Every scope asked for (read or not), so a check knows which clouds it may judge."""
    requests: int = 0
    """HTTP requests made (pages and per-resource GETs): the figure the benchmark compares."""

    def merge(self, other: "LiveSnapshot") -> "LiveSnapshot":
        return LiveSnapshot(
            resources=[*self.resources, *other.resources],
            not_read=[*self.not_read, *other.not_read],
            scopes=[*self.scopes, *other.scopes],
            requests=self.requests + other.requests,
        )

    def incomplete_scopes(self) -> set[tuple[Cloud, str]]:
        return {(n.cloud, n.scope) for n in self.not_read}

    def clouds(self) -> set[Cloud]:
        return {cloud for cloud, _ in self.scopes}
