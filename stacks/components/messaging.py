"""Event Hubs (streaming ingestion) and Event Grid (notifications): Entra ID only, private, TLS 1.2."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import eventgrid, eventhub

from stacks.components.base import Placement, PrivateLink, child
from stacks.components.monitoring import diagnostics
from stacks.components.network import private_endpoint


@dataclass(frozen=True)
class EventHubsArgs:
    placement: Placement
    namespace_name: str
    hubs: list[str] = field(default_factory=list)
    link: PrivateLink | None = None
    max_throughput_units: int = 4
    retention_hours: int = 168


class EventHubs(pulumi.ComponentResource):
    """A Standard namespace, zone redundant, with local (SAS) auth off and one hub per stream."""

    def __init__(self, name: str, args: EventHubsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:messaging:EventHubs", name, None, opts)
        place = args.placement
        self.namespace = eventhub.Namespace(
            f"{name}-evhns",
            namespace_name=args.namespace_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            sku=eventhub.SkuArgs(name="Standard", tier="Standard", capacity=1),
            zone_redundant=True,
            disable_local_auth=True,
            minimum_tls_version="1.2",
            public_network_access="Disabled",
            is_auto_inflate_enabled=True,
            maximum_throughput_units=args.max_throughput_units,
            kafka_enabled=True,
            identity=eventhub.IdentityArgs(type="SystemAssigned"),
            opts=child(self),
        )
        self.hubs = {
            hub: eventhub.EventHub(
                f"{name}-{hub}",
                event_hub_name=hub,
                namespace_name=self.namespace.name,
                resource_group_name=place.resource_group_name,
                partition_count=4,
                retention_description=eventhub.RetentionDescriptionArgs(
                    cleanup_policy="Delete", retention_time_in_hours=args.retention_hours),
                opts=child(self),
            )
            for hub in args.hubs
        }
        if args.link is not None:
            private_endpoint(name, place, args.link, self.namespace.id, "namespace", self)
        diagnostics(f"{name}-evhns", self.namespace.id, place.workspace_id, self)
        self.register_outputs({"namespaceId": self.namespace.id})


@dataclass(frozen=True)
class EventGridTopicArgs:
    placement: Placement
    topic_name: str
    link: PrivateLink | None = None


class EventGridTopic(pulumi.ComponentResource):
    """A CloudEvents topic whose data stays in region; publishers authenticate with Entra ID only."""

    def __init__(self, name: str, args: EventGridTopicArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:messaging:EventGridTopic", name, None, opts)
        place = args.placement
        self.topic = eventgrid.Topic(
            f"{name}-evgt",
            topic_name=args.topic_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            input_schema="CloudEventSchemaV1_0",
            disable_local_auth=True,
            public_network_access="Disabled",
            inbound_ip_rules=[],
            minimum_tls_version_allowed="1.2",
            data_residency_boundary="WithinRegion",
            identity=eventgrid.IdentityInfoArgs(type="SystemAssigned"),
            opts=child(self),
        )
        if args.link is not None:
            private_endpoint(name, place, args.link, self.topic.id, "topic", self)
        diagnostics(f"{name}-evgt", self.topic.id, place.workspace_id, self)
        self.register_outputs({"topicId": self.topic.id})
