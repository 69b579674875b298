"""Assignments of Azure's built-in regulatory compliance initiatives at the stack's scope."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization

from stacks.components.base import child


@dataclass(frozen=True)
class Initiative:
    key: str
    display_name: str
    policy_set_definition_id: str


@dataclass(frozen=True)
class PolicyArgs:
    scope: pulumi.Input[str]
    location: str
    initiatives: list[Initiative]


class PolicyAssignments(pulumi.ComponentResource):
    """Enforced (not audit-only) assignments, with an identity so remediation tasks can run."""

    def __init__(self, name: str, args: PolicyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:policy:PolicyAssignments", name, None, opts)
        self.assignments = {
            i.key: authorization.PolicyAssignment(
                f"{name}-{i.key}",
                policy_assignment_name=f"pa-{i.key}"[:64],
                display_name=i.display_name,
                description=f"{i.display_name}: the council's regulatory baseline (assigned by borough).",
                policy_definition_id=i.policy_set_definition_id,
                scope=args.scope,
                enforcement_mode="Default",
                location=args.location,
                identity=authorization.IdentityArgs(type="SystemAssigned"),
                non_compliance_messages=[authorization.NonComplianceMessageArgs(
                    message=f"Resources must comply with {i.display_name}; see the borough README.")],
                opts=child(self),
            )
            for i in args.initiatives
        }
        self.register_outputs({"assignmentIds": {k: a.id for k, a in self.assignments.items()}})
