"""Log Analytics, and the diagnostic-settings helper every other component calls."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor, operationalinsights

from stacks.components.base import Placement, child


@dataclass(frozen=True)
class MonitoringArgs:
    placement: Placement
    workspace_name: str
    retention_days: int = 90


class Monitoring(pulumi.ComponentResource):
    """A Log Analytics workspace: retention of at least 90 days, local auth off, private ingestion."""

    def __init__(self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:monitoring:Monitoring", name, None, opts)
        if args.retention_days < 90:
            raise ValueError(f"{name}: log retention must be at least 90 days, got {args.retention_days}")
        self.workspace = operationalinsights.Workspace(
            f"{name}-law",
            workspace_name=args.workspace_name,
            resource_group_name=args.placement.resource_group_name,
            location=args.placement.location,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=args.retention_days,
            public_network_access_for_ingestion="Disabled",
            public_network_access_for_query="Disabled",
            features=operationalinsights.WorkspaceFeaturesArgs(disable_local_auth=True),
            opts=child(self),
        )
        self.workspace_id = self.workspace.id
        diagnostics(f"{name}-law", self.workspace.id, self.workspace.id, self)
        self.register_outputs({"workspaceId": self.workspace_id})


def diagnostics(
    name: str,
    resource_id: pulumi.Input[str],
    workspace_id: pulumi.Input[str] | None,
    parent: pulumi.Resource,
    logs: bool = True,
    metrics: bool = True,
) -> monitor.DiagnosticSetting | None:
    """Send a resource's logs (all categories) and metrics to the workspace.

    Returns None when there is no workspace to send to, so components can be used without one.
    """
    if workspace_id is None:
        return None
    return monitor.DiagnosticSetting(
        f"{name}-diag",
        name="diag-to-law",
        resource_uri=resource_id,
        workspace_id=workspace_id,
        log_analytics_destination_type="Dedicated",
        logs=[monitor.LogSettingsArgs(category_group="allLogs", enabled=True)] if logs else None,
        metrics=[monitor.MetricSettingsArgs(category="AllMetrics", enabled=True)] if metrics else None,
        opts=child(parent),
    )
