"""CKV_BOROUGH_017: stacks do not hand out Owner or User Access Administrator.

Those roles let the holder grant themselves anything; they are given through PIM, not code."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

PRIVILEGED = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",  # Owner
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",  # User Access Administrator
}


class NoPrivilegedRoleAssignments(CouncilCheck):
    id = "CKV_BOROUGH_017"
    supported_resources = ("Microsoft.Authorization/roleAssignments",)
    reads = ("properties/roleDefinitionId",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        role = str(props(conf).get("roleDefinitionId", "")).rstrip("/").rsplit("/", 1)[-1].lower()
        return self.passed_if(role not in PRIVILEGED)


check = NoPrivilegedRoleAssignments()
