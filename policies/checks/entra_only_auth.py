"""CKV_BOROUGH_029: SQL servers, SQL managed instances and Synapse workspaces accept Microsoft
Entra ID logins only (no SQL logins with passwords)."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class EntraOnlyAuthentication(CouncilCheck):
    id = "CKV_BOROUGH_029"
    supported_resources = ("Microsoft.Sql/servers", "Microsoft.Sql/managedInstances", "Microsoft.Synapse/workspaces")

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        found = props(conf)
        if conf.get("type") == "Microsoft.Synapse/workspaces":
            key, value = "properties/azureADOnlyAuthentication", found.get("azureADOnlyAuthentication")
        else:
            admins = found.get("administrators") if isinstance(found.get("administrators"), dict) else {}
            key, value = "properties/administrators/azureADOnlyAuthentication", admins.get("azureADOnlyAuthentication")
        shown = str(value).lower() if value is not None else "not set"
        return self.verdict(str(value).lower() == "true", f"SQL (password) logins are allowed: {key} = {shown}",
                            f"Entra ID only: {key} = true")


check = EntraOnlyAuthentication()
