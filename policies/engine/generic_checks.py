"""The checks that judge every live resource, applied to types borough has no mapping for.

checkov matches a check to a resource by type, and a council check lists the types it supports
from borough's ARM type table. A live resource of an unmapped type (``deployed.live_generic``) would
match none; the checks whose rule holds for any resource (``CouncilCheck.generic``: council tags
and UK location where the type takes a location) are registered for those types for the length
of one scan, so the generic resource meets them with the same ids, messages and suppressions.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from deployed.live_generic import GENERIC_KEY


def generic_checks(checks: dict[str, Any], located: bool) -> list[Any]:
    """The council resource checks that judge a generic type (``located``: it takes a location)."""
    return [c for _, c in sorted(checks.items())
            if getattr(c, "generic", "") == "any" or (getattr(c, "generic", "") == "located" and located)]


@contextmanager
def judging_generic(checks: dict[str, Any], template: dict[str, Any]) -> Iterator[dict[str, list[str]]]:
    """Register the all-resource checks for the template's generic types; yields type -> check ids."""
    from checkov.arm.registry import arm_resource_registry

    types = (template.get("metadata") or {}).get(GENERIC_KEY) or {}
    added: list[tuple[str, Any]] = []
    judged: dict[str, list[str]] = {}
    for arm_type, located in sorted(types.items()):
        for check in generic_checks(checks, bool(located)):
            if check not in arm_resource_registry.checks[arm_type]:
                arm_resource_registry.checks[arm_type].append(check)
                added.append((arm_type, check))
            judged.setdefault(arm_type, []).append(check.id)
    try:
        yield judged
    finally:
        for arm_type, check in added:
            registered = arm_resource_registry.checks.get(arm_type) or []
            if check in registered:
                registered.remove(check)
