"""CKV_BOROUGH_001: the council's five mandatory tags are present and non-empty."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck
from stacks.arm import TYPE_TABLE

MANDATORY_TAGS = ("system-id", "owner", "environment", "data-classification", "cost-centre")


class MandatoryTags(CouncilCheck):
    id = "CKV_BOROUGH_001"
    supported_resources = tuple(sorted({t.type for t in TYPE_TABLE.values() if t.taggable}))

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        tags = conf.get("tags")
        if not isinstance(tags, dict):
            return CheckResult.FAILED
        return self.passed_if(all(isinstance(tags.get(k), str) and tags[k].strip() for k in MANDATORY_TAGS))


check = MandatoryTags()
