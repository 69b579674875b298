"""Noticeboard: a static site in a storage account, fronted by Azure CDN.

The location comes from the stack's azure-native:location, so no resource names one.
"""
import pulumi
from pulumi_azure_native import cdn, resources, storage

config = pulumi.Config()
index_document = config.get("indexDocument") or "index.html"

rg = resources.ResourceGroup("noticeboard")

site_account = storage.StorageAccount(
    "noticesite",
    resource_group_name=rg.name,
    kind=storage.Kind.STORAGE_V2,
    sku=storage.SkuArgs(name=storage.SkuName.STANDARD_LRS),
    enable_https_traffic_only=True,
    minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
    allow_blob_public_access=False,
)

website = storage.StorageAccountStaticWebsite(
    "website",
    account_name=site_account.name,
    resource_group_name=rg.name,
    index_document=index_document,
    error404_document="404.html",
)

for page in ("index.html", "404.html"):
    storage.Blob(
        page.replace(".", "-"),
        blob_name=page,
        resource_group_name=rg.name,
        account_name=site_account.name,
        container_name=website.container_name,
        type=storage.BlobType.BLOCK,
        source=pulumi.FileAsset(f"wwwroot/{page}"),
        content_type="text/html",
    )

# "https://<account>.z33.web.core.windows.net/" -> "<account>.z33.web.core.windows.net"
origin_host = site_account.primary_endpoints.apply(
    lambda endpoints: endpoints.web.replace("https://", "").rstrip("/")
)

profile = cdn.Profile(
    "noticecdn",
    resource_group_name=rg.name,
    location="global",
    sku=cdn.SkuArgs(name=cdn.SkuName.STANDARD_MICROSOFT),
)

endpoint = cdn.Endpoint(
    "noticeendpoint",
    resource_group_name=rg.name,
    profile_name=profile.name,
    location="global",
    is_http_allowed=False,
    is_https_allowed=True,
    origin_host_header=origin_host,
    origins=[cdn.DeepCreatedOriginArgs(name="site", host_name=origin_host, https_port=443)],
)

pulumi.export("static_endpoint", site_account.primary_endpoints.web)
pulumi.export("cdn_url", endpoint.host_name.apply(lambda host: f"https://{host}"))
