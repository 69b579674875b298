"""Does the register agree with the stacks in this repository? A pure check over data."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.register.model import Estate


@dataclass(frozen=True)
class Problem:
    kind: str
    """``unknown-system``, ``missing-stack`` or ``no-system-id``."""
    subject: str
    """The stack or system the problem is about."""
    message: str


def validate(estate: Estate, stack_system_ids: dict[str, str], stack_names: set[str]) -> list[Problem]:
    """Stacks whose ``borough:systemId`` names no system, stacks with none, and systems whose target stack does not exist."""
    ids = {s.id for s in estate.systems}
    problems: list[Problem] = []
    for stack in sorted(stack_names | set(stack_system_ids)):
        system_id = stack_system_ids.get(stack)
        if system_id is None:
            problems.append(Problem("no-system-id", stack, f"stack {stack} sets no borough:systemId, so nothing links it to the register"))
        elif system_id not in ids:
            problems.append(Problem("unknown-system", stack, f"stack {stack} has borough:systemId '{system_id}', which names no system"))
    for system in sorted(estate.systems, key=lambda s: s.id):
        if system.target_stack and system.target_stack not in stack_names:
            problems.append(
                Problem("missing-stack", system.id, f"system {system.id} targets stack {system.target_stack}, but Pulumi.{system.target_stack}.yaml does not exist")
            )
    return problems
