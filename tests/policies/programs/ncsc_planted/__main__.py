"""Housing casework: a session cache, a message bus and a cluster, as a service team writes them
(with the misconfigurations an assessor looks for: plain-text Redis, old TLS, SAS keys, an open API server)."""

import pulumi
from pulumi_azure_native import containerservice, redis, resources, servicebus

group = resources.ResourceGroup("casework-rg", location="uksouth")

sessions = redis.Redis(
    "sessions-cache",
    resource_group_name=group.name,
    sku={"name": "Standard", "family": "C", "capacity": 1},
    enable_non_ssl_port=True,
    minimum_tls_version="1.0",
)

reports = redis.Redis(
    "reports-cache",
    resource_group_name=group.name,
    sku={"name": "Standard", "family": "C", "capacity": 1},
    enable_non_ssl_port=False,
    minimum_tls_version="1.2",
)

bus = servicebus.Namespace(
    "casework-bus",
    resource_group_name=group.name,
    sku={"name": "Standard", "tier": "Standard"},
    minimum_tls_version="1.0",
    disable_local_auth=False,
)

cluster = containerservice.ManagedCluster(
    "housing-aks",
    resource_group_name=group.name,
    dns_prefix="housing",
    identity={"type": "SystemAssigned"},
    agent_pool_profiles=[{"name": "system", "mode": "System", "count": 2, "vm_size": "Standard_D4ds_v5"}],
    api_server_access_profile={"authorized_ip_ranges": ["0.0.0.0/0"]},
    enable_rbac=True,
)

pulumi.export("cache_host", sessions.host_name)
