import pulumi
import pulumi_azure_native as azure_native
import pulumi_docker as docker

config = pulumi.Config()
image = config.require("image")
dns_label = config.require("dnsLabel")

rg = azure_native.resources.ResourceGroup("catalogue")

registry = azure_native.containerregistry.Registry(
    "cataloguereg",
    resource_group_name=rg.name,
    sku=azure_native.containerregistry.SkuArgs(name="Basic"),
    admin_user_enabled=True,
)

credentials = azure_native.containerregistry.list_registry_credentials_output(
    resource_group_name=rg.name, registry_name=registry.name
)
registry_user = credentials.username
registry_password = credentials.passwords.apply(lambda passwords: passwords[0].value)

full_image = pulumi.Output.concat(registry.login_server, "/", image)

# Build ./app and push it to the registry; the container group runs the pushed digest.
built = docker.Image(
    "catalogue-search-image",
    image_name=full_image,
    build=docker.DockerBuildArgs(context="./app", platform="linux/amd64"),
    registry=docker.RegistryArgs(server=registry.login_server, username=registry_user, password=registry_password),
)

group = azure_native.containerinstance.ContainerGroup(
    "catalogue-search",
    resource_group_name=rg.name,
    os_type="Linux",
    restart_policy="Always",
    image_registry_credentials=[
        azure_native.containerinstance.ImageRegistryCredentialArgs(
            server=registry.login_server,
            username=registry_user,
            password=registry_password,
        )
    ],
    containers=[
        azure_native.containerinstance.ContainerArgs(
            name="search",
            image=built.repo_digest,
            ports=[azure_native.containerinstance.ContainerPortArgs(port=80)],
            resources=azure_native.containerinstance.ResourceRequirementsArgs(
                requests=azure_native.containerinstance.ResourceRequestsArgs(cpu=1.0, memory_in_gb=1.5),
            ),
            environment_variables=[
                azure_native.containerinstance.EnvironmentVariableArgs(name="CATALOGUE_MODE", value="readonly"),
            ],
        )
    ],
    ip_address=azure_native.containerinstance.IpAddressArgs(
        type="Public",
        dns_name_label=dns_label,
        ports=[azure_native.containerinstance.PortArgs(port=80, protocol="TCP")],
    ),
)

pulumi.export("registry", registry.login_server)
pulumi.export("image", built.repo_digest)
pulumi.export("url", group.ip_address.apply(lambda address: f"http://{address.fqdn}"))
pulumi.export("public_ip", group.ip_address.apply(lambda address: address.ip))
