"""Westmoor Borough Council resource names: <kind>-<service>-<environment>-<region code>."""

REGIONS = {"uksouth": "uks", "ukwest": "ukw"}


def name(kind: str, service: str, environment: str, location: str) -> str:
    return f"{kind}-{service}-{environment}-{REGIONS[location]}"


def compact(kind: str, service: str, environment: str, location: str) -> str:
    """Storage accounts: lower-case letters and digits only, at most 24 characters."""
    return name(kind, service, environment, location).replace("-", "")[:24]


def tags(service: str, environment: str) -> dict[str, str]:
    return {"service": service, "environment": environment, "owner": "planning-team",
            "data-classification": "OFFICIAL"}
