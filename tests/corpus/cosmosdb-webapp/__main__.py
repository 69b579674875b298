import pulumi
from pulumi_azure_native import cosmosdb, resources, web

cfg = pulumi.Config()
database_name = cfg.get("databaseName") or "events"

group = resources.ResourceGroup("events")

account = cosmosdb.DatabaseAccount(
    "events-cosmos",
    resource_group_name=group.name,
    database_account_offer_type=cosmosdb.DatabaseAccountOfferType.STANDARD,
    locations=[cosmosdb.LocationArgs(location_name="uksouth", failover_priority=0, is_zone_redundant=False)],
    consistency_policy=cosmosdb.ConsistencyPolicyArgs(
        default_consistency_level=cosmosdb.DefaultConsistencyLevel.SESSION,
    ),
    disable_local_auth=False,
    public_network_access="Enabled",
)

db = cosmosdb.SqlResourceSqlDatabase(
    "events-db",
    resource_group_name=group.name,
    account_name=account.name,
    resource=cosmosdb.SqlDatabaseResourceArgs(id=database_name),
)

container = cosmosdb.SqlResourceSqlContainer(
    "listings",
    resource_group_name=group.name,
    account_name=account.name,
    database_name=db.name,
    resource=cosmosdb.SqlContainerResourceArgs(
        id="listings",
        partition_key=cosmosdb.ContainerPartitionKeyArgs(paths=["/ward"], kind="Hash"),
    ),
    options=cosmosdb.CreateUpdateOptionsArgs(throughput=400),
)

connection_strings = cosmosdb.list_database_account_connection_strings_output(
    resource_group_name=group.name, account_name=account.name
)
primary = connection_strings.connection_strings.apply(lambda cs: cs[0].connection_string)

plan = web.AppServicePlan(
    "events-plan",
    resource_group_name=group.name,
    kind="Linux",
    reserved=True,
    sku=web.SkuDescriptionArgs(name="B1", tier="Basic"),
)

site = web.WebApp(
    "events-site",
    resource_group_name=group.name,
    server_farm_id=plan.id,
    https_only=True,
    site_config=web.SiteConfigArgs(
        linux_fx_version="NODE|20-lts",
        http20_enabled=True,
        ftps_state=web.FtpsState.DISABLED,
        app_settings=[
            web.NameValuePairArgs(name="COSMOS_CONNECTION", value=primary),
            web.NameValuePairArgs(name="COSMOS_ENDPOINT", value=account.document_endpoint),
            web.NameValuePairArgs(name="COSMOS_DATABASE", value=database_name),
        ],
    ),
)

pulumi.export("site", site.default_host_name.apply(lambda h: f"https://{h}"))
pulumi.export("cosmos_endpoint", account.document_endpoint)
