"""CKV_BOROUGH_043: point-to-site VPN users sign in with Microsoft Entra ID only."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class VpnGatewayEntraOnly(CouncilCheck):
    id = "CKV_BOROUGH_043"
    supported_resources = ("Microsoft.Network/virtualNetworkGateways",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult | tuple[CheckResult, str]:
        client = props(conf).get("vpnClientConfiguration")
        if not isinstance(client, dict) or not client:
            return CheckResult.PASSED, "no point-to-site configuration"
        kinds = [str(k) for k in client.get("vpnAuthenticationTypes") or []]
        return self.verdict(kinds == ["AAD"],
                            f"point-to-site authentication types: {', '.join(kinds) or 'not set (certificate)'}; only AAD (Entra ID) is allowed",
                            "point-to-site users authenticate with Entra ID only")


check = VpnGatewayEntraOnly()
