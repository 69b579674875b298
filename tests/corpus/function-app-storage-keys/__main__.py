import pulumi
from pulumi import Output
from pulumi_azure_native import applicationinsights, resources, storage, web


def connection_string(rg_name: Output[str], account_name: Output[str]) -> Output[str]:
    """The classic AzureWebJobsStorage value, built from the account's first access key."""
    keys = storage.list_storage_account_keys_output(resource_group_name=rg_name, account_name=account_name)
    return Output.all(account_name, keys.keys[0].value).apply(
        lambda args: f"DefaultEndpointsProtocol=https;AccountName={args[0]};AccountKey={args[1]};EndpointSuffix=core.windows.net"
    )


rg = resources.ResourceGroup("bins")

account = storage.StorageAccount(
    "binsfunc",
    resource_group_name=rg.name,
    sku={"name": "Standard_LRS"},
    kind="StorageV2",
    minimum_tls_version="TLS1_2",
    allow_blob_public_access=False,
)

code = storage.BlobContainer("code", resource_group_name=rg.name, account_name=account.name, public_access="None")

package = storage.Blob(
    "package",
    resource_group_name=rg.name,
    account_name=account.name,
    container_name=code.name,
    source=pulumi.FileArchive("./app"),
)

insights = applicationinsights.Component(
    "bins-insights",
    resource_group_name=rg.name,
    kind="web",
    application_type="web",
)

plan = web.AppServicePlan(
    "bins-plan",
    resource_group_name=rg.name,
    kind="functionapp",
    reserved=True,
    sku={"name": "Y1", "tier": "Dynamic"},
)

storage_connection = connection_string(rg.name, account.name)

app = web.WebApp(
    "bins-func",
    resource_group_name=rg.name,
    server_farm_id=plan.id,
    kind="functionapp,linux",
    https_only=True,
    site_config={
        "linux_fx_version": "Python|3.11",
        "ftps_state": "Disabled",
        "min_tls_version": "1.2",
        "app_settings": [
            {"name": "AzureWebJobsStorage", "value": storage_connection},
            {"name": "FUNCTIONS_EXTENSION_VERSION", "value": "~4"},
            {"name": "FUNCTIONS_WORKER_RUNTIME", "value": "python"},
            {"name": "APPLICATIONINSIGHTS_CONNECTION_STRING", "value": insights.connection_string},
            {"name": "WEBSITE_RUN_FROM_PACKAGE", "value": package.url},
        ],
    },
)

pulumi.export("endpoint", app.default_host_name.apply(lambda host: f"https://{host}/api/collections"))
pulumi.export("storage_connection", Output.secret(storage_connection))
