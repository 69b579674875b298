"""Azure AI Language, used to find and redact personal data in free text before it is curated."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cognitiveservices

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class LanguageArgs:
    placement: Placement
    account_name: str
    link: PrivateLink | None = None
    sku: str = "S"


class LanguageService(pulumi.ComponentResource):
    """Entra ID only (keys disabled), private, and unable to call out anywhere but Azure."""

    def __init__(self, name: str, args: LanguageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:cognitiveservices:LanguageService", name, None, opts)
        place = args.placement
        self.account = cognitiveservices.Account(
            f"{name}-lang",
            account_name=args.account_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            kind="TextAnalytics",
            sku=cognitiveservices.SkuArgs(name=args.sku),
            identity=cognitiveservices.IdentityArgs(type="SystemAssigned"),
            properties=cognitiveservices.AccountPropertiesArgs(
                custom_sub_domain_name=args.account_name,
                public_network_access="Disabled",
                disable_local_auth=True,
                network_acls=cognitiveservices.NetworkRuleSetArgs(default_action="Deny", ip_rules=[],
                                                                  virtual_network_rules=[]),
                restrict_outbound_network_access=True,
                allowed_fqdn_list=[],
            ),
            opts=child(self),
        )
        if args.link is not None:
            private_endpoint(name, place, args.link, self.account.id, "account", self)
        diagnostics(f"{name}-lang", self.account.id, place.workspace_id, self)
        self.register_outputs({"accountId": self.account.id})
