"""CKV_BOROUGH_019: PostgreSQL flexible server parameters the council sets keep secure values.

checkov's parameter checks (CKV_AZURE_30/31/32) only know single servers. A parameter the stack
does not declare is not judged here."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

SECURE = {
    "require_secure_transport": {"on"},
    "ssl_min_protocol_version": {"tlsv1.2", "tlsv1.3"},
    "log_connections": {"on"},
    "log_disconnections": {"on"},
    "log_checkpoints": {"on"},
    "connection_throttle.enable": {"on"},
}


class PostgresParameters(CouncilCheck):
    id = "CKV_BOROUGH_019"
    supported_resources = ("Microsoft.DBforPostgreSQL/flexibleServers/configurations",)
    reads = ("name", "properties/value")

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        parameter = str(conf.get("name", "")).rsplit("/", 1)[-1].lower()
        if parameter not in SECURE:
            return CheckResult.UNKNOWN
        return self.passed_if(str(props(conf).get("value", "")).lower() in SECURE[parameter])


check = PostgresParameters()
