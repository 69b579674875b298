import pulumi
import pulumi_random as random
from pulumi_azure_native import resources, sql

cfg = pulumi.Config()
admin_login = cfg.get("adminLogin") or "sqladmin"
office_ip = cfg.require("officeIp")

rg = resources.ResourceGroup("allotments-rg")

# Never typed by a person, never stored outside the state file.
admin_password = random.RandomPassword(
    "sql-admin-password",
    length=24,
    special=True,
    override_special="!#%*-_=+",
    min_lower=2,
    min_upper=2,
    min_numeric=2,
    min_special=2,
)

server = sql.Server(
    "allotments-sql",
    resource_group_name=rg.name,
    administrator_login=admin_login,
    administrator_login_password=admin_password.result,
    version="12.0",
    minimal_tls_version="1.2",
    public_network_access=sql.ServerNetworkAccessFlag.ENABLED,
)

db = sql.Database(
    "waitinglist",
    resource_group_name=rg.name,
    server_name=server.name,
    sku=sql.SkuArgs(name="S0", tier="Standard"),
)

sql.FirewallRule(
    "office",
    resource_group_name=rg.name,
    server_name=server.name,
    start_ip_address=office_ip,
    end_ip_address=office_ip,
)

connection_string = pulumi.Output.concat(
    "Server=tcp:", server.fully_qualified_domain_name, ",1433;",
    "Initial Catalog=", db.name, ";",
    "User ID=", admin_login, ";",
    "Password=", admin_password.result, ";Encrypt=true;",
)

pulumi.export("server_fqdn", server.fully_qualified_domain_name)
pulumi.export("connection_string", connection_string)
