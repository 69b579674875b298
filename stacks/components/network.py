"""Hub and spoke networks, NSGs that deny the Internet by default, private DNS and endpoints."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import network, privatedns

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics

# Private DNS zones for the private endpoints the stacks create (group id -> zone).
PRIVATE_DNS_ZONES = {
    "blob": "privatelink.blob.core.windows.net",
    "dfs": "privatelink.dfs.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
    "postgresqlServer": "privatelink.postgres.database.azure.com",
    "sites": "privatelink.azurewebsites.net",
    "dataFactory": "privatelink.datafactory.azure.net",
    "registry": "privatelink.azurecr.io",
    "sqlServer": "privatelink.database.windows.net",
    "namespace": "privatelink.servicebus.windows.net",
    "account": "privatelink.cognitiveservices.azure.com",
    "topic": "privatelink.eventgrid.azure.net",
}


@dataclass(frozen=True)
class SubnetSpec:
    name: str
    prefix: str
    delegation: str | None = None
    """Service the subnet is delegated to, e.g. ``Microsoft.Web/serverFarms`` for VNet integration."""
    allow_inbound: list[network.SecurityRuleArgs] = field(default_factory=list)
    """Explicit exceptions; everything else from the Internet is denied."""
    nat_gateway_id: pulumi.Input[str] | None = None
    """Outbound Internet through this NAT gateway (otherwise the subnet has no outbound Internet)."""


@dataclass(frozen=True)
class VirtualNetworkArgs:
    placement: Placement
    vnet_name: str
    address_space: str
    subnets: list[SubnetSpec]


def carve_subnets(address_space: str, names: list[str], delegations: dict[str, str] | None = None) -> list[SubnetSpec]:
    """Consecutive /24s from the address space, in the order given."""
    blocks = ipaddress.IPv4Network(address_space).subnets(new_prefix=24)
    return [SubnetSpec(name=n, prefix=str(next(blocks)), delegation=(delegations or {}).get(n)) for n in names]


def deny_internet_inbound() -> network.SecurityRuleArgs:
    return network.SecurityRuleArgs(
        name="deny-internet-inbound",
        priority=4000,
        direction="Inbound",
        access="Deny",
        protocol="*",
        source_address_prefix="Internet",
        source_port_range="*",
        destination_address_prefix="*",
        destination_port_range="*",
        description="Nothing from the Internet reaches this subnet unless a rule above allows it.",
    )


class VirtualNetwork(pulumi.ComponentResource):
    """A VNet whose every subnet has its own NSG denying Internet inbound; diagnostics on all."""

    def __init__(self, name: str, args: VirtualNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:network:VirtualNetwork", name, None, opts)
        place = args.placement
        self.vnet = network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=args.vnet_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            address_space=network.AddressSpaceArgs(address_prefixes=[args.address_space]),
            enable_ddos_protection=False,
            enable_vm_protection=True,
            opts=child(self, ignore_changes=["subnets"]),
        )
        diagnostics(f"{name}-vnet", self.vnet.id, place.workspace_id, self)
        self.subnets: dict[str, network.Subnet] = {}
        self.nsgs: dict[str, network.NetworkSecurityGroup] = {}
        for spec in args.subnets:
            nsg = network.NetworkSecurityGroup(
                f"{name}-nsg-{spec.name}",
                network_security_group_name=f"nsg-{args.vnet_name.removeprefix('vnet-')}-{spec.name}",
                resource_group_name=place.resource_group_name,
                location=place.location,
                security_rules=[*spec.allow_inbound, deny_internet_inbound()],
                opts=child(self),
            )
            diagnostics(f"{name}-nsg-{spec.name}", nsg.id, place.workspace_id, self, metrics=False)
            delegations = (
                [network.DelegationArgs(name=f"delegation-{spec.name}", service_name=spec.delegation)]
                if spec.delegation else None
            )
            subnet = network.Subnet(
                f"{name}-snet-{spec.name}",
                subnet_name=f"snet-{spec.name}",
                virtual_network_name=self.vnet.name,
                resource_group_name=place.resource_group_name,
                address_prefix=spec.prefix,
                network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
                delegations=delegations,
                nat_gateway=network.SubResourceArgs(id=spec.nat_gateway_id) if spec.nat_gateway_id else None,
                private_endpoint_network_policies="Enabled",
                default_outbound_access=False,
                opts=child(self),
            )
            self.subnets[spec.name] = subnet
            self.nsgs[spec.name] = nsg
        self.register_outputs({
            "vnetId": self.vnet.id,
            "vnetName": self.vnet.name,
            "subnetIds": {k: s.id for k, s in self.subnets.items()},
        })


@dataclass(frozen=True)
class PrivateDnsZonesArgs:
    resource_group_name: pulumi.Input[str]
    vnet_id: pulumi.Input[str]
    zones: dict[str, str] = field(default_factory=lambda: dict(PRIVATE_DNS_ZONES))


class PrivateDnsZones(pulumi.ComponentResource):
    """The privatelink zones private endpoints register in, linked to the hub (no auto-registration)."""

    def __init__(self, name: str, args: PrivateDnsZonesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:network:PrivateDnsZones", name, None, opts)
        self.zones: dict[str, privatedns.PrivateZone] = {}
        for key, zone_name in sorted(args.zones.items()):
            zone = privatedns.PrivateZone(
                f"{name}-{key}",
                private_zone_name=zone_name,
                resource_group_name=args.resource_group_name,
                location="Global",
                opts=child(self),
            )
            link_zone(f"{name}-{key}-hub", args.resource_group_name, zone.name, args.vnet_id, self)
            self.zones[zone_name] = zone
        self.zone_ids = pulumi.Output.all(**{z: r.id for z, r in self.zones.items()})
        self.register_outputs({"zoneIds": self.zone_ids})


@dataclass(frozen=True)
class ZoneLinksArgs:
    zones_resource_group_name: pulumi.Input[str]
    zone_names: list[str]
    vnet_id: pulumi.Input[str]


class ZoneLinks(pulumi.ComponentResource):
    """Links a spoke VNet to the hub's private DNS zones so it resolves private endpoints."""

    def __init__(self, name: str, args: ZoneLinksArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:network:ZoneLinks", name, None, opts)
        self.links = [
            link_zone(f"{name}-{zone.split('.')[1]}", args.zones_resource_group_name, zone, args.vnet_id, self)
            for zone in sorted(args.zone_names)
        ]
        self.register_outputs({"linkIds": [link.id for link in self.links]})


def link_zone(name: str, resource_group_name: pulumi.Input[str], zone_name: pulumi.Input[str],
              vnet_id: pulumi.Input[str], parent: pulumi.Resource) -> privatedns.VirtualNetworkLink:
    return privatedns.VirtualNetworkLink(
        f"{name}-link",
        virtual_network_link_name=pulumi.Output.from_input(vnet_id).apply(lambda i: f"link-{i.rsplit('/', 1)[-1]}"),
        private_zone_name=zone_name,
        resource_group_name=resource_group_name,
        location="Global",
        registration_enabled=False,
        virtual_network=privatedns.SubResourceArgs(id=vnet_id),
        opts=child(parent),
    )


def private_endpoint(name: str, placement: Placement, link: PrivateLink, target_id: pulumi.Input[str],
                     group_id: str, parent: pulumi.Resource) -> network.PrivateEndpoint:
    """A private endpoint for one sub-resource of ``target_id``, registered in its privatelink zone."""
    endpoint = network.PrivateEndpoint(
        f"{name}-pe-{group_id.lower()}",
        private_endpoint_name=pulumi.Output.from_input(target_id).apply(lambda i: f"pe-{i.rsplit('/', 1)[-1]}-{group_id.lower()}"),
        resource_group_name=placement.resource_group_name,
        location=placement.location,
        subnet=network.SubnetArgs(id=link.subnet_id),
        private_link_service_connections=[network.PrivateLinkServiceConnectionArgs(
            name=f"plsc-{group_id.lower()}",
            private_link_service_id=target_id,
            group_ids=[group_id],
        )],
        opts=child(parent),
    )
    zone = PRIVATE_DNS_ZONES[group_id]
    network.PrivateDnsZoneGroup(
        f"{name}-pe-{group_id.lower()}-dns",
        private_dns_zone_group_name="default",
        private_endpoint_name=endpoint.name,
        resource_group_name=placement.resource_group_name,
        private_dns_zone_configs=[network.PrivateDnsZoneConfigArgs(
            name=zone.replace(".", "-"),
            private_dns_zone_id=pulumi.Output.from_input(link.zone_ids).apply(lambda ids: ids[zone]),
        )],
        opts=child(parent),
    )
    return endpoint


@dataclass(frozen=True)
class PeeringArgs:
    spoke_resource_group_name: pulumi.Input[str]
    spoke_vnet_name: pulumi.Input[str]
    spoke_vnet_id: pulumi.Input[str]
    hub_resource_group_name: pulumi.Input[str]
    hub_vnet_name: pulumi.Input[str]
    hub_vnet_id: pulumi.Input[str]


class HubPeering(pulumi.ComponentResource):
    """Both halves of a spoke<->hub peering: no gateway transit, forwarded traffic only from the hub."""

    def __init__(self, name: str, args: PeeringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:network:HubPeering", name, None, opts)
        self.to_hub = network.VirtualNetworkPeering(
            f"{name}-to-hub",
            virtual_network_peering_name="peer-to-hub",
            virtual_network_name=args.spoke_vnet_name,
            resource_group_name=args.spoke_resource_group_name,
            remote_virtual_network=network.SubResourceArgs(id=args.hub_vnet_id),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=True,
            allow_gateway_transit=False,
            use_remote_gateways=False,
            opts=child(self),
        )
        self.from_hub = network.VirtualNetworkPeering(
            f"{name}-from-hub",
            virtual_network_peering_name=pulumi.Output.from_input(args.spoke_vnet_name).apply(lambda n: f"peer-{n}"),
            virtual_network_name=args.hub_vnet_name,
            resource_group_name=args.hub_resource_group_name,
            remote_virtual_network=network.SubResourceArgs(id=args.spoke_vnet_id),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=False,
            allow_gateway_transit=False,
            use_remote_gateways=False,
            opts=child(self),
        )
        self.register_outputs({"toHubId": self.to_hub.id, "fromHubId": self.from_hub.id})



@dataclass(frozen=True)
class NatEgressArgs:
    placement: Placement
    gateway_name: str
    public_ip_name: str
    idle_timeout_minutes: int = 4


class NatEgress(pulumi.ComponentResource):
    """Outbound-only Internet access for subnets that need it (subnets have default outbound access off).

    The public IP is used for source NAT only: nothing listens on it, and NSGs still deny inbound.
    """

    def __init__(self, name: str, args: NatEgressArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:network:NatEgress", name, None, opts)
        place = args.placement
        self.public_ip = network.PublicIPAddress(
            f"{name}-pip",
            public_ip_address_name=args.public_ip_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            zones=["1", "2", "3"],
            opts=child(self),
        )
        diagnostics(f"{name}-pip", self.public_ip.id, place.workspace_id, self)
        self.gateway = network.NatGateway(
            f"{name}-ng",
            nat_gateway_name=args.gateway_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            sku=network.NatGatewaySkuArgs(name="Standard"),
            idle_timeout_in_minutes=args.idle_timeout_minutes,
            public_ip_addresses=[network.SubResourceArgs(id=self.public_ip.id)],
            opts=child(self),
        )
        self.register_outputs({"natGatewayId": self.gateway.id, "publicIpId": self.public_ip.id})
