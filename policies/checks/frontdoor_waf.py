"""CKV_BOROUGH_034: every Front Door (classic) frontend endpoint has a WAF policy linked."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class FrontDoorWaf(CouncilCheck):
    id = "CKV_BOROUGH_034"
    supported_resources = ("Microsoft.Network/frontDoors",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult | tuple[CheckResult, str]:
        endpoints = [e for e in props(conf).get("frontendEndpoints") or [] if isinstance(e, dict)]
        if not endpoints:
            return CheckResult.FAILED, "no frontend endpoints declared, so none has a WAF policy"
        bare = []
        for endpoint in endpoints:
            body = endpoint.get("properties") if isinstance(endpoint.get("properties"), dict) else endpoint
            link = body.get("webApplicationFirewallPolicyLink")
            if not (isinstance(link, dict) and link.get("id")):
                bare.append(str(endpoint.get("name", "?")))
        return self.verdict(not bare, f"frontend endpoint {', '.join(bare)} has no WAF policy "
                            "(webApplicationFirewallPolicyLink)", "every frontend endpoint has a WAF policy")


check = FrontDoorWaf()
