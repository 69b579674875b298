"""Data Factory: managed identity, no public network access, pipelines kept in Git."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import datafactory

from stacks.components.base import Placement, PrivateLink, RoleGrant, child, grant
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class DataFactoryArgs:
    placement: Placement
    factory_name: str
    link: PrivateLink | None = None
    git_account: str = "london-borough"
    git_repository: str = "data-pipelines"
    grants: tuple[RoleGrant, ...] = ()
    """What the factory's managed identity may reach (it has no keys or connection strings)."""
    subscription_id: pulumi.Input[str] | None = None


class DataFactory(pulumi.ComponentResource):
    def __init__(self, name: str, args: DataFactoryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:datafactory:DataFactory", name, None, opts)
        place = args.placement
        self.factory = datafactory.Factory(
            f"{name}-adf",
            factory_name=args.factory_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            public_network_access="Disabled",
            identity=datafactory.FactoryIdentityArgs(type="SystemAssigned"),
            repo_configuration=datafactory.FactoryGitHubConfigurationArgs(
                type="FactoryGitHubConfiguration",
                account_name=args.git_account,
                repository_name=args.git_repository,
                collaboration_branch="main",
                root_folder="/",
                disable_publish=False,
            ),
            opts=child(self),
        )
        self.principal_id = self.factory.identity.apply(lambda i: i.principal_id if i else None)
        if args.grants and args.subscription_id is None:
            raise ValueError(f"{name}: role grants need the subscription id")
        self.grants = [
            grant(f"{name}-{g.name}", self, scope=g.scope, principal_id=self.principal_id,
                  role_definition=g.role_definition, subscription_id=args.subscription_id,
                  seed=f"{args.factory_name}/{g.name}")
            for g in args.grants
        ]
        if args.link is not None:
            private_endpoint(name, place, args.link, self.factory.id, "dataFactory", self)
        diagnostics(f"{name}-adf", self.factory.id, place.workspace_id, self)
        self.register_outputs({"factoryId": self.factory.id})
