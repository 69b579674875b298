"""CKV_BOROUGH_028: no authorized IP range opens an AKS API server to the whole internet.

checkov's CKV_AZURE_6 passes as soon as any range is listed, ``0.0.0.0/0`` included."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

from policies.checks.netrules import INTERNET_SOURCES


class AksApiRangesNotOpen(CouncilCheck):
    id = "CKV_BOROUGH_028"
    supported_resources = ("Microsoft.ContainerService/managedClusters",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult | tuple[CheckResult, str]:
        profile = props(conf).get("apiServerAccessProfile")
        profile = profile if isinstance(profile, dict) else {}
        ranges = profile.get("authorizedIPRanges") or []
        ranges = [str(r) for r in ranges] if isinstance(ranges, list) else [str(ranges)]
        wide = [r for r in ranges if r.strip().lower() in INTERNET_SOURCES or r.strip().endswith("/0")]
        if wide:
            return CheckResult.FAILED, f"authorized IP range {', '.join(wide)} opens the API server to the internet"
        if str(profile.get("enablePrivateCluster")).lower() == "true":
            return CheckResult.PASSED, "private cluster: the API server has no public endpoint"
        if not ranges:
            return CheckResult.UNKNOWN  # no ranges at all is CKV_AZURE_6's finding
        return CheckResult.PASSED, f"authorized IP ranges: {', '.join(ranges)}"


check = AksApiRangesNotOpen()
