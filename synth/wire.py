"""Values on the wire between a Pulumi program and its engine, and what the mocks make of them.

The SDK sends inputs as a protobuf ``Struct`` in which secrets, assets, archives, resource
references and output values are objects tagged with a signature key. The graph never holds a
secret (``plain`` turns them into ``[secret]``); the answers handed back to the program keep the
tags (``echo``), so a secret input stays secret and a ``FileAsset`` stays an asset.
"""

from __future__ import annotations

from typing import Any, Iterable

from synth.graph import SECRET

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ASSET_SIGS = {"c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"}
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def plain(value: Any) -> Any:
    """Protobuf struct (as JSON) -> plain data: secrets redacted, resource refs as URNs, ints kept."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            return SECRET
        if sig == RESOURCE_SIG:
            return value.get("urn")
        if sig == OUTPUT_SIG:
            return SECRET if value.get("secret") else plain(value.get("value"))
        if sig in ASSET_SIGS:
            return {k: v for k, v in value.items() if k != SIG_KEY}
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == UNKNOWN:
        return None
    return value


def struct_to_plain(struct: Any) -> dict[str, Any]:
    return plain(struct_to_wire(struct))


def struct_to_wire(struct: Any) -> dict[str, Any]:
    """Protobuf struct -> JSON as sent: secrets, assets and archives keep their signatures."""
    from google.protobuf import json_format

    return json_format.MessageToDict(struct) if struct is not None else {}


def echo(value: Any) -> Any:
    """What the engine hands back of what it was given: secrets stay secret (with their value, for
    the program), assets stay assets; resource references come back as URNs, as ``plain`` shows them."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == RESOURCE_SIG:
            return value.get("urn")
        if sig == OUTPUT_SIG:
            inner = echo(value.get("value"))
            return {SIG_KEY: SECRET_SIG, "value": inner} if value.get("secret") else inner
        if sig is not None:
            return value
        return {k: echo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [echo(v) for v in value]
    return value


def reveal(value: Any) -> Any:
    """Wire values as a provider sees them: secrets unwrapped (only answers are computed from this)."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return reveal(value.get("value"))
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def overlay(base: Any, given: Any) -> Any:
    """``given`` laid over ``base``: objects merge key by key, anything else (lists, scalars,
    secrets, assets) is ``given`` whole. What the program set is never overwritten."""
    if isinstance(base, dict) and isinstance(given, dict) and SIG_KEY not in base and SIG_KEY not in given:
        merged = dict(base)
        for key, value in given.items():
            merged[key] = overlay(base[key], value) if key in base else value
        return merged
    return given


def mark_secret(outputs: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``additionalSecretOutputs``: the engine marks these outputs secret before the program sees them."""
    for name in names:
        value = outputs.get(name)
        if name in outputs and not (isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG):
            outputs[name] = {SIG_KEY: SECRET_SIG, "value": value}
    return outputs


def secret(value: Any) -> dict[str, Any]:
    """``value`` tagged secret, as a provider answers a credential."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def plain_to_struct(data: dict[str, Any]) -> Any:
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update(data)
    return struct
