"""Microsoft Defender for Cloud: the Standard plans for every resource type the council's stacks use."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import security

from stacks.components.base import child

# Defender plan name -> sub-plan (None: the plan has only one). The types the bundled stacks deploy:
# storage, Key Vault, App Service, PostgreSQL, Azure SQL, containers (the registry), VMs, ARM itself,
# and the posture management plan that watches configuration across all of them.
DEFAULT_PLANS: dict[str, str | None] = {
    "AppServices": None,
    "Arm": "PerSubscription",
    "CloudPosture": None,
    "Containers": None,
    "KeyVaults": "PerKeyVault",
    "OpenSourceRelationalDatabases": None,
    "SqlServers": None,
    "StorageAccounts": "DefenderForStorageV2",
    "VirtualMachines": "P2",
}
# Defender for Storage: scan uploads for malware and alert on sensitive-data exposure.
STORAGE_EXTENSIONS = [
    security.ExtensionArgs(name="OnUploadMalwareScanning", is_enabled="True",
                           additional_extension_properties={"CapGBPerMonthPerStorageAccount": "5000"}),
    security.ExtensionArgs(name="SensitiveDataDiscovery", is_enabled="True"),
]


@dataclass(frozen=True)
class DefenderArgs:
    subscription_id: pulumi.Input[str]
    plans: dict[str, str | None] = field(default_factory=lambda: dict(DEFAULT_PLANS))


class DefenderPlans(pulumi.ComponentResource):
    """Standard tier for each plan at the subscription, enforced so no resource group can opt out."""

    def __init__(self, name: str, args: DefenderArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:security:DefenderPlans", name, None, opts)
        scope = pulumi.Output.from_input(args.subscription_id).apply(lambda sub: f"/subscriptions/{sub}")
        self.plans = {
            plan: security.Pricing(
                f"{name}-{plan.lower()}",
                pricing_name=plan,
                scope_id=scope,
                pricing_tier="Standard",
                sub_plan=sub_plan,
                enforce="True",
                extensions=STORAGE_EXTENSIONS if plan == "StorageAccounts" else None,
                opts=child(self),
            )
            for plan, sub_plan in sorted(args.plans.items())
        }
        self.register_outputs({"plans": {plan: p.id for plan, p in self.plans.items()}})
