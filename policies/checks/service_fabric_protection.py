"""CKV_BOROUGH_047: Service Fabric clusters sign and encrypt node-to-node traffic (EncryptAndSign).

checkov's CKV_AZURE_125 judges the same setting; it is a council check here because no Pulumi
type declares a classic cluster, so the rule is proved on ARM templates and the live estate."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


def protection_level(conf: dict[str, Any]) -> str | None:
    for section in props(conf).get("fabricSettings") or []:
        if isinstance(section, dict) and str(section.get("name", "")).lower() == "security":
            for parameter in section.get("parameters") or []:
                if isinstance(parameter, dict) and str(parameter.get("name", "")).lower() == "clusterprotectionlevel":
                    return str(parameter.get("value"))
    return None


class ServiceFabricProtection(CouncilCheck):
    id = "CKV_BOROUGH_047"
    supported_resources = ("Microsoft.ServiceFabric/clusters",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        level = protection_level(conf)
        return self.verdict(level == "EncryptAndSign",
                            f"fabricSettings Security/ClusterProtectionLevel = {level or 'not set (None)'}, not EncryptAndSign",
                            "fabricSettings Security/ClusterProtectionLevel = EncryptAndSign")


check = ServiceFabricProtection()
