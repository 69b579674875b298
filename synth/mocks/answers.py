"""Which provider answers a registration or a function call, and how its answer is assembled.

Every answer is built the same way: the SDK's shape of the type's outputs (``synth.mocks.sdk_shapes``)
filled with the provider's realistic values (``azure``, ``companions``), then the
program's own inputs laid over it unchanged (``wire.overlay``): a storage ``Blob``'s ``type:
Block`` stays ``Block``, a ``FileAsset`` stays an asset, a secret stays secret.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

from synth.mocks.azure import ArmIdentity, AzureContext, arm_identity, resource_outputs, settle, stable_uuid
from synth.mocks.sdk_shapes import ShapeRules, resource_shape, result_shape
from synth.graph import SECRET
from synth.wire import echo, overlay, plain, reveal

COMPONENT_TYPES = ("pulumi:pulumi:Stack",)


@dataclass
class Registration:
    """One resource as its provider sees it: type token, logical name, URN and wire inputs."""

    token: str
    name: str
    urn: str
    inputs: dict[str, Any]
    stack_outputs: Callable[[str], dict[str, Any]] = field(default=lambda ref: {})
    read_id: str | None = None
    """The id a program reads an existing resource by (``Resource.get``): Azure answers for that one."""


def new_resource(reg: Registration, custom: bool) -> tuple[str | None, dict[str, Any]]:
    """``(id, outputs)`` for a registration; outputs are wire values (secrets still tagged)."""
    if not custom or reg.token in COMPONENT_TYPES:
        return None, {}
    given = echo(reg.inputs)
    if reg.token == "pulumi:pulumi:StackReference":
        ref = str(plain(reg.inputs).get("name") or reg.name)
        return ref, {"name": ref, "outputs": reg.stack_outputs(ref), "secretOutputNames": []}
    if reg.token.startswith("pulumi:providers:"):
        return stable_uuid(reg.urn), given
    if reg.token.startswith("azure-native:"):
        inputs = plain(reg.inputs)
        arm = arm_identity(reg.token, reg.name, inputs)
        if reg.read_id and reg.read_id.startswith("/subscriptions/"):
            arm = ArmIdentity(arm.arm_type, reg.read_id.rstrip("/").rsplit("/", 1)[-1], reg.read_id)
        location = inputs.get("location") if isinstance(inputs.get("location"), str) else None
        ctx = AzureContext(reg.token, arm.name, reg.urn, arm.id, arm.arm_type, inputs, location)
        return arm.id, settle(ctx, overlay(resource_outputs(ctx), given))
    return _companion(reg, given)


def _companion(reg: Registration, given: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from synth.mocks.companions import ANSWERS, companion_namer

    shape = resource_shape(reg.token, ShapeRules(namer=companion_namer(reg.urn)))
    answer = ANSWERS.get(reg.token)
    if answer is not None:
        try:
            resource_id, answered = answer(reg.urn, reg.name, reveal(reg.inputs))
        except ImportError:  # a program's own virtualenv without cryptography: the shape alone
            answered, resource_id = {}, _default_id(reg)
        return resource_id, overlay(overlay(shape, answered), given)
    return _default_id(reg), overlay(shape, given)


def _default_id(reg: Registration) -> str:
    return f"{reg.name}-{hashlib.sha256(reg.urn.encode()).hexdigest()[:8]}"


def invoke_result(token: str, wire_args: dict[str, Any]) -> dict[str, Any]:
    """The answer to a provider function call. The provider computes from the arguments as given
    (secrets revealed); only non-secret arguments are echoed into the result."""
    args = reveal(wire_args)
    echoed = {k: v for k, v in args.items() if plain(wire_args[k]) != SECRET}
    if token.startswith("azure-native:"):
        from synth.mocks.azure_invokes import azure_invoke

        return azure_invoke(token, args, echoed)
    if token.endswith(":getClientConfig") and not token.startswith("azuread:"):
        from synth.mocks.azure_invokes import client_config

        return client_config()
    from synth.mocks.companions import companion_invoke, companion_namer

    try:
        answered = companion_invoke(token, args)
    except ImportError:  # a program's own virtualenv without cryptography: the result's shape alone
        answered = None
    if answered is not None:
        return answered
    seed = f"invoke:{token}:{sorted(echoed.items())!r}"
    shaped = result_shape(token, ShapeRules(namer=companion_namer(seed), list_items=1))
    return {**echoed, **shaped} if shaped is not None else echoed
