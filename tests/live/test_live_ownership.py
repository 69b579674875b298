"""Who manages a live resource: a stack, a registered system, or nobody (pure)."""

from __future__ import annotations

from policies.live_check import managed_by, resource_tags
from arm import URN_KEY
from synth.graph import GraphResource, ResourceGraph
from deployed.live_ownership import Ownership

SUB = "11111111-2222-3333-4444-555555555555"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-app"
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


def test_ownership_matches_synthesized_ids_in_any_subscription_and_state_ids_exactly():
    def graph(resource_id: str) -> ResourceGraph:
        return ResourceGraph(project="p", stack="s", resources=[GraphResource(
            urn="urn:pulumi:s::p::azure-native:storage:StorageAccount::st", type="azure-native:storage:StorageAccount",
            name="st", custom=True, id=resource_id)])

    ownership = Ownership()
    ownership.add_graph(graph("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/"
                              "Microsoft.Storage/storageAccounts/st"), "stack:synth", placeholder=True)
    ownership.add_graph(graph(f"{RG}/providers/Microsoft.Storage/storageAccounts/exported"), "stack:state", placeholder=False)
    assert ownership.owner(f"{RG.upper()}/providers/Microsoft.Storage/storageAccounts/st") == "stack:synth"
    assert ownership.owner(f"{RG}/providers/Microsoft.Storage/storageAccounts/exported") == "stack:state"
    other = RG.replace(SUB, "99999999-2222-3333-4444-555555555555")
    assert ownership.owner(f"{other}/providers/Microsoft.Storage/storageAccounts/exported") is None
    assert ownership.owner(f"{RG}/providers/Microsoft.Storage/storageAccounts/by-hand") is None
