"""CKV_BOROUGH_031: web and function apps require incoming client certificates."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class WebAppClientCertificates(CouncilCheck):
    id = "CKV_BOROUGH_031"
    supported_resources = ("Microsoft.Web/sites",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        found = props(conf)
        enabled, mode = found.get("clientCertEnabled"), found.get("clientCertMode", "Required")
        if str(enabled).lower() != "true":
            shown = str(enabled).lower() if enabled is not None else "not set, false by default"
            return CheckResult.FAILED, f"client certificates are not requested (properties/clientCertEnabled = {shown})"
        return self.verdict(str(mode).lower() == "required",
                            f"client certificates are optional (properties/clientCertMode = {mode})",
                            "client certificates are required")


check = WebAppClientCertificates()
