"""The platform's self-hosted build agent: a hardened Linux VM inside the hub.

Every data store the council runs is private, so pipelines that push images to the registry, sign
them and deploy to private endpoints need a runner on the private network. The agent has no public
IP and no inbound rules; it reaches its CI service outbound through the hub's NAT gateway.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import compute, network

from stacks.components.base import Placement, child, grant

ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec"

UBUNTU_LTS = compute.ImageReferenceArgs(publisher="Canonical", offer="ubuntu-24_04-lts", sku="server", version="latest")


@dataclass(frozen=True)
class BuildAgentArgs:
    placement: Placement
    vm_name: str
    subnet_id: pulumi.Input[str]
    ssh_public_key: str
    """Break-glass key only: people sign in with Entra ID; password sign-in is disabled."""
    push_registry_id: pulumi.Input[str] | None = None
    """The container registry the agent pushes images to (it gets AcrPush there and nothing more)."""
    subscription_id: pulumi.Input[str] | None = None
    admin_username: str = "azureagent"
    vm_size: str = "Standard_D4s_v5"
    work_disk_gb: int = 256
    zone: str = "1"


class BuildAgent(pulumi.ComponentResource):
    """Trusted Launch (secure boot, vTPM), host encryption, SSH keys only, platform-managed patching."""

    def __init__(self, name: str, args: BuildAgentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("borough:compute:BuildAgent", name, None, opts)
        place = args.placement
        self.nic = network.NetworkInterface(
            f"{name}-nic",
            network_interface_name=f"nic-{args.vm_name.removeprefix('vm-')}",
            resource_group_name=place.resource_group_name,
            location=place.location,
            ip_configurations=[network.NetworkInterfaceIPConfigurationArgs(
                name="ipconfig1",
                primary=True,
                private_ip_allocation_method="Dynamic",
                subnet=network.SubnetArgs(id=args.subnet_id),
            )],
            enable_accelerated_networking=True,
            enable_ip_forwarding=False,
            opts=child(self),
        )
        # Docker layers and build caches live on their own disk, not the OS disk.
        self.work_disk = compute.Disk(
            f"{name}-disk-work",
            disk_name=f"disk-{args.vm_name.removeprefix('vm-')}-work",
            resource_group_name=place.resource_group_name,
            location=place.location,
            zones=[args.zone],
            sku=compute.DiskSkuArgs(name="Premium_LRS"),
            disk_size_gb=args.work_disk_gb,
            creation_data=compute.CreationDataArgs(create_option="Empty"),
            encryption=compute.EncryptionArgs(type="EncryptionAtRestWithPlatformKey"),
            network_access_policy="DenyAll",
            public_network_access="Disabled",
            opts=child(self),
        )
        self.vm = compute.VirtualMachine(
            f"{name}-vm",
            vm_name=args.vm_name,
            resource_group_name=place.resource_group_name,
            location=place.location,
            zones=[args.zone],
            hardware_profile=compute.HardwareProfileArgs(vm_size=args.vm_size),
            identity=compute.VirtualMachineIdentityArgs(type="SystemAssigned"),
            os_profile=compute.OSProfileArgs(
                computer_name=args.vm_name,
                admin_username=args.admin_username,
                allow_extension_operations=True,
                linux_configuration=compute.LinuxConfigurationArgs(
                    disable_password_authentication=True,
                    provision_vm_agent=True,
                    ssh=compute.SshConfigurationArgs(public_keys=[compute.SshPublicKeyArgs(
                        path=f"/home/{args.admin_username}/.ssh/authorized_keys",
                        key_data=args.ssh_public_key,
                    )]),
                    patch_settings=compute.LinuxPatchSettingsArgs(
                        patch_mode="AutomaticByPlatform", assessment_mode="AutomaticByPlatform"),
                ),
            ),
            storage_profile=compute.StorageProfileArgs(
                image_reference=UBUNTU_LTS,
                os_disk=compute.OSDiskArgs(
                    name=f"osdisk-{args.vm_name.removeprefix('vm-')}",
                    create_option="FromImage",
                    caching="ReadWrite",
                    delete_option="Delete",
                    managed_disk=compute.ManagedDiskParametersArgs(storage_account_type="Premium_LRS"),
                ),
                data_disks=[compute.DataDiskArgs(
                    lun=0,
                    create_option="Attach",
                    caching="ReadOnly",
                    delete_option="Detach",
                    managed_disk=compute.ManagedDiskParametersArgs(id=self.work_disk.id),
                )],
            ),
            security_profile=compute.SecurityProfileArgs(
                security_type="TrustedLaunch",
                uefi_settings=compute.UefiSettingsArgs(secure_boot_enabled=True, v_tpm_enabled=True),
                encryption_at_host=True,
            ),
            network_profile=compute.NetworkProfileArgs(network_interfaces=[
                compute.NetworkInterfaceReferenceArgs(id=self.nic.id, primary=True, delete_option="Delete")]),
            diagnostics_profile=compute.DiagnosticsProfileArgs(
                boot_diagnostics=compute.BootDiagnosticsArgs(enabled=True)),
            opts=child(self),
        )
        self.principal_id = self.vm.identity.apply(lambda i: i.principal_id if i else None)
        if args.push_registry_id is not None and args.subscription_id is not None:
            grant(f"{name}-acr-push", self, scope=args.push_registry_id, principal_id=self.principal_id,
                  role_definition=ACR_PUSH, subscription_id=args.subscription_id, seed=f"{args.vm_name}/acr-push")
        self.register_outputs({"vmId": self.vm.id, "principalId": self.principal_id})
