"""CKV_BOROUGH_007: PostgreSQL flexible servers accept Entra ID logins only, no passwords."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class PostgresPasswordAuthDisabled(CouncilCheck):
    id = "CKV_BOROUGH_007"
    supported_resources = ("Microsoft.DBforPostgreSQL/flexibleServers",)
    reads = ("properties/authConfig/passwordAuth", "properties/authConfig/activeDirectoryAuth")

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        auth = props(conf).get("authConfig")
        if not isinstance(auth, dict):
            return CheckResult.FAILED
        return self.passed_if(str(auth.get("passwordAuth", "")).lower() == "disabled"
                              and str(auth.get("activeDirectoryAuth", "")).lower() == "enabled")


check = PostgresPasswordAuthDisabled()
