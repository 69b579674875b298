"""CKV_BOROUGH_038: Transparent Data Encryption is not switched off on SQL databases."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class SqlTransparentDataEncryption(CouncilCheck):
    id = "CKV_BOROUGH_038"
    supported_resources = ("Microsoft.Sql/servers/databases/transparentDataEncryption",)
    reads = ("properties/state",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(str(props(conf).get("state", "")).lower() == "enabled")


check = SqlTransparentDataEncryption()
