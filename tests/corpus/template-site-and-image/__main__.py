"""Leisure bookings: a static site synced from ./www and an API image built from ./app, pushed to
the registry and run by a web app."""

import pulumi
import pulumi_docker_build as docker_build
import pulumi_synced_folder as synced_folder
from pulumi_azure_native import containerregistry, resources, storage, web

config = pulumi.Config()
tag = config.get("imageTag") or "latest"
group = resources.ResourceGroup("leisure")

site = storage.StorageAccount(
    "leisuresite",
    resource_group_name=group.name,
    kind=storage.Kind.STORAGE_V2,
    sku=storage.SkuArgs(name=storage.SkuName.STANDARD_LRS),
)
website = storage.StorageAccountStaticWebsite(
    "leisuresite", resource_group_name=group.name, account_name=site.name, index_document="index.html")
synced_folder.AzureBlobFolder(
    "leisure-www",
    path="./www",
    resource_group_name=group.name,
    storage_account_name=site.name,
    container_name=website.container_name,
)

registry = containerregistry.Registry(
    "leisureacr", resource_group_name=group.name, sku=containerregistry.SkuArgs(name="Basic"), admin_user_enabled=True)
credentials = containerregistry.list_registry_credentials_output(resource_group_name=group.name, registry_name=registry.name)
image = docker_build.Image(
    "bookings-api",
    tags=[pulumi.Output.concat(registry.login_server, "/bookings-api:", tag)],
    context=docker_build.BuildContextArgs(location="./app"),
    platforms=[docker_build.Platform.LINUX_AMD64],
    push=True,
    registries=[docker_build.RegistryArgs(
        address=registry.login_server,
        username=credentials.username,
        password=credentials.passwords.apply(lambda p: p[0].value),
    )],
)

plan = web.AppServicePlan("bookings-plan", resource_group_name=group.name, kind="linux", reserved=True,
                          sku=web.SkuDescriptionArgs(name="B1", tier="Basic"))
api = web.WebApp(
    "bookings-api",
    resource_group_name=group.name,
    server_farm_id=plan.id,
    site_config=web.SiteConfigArgs(linux_fx_version=image.ref.apply(lambda ref: f"DOCKER|{ref}")),
)

pulumi.export("image", image.ref)
pulumi.export("site", site.primary_endpoints.web)
