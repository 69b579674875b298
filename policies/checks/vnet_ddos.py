"""CKV_BOROUGH_040: virtual networks are covered by a DDoS Protection plan."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class VnetDdosProtection(CouncilCheck):
    id = "CKV_BOROUGH_040"
    supported_resources = ("Microsoft.Network/virtualNetworks",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        found = props(conf)
        plan = found.get("ddosProtectionPlan")
        has_plan = isinstance(plan, dict) and bool(plan.get("id"))
        enabled = str(found.get("enableDdosProtection")).lower() == "true"
        if enabled and has_plan:
            return CheckResult.PASSED, "DDoS Protection plan attached and enabled"
        missing = [text for ok, text in ((enabled, "properties/enableDdosProtection is not true"),
                                         (has_plan, "no properties/ddosProtectionPlan")) if not ok]
        return CheckResult.FAILED, "; ".join(missing)


check = VnetDdosProtection()
