"""CKV_BOROUGH_009: production databases keep geo-redundant backups (ukwest pairs uksouth).

Production is read from the Pulumi stack name or the ``environment``/``stage`` tag; other
databases are not judged (no result rather than a pass)."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, is_production, props


class GeoRedundantBackup(CouncilCheck):
    id = "CKV_BOROUGH_009"
    supported_resources = (
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.DBforMySQL/flexibleServers",
        "Microsoft.Sql/servers/databases",
    )
    reads = ("properties/backup/geoRedundantBackup", "properties/requestedBackupStorageRedundancy")

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        if not is_production(conf):
            return CheckResult.UNKNOWN
        properties = props(conf)
        if conf.get("type") == "Microsoft.Sql/servers/databases":
            return self.passed_if(str(properties.get("requestedBackupStorageRedundancy", "")).lower() in {"geo", "geozone"})
        backup = properties.get("backup")
        if not isinstance(backup, dict):
            return CheckResult.FAILED
        return self.passed_if(str(backup.get("geoRedundantBackup", "")).lower() == "enabled")


check = GeoRedundantBackup()
