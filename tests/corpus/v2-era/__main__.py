"""Housing repairs API: Cosmos DB for jobs, Application Insights for telemetry, an App Service.

Written for pulumi-azure-native v2, whose `documentdb` and `insights` modules v3 renamed.
"""

import pulumi
from pulumi_azure_native import documentdb, insights, resources, web

config = pulumi.Config()
app_name = config.require("appName")

group = resources.ResourceGroup(f"rg-{app_name}")

telemetry = insights.Component(
    f"appi-{app_name}",
    resource_group_name=group.name,
    kind="web",
    application_type=insights.ApplicationType.WEB,
    ingestion_mode=insights.IngestionMode.APPLICATION_INSIGHTS,
)

jobs = documentdb.DatabaseAccount(
    f"cosmos-{app_name}",
    resource_group_name=group.name,
    database_account_offer_type=documentdb.DatabaseAccountOfferType.STANDARD,
    locations=[documentdb.LocationArgs(location_name=group.location, failover_priority=0)],
    consistency_policy=documentdb.ConsistencyPolicyArgs(
        default_consistency_level=documentdb.DefaultConsistencyLevel.SESSION),
    disable_local_auth=True,
    public_network_access=documentdb.PublicNetworkAccess.DISABLED,
)

plan = web.AppServicePlan(
    f"plan-{app_name}",
    resource_group_name=group.name,
    kind="linux",
    reserved=True,
    sku=web.SkuDescriptionArgs(name="P1v3", tier="PremiumV3"),
)

api = web.WebApp(
    f"app-{app_name}",
    resource_group_name=group.name,
    server_farm_id=plan.id,
    https_only=True,
    site_config=web.SiteConfigArgs(
        linux_fx_version="PYTHON|3.11",
        min_tls_version=web.SupportedTlsVersions.SUPPORTED_TLS_VERSIONS_1_2,
        ftps_state=web.FtpsState.DISABLED,
        app_settings=[
            web.NameValuePairArgs(name="APPLICATIONINSIGHTS_CONNECTION_STRING", value=telemetry.connection_string),
            web.NameValuePairArgs(name="COSMOS_ENDPOINT", value=jobs.document_endpoint),
        ],
    ),
)

pulumi.export("endpoint", api.default_host_name.apply(lambda host: f"https://{host}"))
