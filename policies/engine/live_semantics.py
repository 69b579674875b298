"""What a setting means when the live API answers it, for rules written for templates.

Some checkov rules read the property a template author would write, while ARM answers the same
setting elsewhere or inherited from a parent. Judged on the live estate as written, they fail
correctly configured resources that nobody can fix. Each ``LiveReading`` here re-judges one
(check, resource type) on a live resource from what the Azure REST reference documents, and the
finding keeps its check id with a message saying what was read:

- CKV_AZURE_23 on a SQL database: when auditing is set on the *server*, Azure answers the
  database's own ``auditingSettings`` with ``state: Disabled`` and audits the database anyway
  (``Microsoft.Sql/servers/auditingSettings``: "if server auditing is enabled, it always applies
  to the database"). The database is audited if either is ``Enabled``.
- CKV_AZURE_40 on a Key Vault key: the rule reads ``rotationPolicy.attributes.expiryTime`` (the
  expiry a rotation gives *new* versions); ARM answers a key's own expiry in
  ``properties.attributes.exp`` (seconds since 1970-01-01, ``Microsoft.KeyVault/vaults/keys``).
  Either sets an expiry.

Only failed verdicts are re-judged (before suppressions apply), and only to pass with the evidence named:
where the live meaning also fails, checkov's verdict and message stand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from policies.output.report import Finding, Outcome

Resources = dict[str, dict[str, Any]]
"""ARM id (lower case) -> the live resource as rendered (nested children inside it)."""

SQL_SERVER_AUDITING_REF = "https://learn.microsoft.com/rest/api/sql/server-blob-auditing-policies/get"
KEY_REF = "https://learn.microsoft.com/rest/api/keyvault/keyvault/keys/get"


@dataclass(frozen=True)
class LiveReading:
    check_id: str
    resource_type: str
    reference: str
    """The Azure REST reference whose shape the judge reads."""
    judge: Callable[[dict[str, Any], Resources], str | None]
    """The evidence that the resource meets the rule as the live API answers it; None: it does not."""


def _children(resource: dict[str, Any], child_type: str) -> Iterable[dict[str, Any]]:
    for child in resource.get("resources") or []:
        if isinstance(child, dict) and str(child.get("type", "")).lower() == child_type.lower():
            yield child


def _auditing_enabled(resource: dict[str, Any], child_type: str) -> bool:
    return any(str((c.get("properties") or {}).get("state", "")).lower() == "enabled"
               for c in _children(resource, child_type))


def database_audited_by_server(database: dict[str, Any], resources: Resources) -> str | None:
    database_id = str((database.get("metadata") or {}).get("pulumi:urn") or "")
    server_id = database_id.lower().rsplit("/databases/", 1)[0]
    server = resources.get(server_id)
    if server is None or not _auditing_enabled(server, "Microsoft.Sql/servers/auditingSettings"):
        return None
    return (f"audited by its server: {server_id.rsplit('/', 1)[-1]}/auditingSettings state Enabled (Azure answers "
            "the database's own auditing Disabled when auditing is set on the server)")


def key_expiry(key: dict[str, Any], resources: Resources) -> str | None:
    attributes = (key.get("properties") or {}).get("attributes") or {}
    expiry = attributes.get("exp") if isinstance(attributes, dict) else None
    if isinstance(expiry, bool) or not isinstance(expiry, (int, float)) or expiry <= 0:
        return None
    when = dt.datetime.fromtimestamp(expiry, tz=dt.timezone.utc).date().isoformat()
    return f"expires {when} (properties.attributes.exp, where ARM answers a key's expiry)"


READINGS: tuple[LiveReading, ...] = (
    LiveReading("CKV_AZURE_23", "Microsoft.Sql/servers/databases", SQL_SERVER_AUDITING_REF, database_audited_by_server),
    LiveReading("CKV_AZURE_40", "Microsoft.KeyVault/vaults/keys", KEY_REF, key_expiry),
)


def index_resources(resources: Iterable[dict[str, Any]]) -> Resources:
    """Every live resource of a template by ARM id, nested children too."""
    out: Resources = {}
    stack = list(resources)
    while stack:
        resource = stack.pop()
        resource_id = (resource.get("metadata") or {}).get("pulumi:urn")
        if resource_id:
            out[str(resource_id).lower()] = resource
        stack.extend(r for r in resource.get("resources") or [] if isinstance(r, dict))
    return out


def apply_live_readings(findings: list[Finding], resources: Resources,
                        readings: Iterable[LiveReading] = READINGS) -> None:
    """Re-judge failed verdicts of live resources (before suppressions apply)."""
    by_key = {(r.check_id, r.resource_type.lower()): r for r in readings}
    for finding in findings:
        if finding.outcome is not Outcome.failed or not finding.urn:
            continue
        resource = resources.get(finding.urn.lower())
        if resource is None:
            continue
        reading = by_key.get((finding.check_id, str(resource.get("type", "")).lower()))
        evidence = reading.judge(resource, resources) if reading else None
        if evidence:
            finding.outcome, finding.message = Outcome.passed, evidence
