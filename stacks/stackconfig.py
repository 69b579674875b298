"""The bundled stacks' config, parsed once into a typed object and checked before any resource.

Errors name the stack file and the config key, so a platform engineer can fix the YAML without
reading Python. Keys live in the ``borough`` namespace with camelCase names, as in the files.
"""

from __future__ import annotations

import ipaddress
import json
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_camel

from stacks.naming import REGION_CODES, Names
from synth.errors import ConfigError

NAMESPACE = "borough"


class EnvironmentKind(str, Enum):
    platform = "platform"
    resident_services = "resident-services"
    data_platform = "data-platform"


class Stage(str, Enum):
    dev = "dev"
    test = "test"
    prod = "prod"


class Location(str, Enum):
    uksouth = "uksouth"
    ukwest = "ukwest"


class Classification(str, Enum):
    official = "OFFICIAL"
    official_sensitive = "OFFICIAL-SENSITIVE"


class PolicyInitiative(BaseModel):
    """A built-in regulatory compliance initiative (policy set) to assign at the stack's scope."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    display_name: str = Field(min_length=3)
    policy_set_definition_id: str = Field(
        pattern=r"^(/providers/Microsoft\.Management/managementGroups/[^/]+)?/providers/Microsoft\.Authorization/policySetDefinitions/[A-Za-z0-9-]+$")


class Tags(BaseModel):
    """The mandatory tags a stack file must give; ``system-id`` and ``environment`` come from keys."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    owner: str = Field(min_length=3)
    data_classification: Classification = Field(alias="data-classification")
    cost_centre: str = Field(alias="cost-centre", pattern=r"^[A-Za-z0-9-]{2,32}$")


class StackConfig(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)

    environment: EnvironmentKind
    system_id: str = Field(pattern=r"^[a-z][a-z0-9-]{2,62}$")
    stage: Stage
    location: Location
    app: str = Field(min_length=2, description="short app code used in resource names")
    tags: Tags
    hub_address_space: ipaddress.IPv4Network
    address_space: ipaddress.IPv4Network | None = None
    platform_stack: str | None = None
    log_retention_days: int | None = Field(default=None, ge=90, le=730)
    """Platform only (spokes log to the platform's workspace); defaults to 365 in prod, else 90."""
    policy_initiatives: list[PolicyInitiative] = Field(default_factory=list)
    web_runtime: str = "PYTHON|3.12"
    postgres_version: str = Field(default="16", pattern=r"^1[3-7]$")
    postgres_admin_group: str = Field(default="sg-borough-dba", min_length=1)
    admin_ssh_public_key: str | None = Field(default=None, pattern=r"^ssh-rsa AAAA[0-9A-Za-z+/]+={0,3}( [^\n]*)?$")
    """Platform only: the break-glass SSH key of the build agent (an RSA public key; sign-in is Entra ID)."""
    postgres_admin_object_id: str = Field(default="44444444-4444-4444-4444-444444444444",
                                          pattern=r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")

    @field_validator("app")
    @classmethod
    def _app_code(cls, value: str) -> str:
        if not value.isascii() or not value.isalnum() or not value[:1].isalpha() or value.lower() != value:
            raise ValueError(f"'{value}' must be lowercase letters and digits, starting with a letter "
                             "(it goes into storage account names)")
        return value

    @field_validator("hub_address_space", "address_space", mode="before")
    @classmethod
    def _cidr(cls, value: Any) -> Any:
        if value is None:
            return value
        try:
            network = ipaddress.IPv4Network(str(value), strict=True)
        except ValueError as exc:
            raise ValueError(f"not a valid IPv4 CIDR: {exc}") from None
        if not network.is_private:
            raise ValueError(f"{network} is not a private address space (RFC 1918)")
        if network.prefixlen > 22:
            raise ValueError(f"{network} is too small: use a /22 or larger so subnets fit")
        return network

    @model_validator(mode="after")
    def _cross_checks(self) -> "StackConfig":
        if self.environment is EnvironmentKind.platform:
            if self.address_space is not None:
                raise _KeyError("addressSpace", "the platform stack uses hubAddressSpace only")
            if self.stage is Stage.prod and self.retention_days < 365:
                raise _KeyError("logRetentionDays", "prod keeps logs for at least 365 days")
            if not self.admin_ssh_public_key:
                raise _KeyError("adminSshPublicKey", "the platform's build agent needs a break-glass SSH public key "
                                "(ssh-rsa ...); password sign-in is disabled")
            if not self.policy_initiatives:
                raise _KeyError("policyInitiatives", "the platform assigns at least one regulatory initiative "
                                "(e.g. UK OFFICIAL and UK NHS)")
        else:
            if self.policy_initiatives:
                raise _KeyError("policyInitiatives", "initiatives are assigned by the platform stack, not spokes")
            if self.admin_ssh_public_key is not None:
                raise _KeyError("adminSshPublicKey", "the build agent is part of the platform stack, not spokes")
            if self.log_retention_days is not None:
                raise _KeyError("logRetentionDays", "spokes send logs to the platform's workspace; set it on the platform stack")
            if self.address_space is None:
                raise _KeyError("addressSpace", "a spoke environment needs its own address space")
            if self.address_space.overlaps(self.hub_address_space):
                raise _KeyError("addressSpace", f"{self.address_space} overlaps the hub's {self.hub_address_space}")
            if not self.platform_stack:
                raise _KeyError("platformStack", "a spoke needs the platform stack to reference, e.g. organization/borough/platform-prod")
        problem = self.names().first_illegal()
        if problem:
            raise _KeyError("app", problem)
        return self

    def names(self) -> Names:
        """The CAF names of this stack's resources (app code, stage, region)."""
        return Names(app=self.app, stage=self.stage.value, region=REGION_CODES[self.location.value])

    @property
    def retention_days(self) -> int:
        if self.log_retention_days is not None:
            return self.log_retention_days
        return 365 if self.stage is Stage.prod else 90

    @property
    def is_prod(self) -> bool:
        return self.stage is Stage.prod

    def mandatory_tags(self) -> dict[str, str]:
        extra = {k: str(v) for k, v in (self.tags.model_extra or {}).items()}
        return {
            **extra,
            "system-id": self.system_id,
            "owner": self.tags.owner,
            "environment": self.stage.value,
            "data-classification": self.tags.data_classification.value,
            "cost-centre": self.tags.cost_centre,
        }


class _KeyError(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def parse_config(values: dict[str, str], source: str, overridden: frozenset[str] = frozenset()) -> StackConfig:
    """Config strings (as Pulumi hands them over) -> ``StackConfig``, or a ``ConfigError``.

    An error in a key named in ``overridden`` (set by ``--config``) is blamed on ``--config``,
    any other on ``source`` (the stack file)."""
    data: dict[str, Any] = {}
    for full_key, raw in values.items():
        namespace, _, key = full_key.partition(":")
        if namespace != NAMESPACE:
            continue
        data[key] = _decode(raw)
    try:
        return StackConfig.model_validate(data)
    except ValidationError as exc:
        raise _to_config_error(exc, source, overridden) from None


def _decode(raw: str) -> Any:
    text = raw.strip()
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return raw
    return raw


def _to_config_error(exc: ValidationError, source: str, overridden: frozenset[str] = frozenset()) -> ConfigError:
    error = exc.errors()[0]
    loc = [str(p) for p in error["loc"]]
    ctx = error.get("ctx") or {}
    inner = ctx.get("error")
    if isinstance(inner, _KeyError):
        key = inner.key
        message = str(inner)
    else:
        key = ".".join(loc) if loc else "?"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required key is missing"
        elif error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling)"
    given = f"{NAMESPACE}:{key.split('.')[0]}"
    if given in overridden:
        return ConfigError(f"--config {NAMESPACE}:{key}: {message}", f"give --config {given} a valid value, or leave it out to use {source}")
    return ConfigError(f"{source}: key '{NAMESPACE}:{key}': {message}",
                       "fix the stack file or pass --config KEY=VALUE")


def load_from_pulumi() -> StackConfig:
    """Inside a running program: read every ``borough:*`` key the engine passed in."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    from synth.project import OVERRIDDEN_KEY

    values = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    source = f"Pulumi.{pulumi.get_stack()}.yaml"
    return parse_config(values, source, _overridden(values.get(OVERRIDDEN_KEY)))


def _overridden(raw: str | None) -> frozenset[str]:
    try:
        keys = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        return frozenset()
    return frozenset(k for k in keys if isinstance(k, str)) if isinstance(keys, list) else frozenset()
