"""CKV_BOROUGH_032: App Service apps (not function apps) have App Service Authentication on.

Authentication is the site's ``config/authsettings`` or ``config/authsettingsV2`` child, so this
rule needs the whole template: it runs in the engine.
"""

from __future__ import annotations

from typing import Any, Iterable

from policies.checks.base import CheckResult, CrossResourceCheck, CrossResult, props

SITE = "microsoft.web/sites"
LIVE_KEY = "borough:live"
"""Set by ``deployed.live_transform`` on resources read from Azure."""


def _enabled(config_name: str, body: dict[str, Any]) -> bool:
    if config_name == "authsettingsv2":
        platform = body.get("platform")
        return isinstance(platform, dict) and str(platform.get("enabled")).lower() == "true"
    return str(body.get("enabled")).lower() == "true"


def _authenticated_sites(resources: list[dict[str, Any]]) -> dict[str, bool]:
    """Site name -> whether an auth settings child turns authentication on."""
    found: dict[str, bool] = {}
    for resource in resources:
        arm_type = str(resource.get("type", "")).lower()
        candidates: list[tuple[str, dict[str, Any]]] = []
        if arm_type == f"{SITE}/config":
            candidates.append((str(resource.get("name", "")), resource))
        elif arm_type == SITE:
            for nested in resource.get("resources") or []:
                if isinstance(nested, dict) and str(nested.get("type", "")).lower() in ("config", f"{SITE}/config"):
                    candidates.append((f"{resource.get('name')}/{str(nested.get('name', '')).rsplit('/', 1)[-1]}", nested))
        for name, config in candidates:
            site, _, config_name = name.lower().rpartition("/")
            if config_name in ("authsettings", "authsettingsv2"):
                found[site] = found.get(site, False) or _enabled(config_name, props(config))
    return found


class WebAppAuthentication(CrossResourceCheck):
    id = "CKV_BOROUGH_032"

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        sites = _authenticated_sites(resources)
        for resource in resources:
            if str(resource.get("type", "")).lower() != SITE or "functionapp" in str(resource.get("kind", "")).lower():
                continue
            state = sites.get(str(resource.get("name", "")).lower())
            metadata = resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
            if state is None and metadata.get(LIVE_KEY):
                continue  # check --live does not read auth settings (a POST-only config): not judged, not failed
            if state:
                yield CrossResult(resource, CheckResult.PASSED, "App Service Authentication is enabled")
            elif state is None:
                yield CrossResult(resource, CheckResult.FAILED, "no authsettings or authsettingsV2 config: App Service Authentication is off")
            else:
                yield CrossResult(resource, CheckResult.FAILED, "auth settings present but not enabled (enabled / platform.enabled is not true)")


check = WebAppAuthentication()
