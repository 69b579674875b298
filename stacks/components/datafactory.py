"""Data Factory: managed identity, no public network access, pipelines kept in Git."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import datafactory

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class DataFactoryArgs:
    placement: Placement
    factory_name: str
    link: PrivateLink | None = None
    git_account: str = "london-borough"
    git_repository: str = "data-pipelines"


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
        if args.link is not None:
            private_endpoint(name, place, args.link, self.factory.id, "dataFactory", self)
        diagnostics(f"{name}-adf", self.factory.id, place.workspace_id, self)
        self.register_outputs({"factoryId": self.factory.id})
