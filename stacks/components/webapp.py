"""Linux App Service: HTTPS and TLS 1.2 only, no FTP, no remote debugging, managed identity,
VNet-integrated and private, with secrets only as Key Vault references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import authorization, web

from stacks.components.base import Placement, PrivateLink, child, stable_guid
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint

KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
SECRET_LIKE = re.compile(r"(PASSWORD|SECRET|TOKEN|KEY|CONNECTION_?STRING|PWD)", re.IGNORECASE)


@dataclass(frozen=True)
class WebAppArgs:
    placement: Placement
    app_name: str
    plan_name: str
    integration_subnet_id: pulumi.Input[str]
    key_vault_id: pulumi.Input[str]
    key_vault_uri: pulumi.Input[str]
    subscription_id: pulumi.Input[str]
    link: PrivateLink | None = None
    runtime: str = "PYTHON|3.12"
    plan_sku: str = "P1v3"
    instances: int = 3
    settings: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    """Plain app settings; names that look like secrets are refused."""
    secret_settings: dict[str, str] = field(default_factory=dict)
    """App setting name -> Key Vault secret name; becomes a Key Vault reference."""


class LinuxWebApp(pulumi.ComponentResource):
    def __init__(self, name: str, args: WebAppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:web:LinuxWebApp", name, None, opts)
        leaked = sorted(k for k in args.settings if SECRET_LIKE.search(k))
        if leaked:
            raise ValueError(f"{name}: app settings {', '.join(leaked)} look like secrets; "
                             "put them in Key Vault and pass them as secret_settings")
        place = args.placement
        self.plan = web.AppServicePlan(
            f"{name}-plan",
            name=args.plan_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            kind="linux",
            reserved=True,
            sku=web.SkuDescriptionArgs(name=args.plan_sku, capacity=args.instances),
            zone_redundant=True,
            opts=child(self),
        )
        app_settings = [web.NameValuePairArgs(name=k, value=v) for k, v in sorted(args.settings.items())]
        app_settings += [
            web.NameValuePairArgs(
                name=setting,
                value=pulumi.Output.from_input(args.key_vault_uri).apply(
                    lambda uri, s=secret: f"@Microsoft.KeyVault(SecretUri={uri}secrets/{s}/)"),
            )
            for setting, secret in sorted(args.secret_settings.items())
        ]
        self.app = web.WebApp(
            f"{name}-app",
            name=args.app_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            kind="app,linux",
            server_farm_id=self.plan.id,
            https_only=True,
            client_cert_enabled=True,
            client_cert_mode="Optional",
            public_network_access="Disabled",
            virtual_network_subnet_id=args.integration_subnet_id,
            outbound_vnet_routing=web.OutboundVnetRoutingArgs(all_traffic=True),
            identity=web.ManagedServiceIdentityArgs(type="SystemAssigned"),
            key_vault_reference_identity="SystemAssigned",
            site_config=web.SiteConfigArgs(
                linux_fx_version=args.runtime,
                min_tls_version="1.2",
                scm_min_tls_version="1.2",
                ftps_state="Disabled",
                http20_enabled=True,
                remote_debugging_enabled=False,
                always_on=True,
                number_of_workers=args.instances,
                health_check_path="/health",
                http_logging_enabled=True,
                detailed_error_logging_enabled=True,
                request_tracing_enabled=True,
                vnet_route_all_enabled=True,
                app_settings=app_settings,
            ),
            opts=child(self),
        )
        self.principal_id = self.app.identity.apply(lambda i: i.principal_id if i else None)
        authorization.RoleAssignment(
            f"{name}-kv-secrets-user",
            role_assignment_name=stable_guid(args.app_name, "kv-secrets-user"),
            scope=args.key_vault_id,
            principal_id=self.principal_id,
            principal_type="ServicePrincipal",
            role_definition_id=pulumi.Output.from_input(args.subscription_id).apply(
                lambda sub: f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{KEY_VAULT_SECRETS_USER}"),
            opts=child(self),
        )
        if args.link is not None:
            private_endpoint(name, place, args.link, self.app.id, "sites", self)
        diagnostics(f"{name}-app", self.app.id, place.workspace_id, self)
        diagnostics(f"{name}-plan", self.plan.id, place.workspace_id, self, logs=False)
        self.register_outputs({"appId": self.app.id, "hostName": self.app.default_host_name,
                               "principalId": self.principal_id})
