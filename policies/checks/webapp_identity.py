"""CKV_BOROUGH_011: web and function apps (and slots) run with a managed identity."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck


class WebAppManagedIdentity(CouncilCheck):
    id = "CKV_BOROUGH_011"
    supported_resources = ("Microsoft.Web/sites", "Microsoft.Web/sites/slots")
    reads = ("identity/type",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        identity = conf.get("identity")
        if not isinstance(identity, dict):
            return CheckResult.FAILED
        kind = str(identity.get("type", "")).lower()
        return self.passed_if("systemassigned" in kind or "userassigned" in kind)


check = WebAppManagedIdentity()
