import pulumi
import pulumi_azure_native.compute as compute
import pulumi_azure_native.network as network
import pulumi_azure_native.resources as resources
import pulumi_tls as tls

config = pulumi.Config()
admin_user = config.get("adminUser") or "azureuser"
vm_size = config.get("vmSize") or "Standard_B1s"

resource_group = resources.ResourceGroup("gis-jumpbox")

ssh_key = tls.PrivateKey("jumpbox-key", algorithm="RSA", rsa_bits=4096)

vnet = network.VirtualNetwork(
    "gis-vnet",
    resource_group_name=resource_group.name,
    address_space={"address_prefixes": ["10.20.0.0/16"]},
)

nsg = network.NetworkSecurityGroup(
    "jumpbox-nsg",
    resource_group_name=resource_group.name,
    security_rules=[
        {
            "name": "allow-ssh",
            "priority": 100,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "Tcp",
            "source_port_range": "*",
            "destination_port_range": "22",
            "source_address_prefix": "Internet",
            "destination_address_prefix": "*",
        },
    ],
)

subnet = network.Subnet(
    "jumpbox-subnet",
    resource_group_name=resource_group.name,
    virtual_network_name=vnet.name,
    address_prefix="10.20.1.0/24",
    network_security_group={"id": nsg.id},
)

public_ip = network.PublicIPAddress(
    "jumpbox-ip",
    resource_group_name=resource_group.name,
    public_ip_allocation_method="Static",
    sku={"name": "Standard"},
    dns_settings={"domain_name_label": "gis-jumpbox"},
)

nic = network.NetworkInterface(
    "jumpbox-nic",
    resource_group_name=resource_group.name,
    ip_configurations=[
        {
            "name": "primary",
            "subnet": {"id": subnet.id},
            "public_ip_address": {"id": public_ip.id},
            "private_ip_allocation_method": "Dynamic",
        }
    ],
)

vm = compute.VirtualMachine(
    "jumpbox",
    resource_group_name=resource_group.name,
    hardware_profile={"vm_size": vm_size},
    network_profile={"network_interfaces": [{"id": nic.id, "primary": True}]},
    os_profile={
        "computer_name": "gis-jumpbox",
        "admin_username": admin_user,
        "linux_configuration": {
            "disable_password_authentication": True,
            "ssh": {
                "public_keys": [
                    {
                        "key_data": ssh_key.public_key_openssh,
                        "path": f"/home/{admin_user}/.ssh/authorized_keys",
                    }
                ]
            },
        },
    },
    storage_profile={
        "image_reference": {
            "publisher": "Canonical",
            "offer": "0001-com-ubuntu-server-jammy",
            "sku": "22_04-lts-gen2",
            "version": "latest",
        },
        "os_disk": {"create_option": "FromImage", "managed_disk": {"storage_account_type": "Premium_LRS"}},
    },
)

pulumi.export("ssh_command", pulumi.Output.format("ssh {0}@{1}", admin_user, public_ip.dns_settings.fqdn))
pulumi.export("public_ip", public_ip.ip_address)
pulumi.export("private_key", ssh_key.private_key_openssh)
