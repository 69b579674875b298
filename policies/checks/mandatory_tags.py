"""CKV_BOROUGH_001: the council's five mandatory tags are present and non-empty."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck
from arm import TYPE_TABLE

MANDATORY_TAGS = ("system-id", "owner", "environment", "data-classification", "cost-centre")


class MandatoryTags(CouncilCheck):
    id = "CKV_BOROUGH_001"
    supported_resources = tuple(sorted({t.type for t in TYPE_TABLE.values() if t.taggable}))

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        tags = conf.get("tags") if isinstance(conf.get("tags"), dict) else {}
        missing = [k for k in MANDATORY_TAGS if not (isinstance(tags.get(k), str) and tags[k].strip())]
        return self.verdict(not missing, f"missing or empty tags: {', '.join(missing)}", "all five mandatory tags set")


check = MandatoryTags()
