"""Who manages a live resource: a stack, a registered system, or nobody (pure)."""

from __future__ import annotations

from policies.live import managed_by, resource_tags
from stacks.arm import URN_KEY
from stacks.live import Ownership

RG = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-app"
VNET = f"{RG}/providers/Microsoft.Network/virtualNetworks/vnet"
TEMPLATE = [
    {"type": "Microsoft.Resources/resourceGroups", "tags": {"system-id": "platform"}, "metadata": {URN_KEY: RG}},
    {"type": "Microsoft.Network/virtualNetworks", "tags": {"System-Id": " payroll "}, "metadata": {URN_KEY: VNET}},
    {"type": "Microsoft.Network/virtualNetworks/subnets", "metadata": {URN_KEY: f"{VNET}/subnets/app"}},
    {"type": "Microsoft.Storage/storageAccounts", "metadata": {URN_KEY: f"{RG}/providers/Microsoft.Storage/storageAccounts/st"}},
]


def test_a_stack_wins_then_a_registered_system_id_then_unmanaged():
    ownership = Ownership()
    ownership.add_ids([VNET], "stack:platform-prod", placeholder=False)
    tags = resource_tags(TEMPLATE)
    assert managed_by(VNET, ownership, tags, frozenset({"payroll"})) == "stack:platform-prod"
    assert managed_by(f"{VNET}/subnets/app", Ownership(), tags, frozenset({"payroll"})) == "system:payroll"
    assert managed_by(f"{VNET}/subnets/app", Ownership(), tags, frozenset({"other"})) == "unmanaged"
    assert managed_by(f"{VNET}/subnets/app", Ownership(), tags, None) == "unmanaged"  # no register: only managed/unmanaged


def test_an_untagged_resource_does_not_borrow_its_resource_groups_system_id():
    tags = resource_tags(TEMPLATE)
    storage = f"{RG}/providers/Microsoft.Storage/storageAccounts/st"
    assert managed_by(storage, Ownership(), tags, frozenset({"platform"})) == "unmanaged"
    assert managed_by(RG, Ownership(), tags, frozenset({"platform"})) == "system:platform"
