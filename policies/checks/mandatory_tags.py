"""CKV_BOROUGH_001: the council's five mandatory tags are present and non-empty."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck
from arm import TYPE_TABLE

MANDATORY_TAGS = ("system-id", "owner", "environment", "data-classification", "cost-centre")


class MandatoryTags(CouncilCheck):
    """Judged where Azure Policy's indexed mode would require tags: types that take tags *and* a
    location. Child objects that only carry tags (Key Vault keys and secrets, containers,
    configurations, firewall rules) take their parent's accountability and are not asked."""

    id = "CKV_BOROUGH_001"
    supported_resources = tuple(sorted({t.type for t in TYPE_TABLE.values() if t.taggable and t.located}))
    generic = "located"

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        tags = conf.get("tags") if isinstance(conf.get("tags"), dict) else {}
        missing = [k for k in MANDATORY_TAGS if not (isinstance(tags.get(k), str) and tags[k].strip())]
        return self.verdict(not missing, f"missing or empty tags: {', '.join(missing)}", "all five mandatory tags set")


check = MandatoryTags()
