"""CKV_BOROUGH_030: SQL, PostgreSQL and MySQL servers have a Microsoft Entra administrator.

SQL servers can declare one inline (``properties.administrators``); flexible servers only as a
child ``administrators`` resource, so this rule needs the whole template: it runs in the engine.
"""

from __future__ import annotations

from typing import Any, Iterable

from policies.checks.base import CheckResult, CrossResourceCheck, CrossResult, props

ADMINISTRATORS = {
    "microsoft.sql/servers": "microsoft.sql/servers/administrators",
    "microsoft.dbforpostgresql/flexibleservers": "microsoft.dbforpostgresql/flexibleservers/administrators",
    "microsoft.dbformysql/flexibleservers": "microsoft.dbformysql/flexibleservers/administrators",
}


def _children(resources: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(server type, server name) of every administrator resource, top-level or nested."""
    found: set[tuple[str, str]] = set()
    children = {child: server for server, child in ADMINISTRATORS.items()}
    for resource in resources:
        arm_type = str(resource.get("type", "")).lower()
        if arm_type in children:
            found.add((children[arm_type], str(resource.get("name", "")).split("/", 1)[0].lower()))
        for nested in resource.get("resources") or []:
            if isinstance(nested, dict) and str(nested.get("type", "")).lower() in ("administrators", *children):
                found.add((arm_type, str(resource.get("name", "")).lower()))
    return found


class EntraAdministrator(CrossResourceCheck):
    id = "CKV_BOROUGH_030"

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        admins = _children(resources)
        for resource in resources:
            arm_type = str(resource.get("type", "")).lower()
            if arm_type not in ADMINISTRATORS:
                continue
            inline = props(resource).get("administrators")
            if isinstance(inline, dict) and (inline.get("login") or inline.get("sid")):
                yield CrossResult(resource, CheckResult.PASSED, f"Entra administrator {inline.get('login') or inline.get('sid')}")
            elif (arm_type, str(resource.get("name", "")).lower()) in admins:
                yield CrossResult(resource, CheckResult.PASSED, "an Entra administrator resource names this server")
            else:
                yield CrossResult(resource, CheckResult.FAILED,
                                  "no Microsoft Entra administrator (neither properties/administrators nor an administrators resource)")


check = EntraAdministrator()
