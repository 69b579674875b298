"""Bin collection scheduler: a namespace on the shared cluster and the group that bills it."""

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import resources

group = resources.ResourceGroup("bins-scheduler")
namespace = k8s.core.v1.Namespace("bins", metadata={"name": "bins"})

pulumi.export("namespace", namespace.metadata["name"])
