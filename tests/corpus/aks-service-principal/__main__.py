import base64

import pulumi
import pulumi_azuread as azuread
import pulumi_random as random
import pulumi_tls as tls
from pulumi_azure_native import containerservice, resources

config = pulumi.Config()
node_count = config.get_int("nodeCount") or 3
k8s_version = config.get("kubernetesVersion") or "1.30"
stack = pulumi.get_stack()

rg = resources.ResourceGroup(f"planning-{stack}")

# Cluster identity: an app registration, its service principal and a password for it
app = azuread.Application("planning-aks", display_name=f"planning-aks-{stack}")
sp = azuread.ServicePrincipal("planning-aks-sp", client_id=app.client_id)
sp_password = azuread.ServicePrincipalPassword(
    "planning-aks-sp-password",
    service_principal_id=sp.id,
    end_date="2099-01-01T00:00:00Z",
)

ssh_key = tls.PrivateKey("aks-nodes", algorithm="ED25519")
suffix = random.RandomString("dns-suffix", length=6, special=False, upper=False)

cluster = containerservice.ManagedCluster(
    "planning",
    resource_group_name=rg.name,
    dns_prefix=suffix.result.apply(lambda s: f"planning-{s}"),
    kubernetes_version=k8s_version,
    enable_rbac=True,
    agent_pool_profiles=[{
        "name": "system",
        "mode": "System",
        "count": node_count,
        "vm_size": "Standard_D2s_v5",
        "os_type": "Linux",
        "type": "VirtualMachineScaleSets",
        "os_disk_size_gb": 64,
    }],
    linux_profile={
        "admin_username": "aksadmin",
        "ssh": {"public_keys": [{"key_data": ssh_key.public_key_openssh}]},
    },
    service_principal_profile={
        "client_id": app.client_id,
        "secret": sp_password.value,
    },
    network_profile={"network_plugin": "azure", "network_policy": "azure"},
)

creds = containerservice.list_managed_cluster_user_credentials_output(
    resource_group_name=rg.name,
    resource_name=cluster.name,
)
kubeconfig = creds.kubeconfigs[0].value.apply(lambda encoded: base64.b64decode(encoded).decode("utf-8"))

pulumi.export("cluster_fqdn", cluster.fqdn)
pulumi.export("sp_object_id", sp.object_id)
pulumi.export("kubeconfig", pulumi.Output.secret(kubeconfig))
