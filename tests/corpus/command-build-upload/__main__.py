import hashlib
import pathlib

import pulumi
import pulumi_command as command
import pulumi_random as random
from pulumi_azure_native import resources, storage

SITE = pathlib.Path(__file__).parent / "site"
source_hash = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(SITE.rglob("*")) if p.is_file())).hexdigest()

rg = resources.ResourceGroup("roadworks")
suffix = random.RandomId("sa-suffix", byte_length=4)

account = storage.StorageAccount(
    "roadworks",
    account_name=suffix.hex.apply(lambda h: f"roadworks{h}"),
    resource_group_name=rg.name,
    kind="StorageV2",
    sku={"name": "Standard_GRS"},
    minimum_tls_version="TLS1_2",
    allow_blob_public_access=False,
)

site = storage.StorageAccountStaticWebsite(
    "roadworks-site", account_name=account.name, resource_group_name=rg.name, index_document="index.html"
)

# Build step: runs only when the source changes. Under `pulumi preview` nothing runs either.
build = command.local.Command(
    "build-frontend",
    create="npm ci && npm run build",
    dir=str(SITE),
    triggers=[source_hash],
    environment={"NODE_ENV": "production"},
)

# Purge the CDN-less cache hint once the upload is done
notify = command.local.Command(
    "announce",
    create=site.container_name.apply(lambda c: f"echo uploaded to {c}"),
    opts=pulumi.ResourceOptions(depends_on=[build]),
)

storage.Blob(
    "index",
    blob_name="index.html",
    resource_group_name=rg.name,
    account_name=account.name,
    container_name=site.container_name,
    content_type="text/html",
    source=pulumi.FileAsset(str(SITE / "index.html")),
    opts=pulumi.ResourceOptions(depends_on=[build]),
)

pulumi.export("url", account.primary_endpoints.web)
pulumi.export("build_log", build.stdout)
pulumi.export("announce", notify.stdout)
