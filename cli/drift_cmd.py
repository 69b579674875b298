"""`borough drift`: deployed stacks against the live cloud, and the inventory against reality."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from cli.common import OutputFormat, cli_command, emit

CREDENTIALS_HELP = (
    "Azure credentials, first that applies: BOROUGH_AZURE_ACCESS_TOKEN (a bearer token); ARM_CLIENT_ID + ARM_TENANT_ID "
    "with ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH or ARM_USE_OIDC (+ ARM_OIDC_TOKEN / ARM_OIDC_TOKEN_FILE_PATH); "
    "ARM_USE_MSI=true (managed identity); else azure-identity's default chain: AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/"
    "AZURE_TENANT_ID, workload or managed identity, `az login`. AWS: boto3's standard chain (AWS_* variables, "
    "--aws-profile, instance roles)."
)
app = typer.Typer(help="Drift checks: stacks against live Azure, the inventory against live resources.\n\n" + CREDENTIALS_HELP,
                  no_args_is_help=True)


class DriftFormat(str, Enum):
    """The formats drift reports render to: ``--help`` lists exactly these."""

    table = "table"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"

    @property
    def output(self) -> OutputFormat:
        return OutputFormat(self.value)


FormatOpt = Annotated[DriftFormat, typer.Option("--format", "-f", help="Report format.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.")]
EndpointOpt = Annotated[
    Optional[str],
    typer.Option("--azure-endpoint", envvar="BOROUGH_AZURE_ENDPOINT",
                 help="ARM endpoint (default https://management.azure.com; http only on loopback, for testing)."),
]
RetriesOpt = Annotated[int, typer.Option("--retries", min=0, max=20, help=(
    "Retries per request (after the first attempt) on throttling, 5xx, timeouts and dropped connections, on Azure and "
    "AWS alike. An endpoint that refuses the connection is not retried."))]
BackoffOpt = Annotated[float, typer.Option("--retry-backoff", min=0.0, max=60.0, help=(
    "Backoff factor in seconds, on Azure and AWS: retry n waits factor x 2^(n-1) s (the first at once), "
    "at most 60 s; Azure's Retry-After wins when sent."))]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, max=600.0, help="Seconds each request may wait for an answer (connecting and reading); a timed-out read is retried like other transient failures.")]


def _azure(endpoint: str | None, retries: int, backoff: float, timeout: float) -> Any:
    from inventory.live.azure import PUBLIC_ENDPOINT, AzureSettings

    return AzureSettings(endpoint=endpoint or PUBLIC_ENDPOINT, retry_total=retries,
                         retry_backoff_factor=backoff).with_timeout(timeout)


def _finish(report: Any, fmt: DriftFormat, output: Path | None, artifact: str | None = None) -> None:
    from cli.common import dumps_json
    from cli.render import render_tables

    if fmt is DriftFormat.sarif:
        text = dumps_json(report.to_sarif(artifact))
    elif fmt is DriftFormat.json:
        text = dumps_json(report.to_dict())
    else:
        text = render_tables(report.tables(), fmt.output)
    emit(text, output)
    if report.not_read:
        typer.echo(f"borough: incomplete: {len(report.not_read)} thing(s) not read; the report names them", err=True)
    raise typer.Exit(report.exit_code)


@app.command("stack", help="Compare a deployed stack with live Azure: modified, deleted and hand-made resources. "
             "Reads the subscriptions and resource groups named in the state.\n\n" + CREDENTIALS_HELP)
@cli_command
def stack(
    state: Annotated[Optional[Path], typer.Option("--state", help="A `pulumi stack export` file (deployment v3).")] = None,
    stack_name: Annotated[Optional[str], typer.Option("--stack", help="Fetch the state through the Pulumi Automation API (needs the Pulumi CLI).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="A resource that cannot be rendered to ARM makes the report incomplete (exit 3).")] = False,
    azure_endpoint: EndpointOpt = None,
    retries: RetriesOpt = 5,
    retry_backoff: BackoffOpt = 0.8,
    timeout: TimeoutOpt = 60.0,
    fmt: FormatOpt = DriftFormat.table,
    output: OutputOpt = None,
) -> None:
    """Compare a deployed stack with live Azure (help text above, with the credential sources)."""
    if (state is None) == (stack_name is None):
        raise typer.BadParameter("give exactly one of --state EXPORT.json or --stack NAME", param_hint="--state/--stack")
    from deployed.drift_compare import check_stack
    from deployed.drift_get import desired_from_stack
    from deployed.state import load_state

    graph = load_state(state) if state is not None else desired_from_stack(str(stack_name))
    report = check_stack(graph, _azure(azure_endpoint, retries, retry_backoff, timeout), strict=strict)
    _finish(report, fmt, output, str(state) if state else None)


@app.command("inventory", help="Reconcile the register with live resources by their system-id tag.\n\n" + CREDENTIALS_HELP)
@cli_command
def inventory(
    azure_subscription: Annotated[Optional[List[str]], typer.Option("--azure-subscription", help=(
        "Subscription id to read (repeatable). With neither this nor --aws-region: ARM_SUBSCRIPTION_ID, "
        "else AZURE_SUBSCRIPTION_ID."))] = None,
    aws_region: Annotated[Optional[List[str]], typer.Option("--aws-region", help="AWS region to read (repeatable).")] = None,
    aws_profile: Annotated[Optional[str], typer.Option("--aws-profile", help="AWS profile (default: the standard credential chain).")] = None,
    aws_endpoint_url: Annotated[Optional[str], typer.Option("--aws-endpoint-url", envvar="BOROUGH_AWS_ENDPOINT_URL", help="AWS endpoint (moto/LocalStack, for testing).")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL (default: BOROUGH_DB, else .borough/inventory.db).")] = None,
    azure_endpoint: EndpointOpt = None,
    retries: RetriesOpt = 5,
    retry_backoff: BackoffOpt = 0.8,
    timeout: TimeoutOpt = 60.0,
    fmt: FormatOpt = DriftFormat.table,
    output: OutputOpt = None,
) -> None:
    """Reconcile the register with live resources (help text above, with the credential sources)."""
    from inventory.drift import check_inventory
    from inventory.live.aws import AwsSettings

    aws = AwsSettings(profile=aws_profile, endpoint_url=aws_endpoint_url, retries=retries, retry_backoff_factor=retry_backoff,
                      read_timeout=timeout)
    report = check_inventory(list(azure_subscription or []), list(aws_region or []), db=db,
                             azure=_azure(azure_endpoint, retries, retry_backoff, timeout), aws=aws)
    _finish(report, fmt, output)
