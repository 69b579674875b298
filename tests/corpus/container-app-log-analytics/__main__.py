import pulumi
from pulumi_azure_native import app, operationalinsights, resources

config = pulumi.Config()
image = config.require("image")
openai_key = config.require_secret("openAiKey")

rg = resources.ResourceGroup("chatbot")

workspace = operationalinsights.Workspace(
    "chatbot-logs",
    resource_group_name=rg.name,
    sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
    retention_in_days=90,
)

shared_keys = operationalinsights.get_shared_keys_output(
    resource_group_name=rg.name,
    workspace_name=workspace.name,
)

environment = app.ManagedEnvironment(
    "chatbot-env",
    resource_group_name=rg.name,
    app_logs_configuration=app.AppLogsConfigurationArgs(
        destination="log-analytics",
        log_analytics_configuration=app.LogAnalyticsConfigurationArgs(
            customer_id=workspace.customer_id,
            shared_key=shared_keys.primary_shared_key,
        ),
    ),
)

api = app.ContainerApp(
    "chatbot-api",
    resource_group_name=rg.name,
    managed_environment_id=environment.id,
    configuration=app.ConfigurationArgs(
        ingress=app.IngressArgs(external=True, target_port=80, allow_insecure=False),
        secrets=[app.SecretArgs(name="openai-key", value=openai_key)],
    ),
    template=app.TemplateArgs(
        containers=[
            app.ContainerArgs(
                name="api",
                image=image,
                resources=app.ContainerResourcesArgs(cpu=0.5, memory="1Gi"),
                env=[app.EnvironmentVarArgs(name="OPENAI_KEY", secret_ref="openai-key")],
            )
        ],
        scale=app.ScaleArgs(min_replicas=1, max_replicas=3),
    ),
)

pulumi.export("url", api.configuration.apply(lambda c: f"https://{c.ingress.fqdn}" if c and c.ingress else None))
pulumi.export("latest_revision", api.latest_revision_fqdn)
