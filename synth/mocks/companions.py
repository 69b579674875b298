"""What the companion providers Azure programs use answer: random, tls, azuread, command, docker,
docker-build (and synced-folder's components, which answer with their inputs and SDK shape).

Each answers as the real provider does, from a seed (the resource's URN) instead of randomness,
so the same program gives the same graph: a ``RandomPassword`` honours its length and character
classes, a ``tls.PrivateKey`` has working PEM and OpenSSH forms, an Entra application gets a
client id and an object id. Secret outputs (``result``, ``privateKeyPem``, a password's ``value``)
are marked secret by the SDK's own ``additionalSecretOutputs``; the graph shows them as
``[secret]``. Outputs not answered here take their shape from the SDK (``synth.mocks.sdk_shapes``).
"""

from __future__ import annotations

import base64
import hashlib
import random
import string
from typing import Any, Callable

from synth.mocks.azure import TENANT_ID, fake_key, stable_uuid
from synth.mocks.sdk_shapes import DEFAULT, Path

DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"
_ADJECTIVES = ("able", "brave", "calm", "deep", "eager", "fair", "glad", "keen", "lucky", "noble", "proud", "quick")
_NAMES = ("badger", "heron", "otter", "robin", "stoat", "swift", "vole", "wren", "finch", "hare", "lark", "newt")

Answer = Callable[[str, str, dict[str, Any]], tuple[str, dict[str, Any]]]
"""``(urn, logical name, inputs) -> (id, outputs)``."""


def companion_namer(urn: str) -> Callable[[Path, Any], Any]:
    """Ids Entra ID and friends put in fields nobody set (object ids, client ids, tenant)."""

    def namer(path: Path, typ: Any) -> Any:
        key = path[-1]
        if key in ("objectId", "clientId", "applicationId", "keyId", "principalId"):
            return stable_uuid(f"{urn}#{'/'.join(path)}")
        if key in ("tenantId", "applicationTenantId"):
            return TENANT_ID
        return DEFAULT

    return namer


def _rng(urn: str) -> random.Random:
    return random.Random(hashlib.sha256(urn.encode()).digest())


def _flag(inputs: dict[str, Any], key: str, default: bool = True) -> bool:
    value = inputs.get(key)
    return default if value is None else bool(value)


def _count(inputs: dict[str, Any], key: str, default: int = 0) -> int:
    value = inputs.get(key)
    return int(value) if isinstance(value, (int, float)) else default


def random_text(urn: str, inputs: dict[str, Any]) -> str:
    """``RandomPassword``/``RandomString``: ``length`` characters from the enabled classes, with
    at least ``min*`` of each, as the provider guarantees."""
    rng = _rng(urn)
    special = inputs.get("overrideSpecial") if isinstance(inputs.get("overrideSpecial"), str) else DEFAULT_SPECIAL
    classes = [
        (string.ascii_lowercase, _flag(inputs, "lower"), _count(inputs, "minLower")),
        (string.ascii_uppercase, _flag(inputs, "upper"), _count(inputs, "minUpper")),
        (string.digits, _flag(inputs, "numeric", _flag(inputs, "number")), _count(inputs, "minNumeric")),
        (special, _flag(inputs, "special"), _count(inputs, "minSpecial")),
    ]
    enabled = [(chars, minimum) for chars, on, minimum in classes if on and chars]
    pool = "".join(chars for chars, _ in enabled) or string.ascii_letters
    chars = [rng.choice(chars) for chars, minimum in enabled for _ in range(minimum)]
    length = max(_count(inputs, "length", 16), len(chars))
    chars += [rng.choice(pool) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


def _text_defaults(inputs: dict[str, Any]) -> dict[str, Any]:
    """The provider's defaults for the inputs a program left out (all classes on, no minimums)."""
    flags = {k: True for k in ("lower", "upper", "numeric", "number", "special")}
    minimums = {k: 0 for k in ("minLower", "minUpper", "minNumeric", "minSpecial")}
    return {**flags, **minimums, **inputs}


def _password(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = random_text(urn, inputs)
    salt = base64.b64encode(hashlib.sha256(f"{urn}#salt".encode()).digest()).decode()[:53]
    return "none", {**_text_defaults(inputs), "result": result, "bcryptHash": f"$2a$10${salt}"}


def _string(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = random_text(urn, inputs)
    return result, {**_text_defaults(inputs), "result": result}


def _pet(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rng = _rng(urn)
    words = [rng.choice(_ADJECTIVES) for _ in range(max(_count(inputs, "length", 2), 1) - 1)] + [rng.choice(_NAMES)]
    if inputs.get("prefix"):
        words.insert(0, str(inputs["prefix"]))
    pet = str(inputs.get("separator") if inputs.get("separator") is not None else "-").join(words)
    return pet, {**inputs, "id": pet}


def _random_id(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    raw = hashlib.sha512(urn.encode()).digest()[:max(_count(inputs, "byteLength", 8), 1)]
    prefix = str(inputs.get("prefix") or "")
    b64_url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return b64_url, {**inputs, "b64Url": prefix + b64_url, "b64Std": prefix + base64.b64encode(raw).decode(),
                     "hex": prefix + raw.hex(), "dec": prefix + str(int.from_bytes(raw, "big"))}


def _integer(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    low, high = _count(inputs, "min", 0), _count(inputs, "max", 0)
    value = _rng(urn + str(inputs.get("seed") or "")).randint(min(low, high), max(low, high))
    return str(value), {**inputs, "result": value}


def _uuid(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    value = stable_uuid(urn)
    return value, {**inputs, "result": value}


def _bytes(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    raw = hashlib.sha512(urn.encode()).digest() * 4
    raw = raw[:max(_count(inputs, "length", 32), 1)]
    return "none", {**inputs, "base64": base64.b64encode(raw).decode(), "hex": raw.hex()}


def _shuffle(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    items = list(inputs.get("inputs") or [])
    _rng(urn).shuffle(items)
    count = _count(inputs, "resultCount", len(items))
    return "-", {**inputs, "results": items[:count]}


def _private_key(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from synth.mocks.tls_keys import private_key

    algorithm = str(inputs.get("algorithm") or "RSA")
    key = private_key(urn, algorithm, _count(inputs, "rsaBits", 2048), str(inputs.get("ecdsaCurve") or "P224"))
    key_id = hashlib.sha1(key.public_key_pem.encode(), usedforsecurity=False).hexdigest()
    return key_id, {**inputs, "ecdsaCurve": inputs.get("ecdsaCurve") or "P224", "rsaBits": inputs.get("rsaBits") or 2048,
                    **key.outputs()}


def _self_signed(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from synth.mocks.tls_keys import self_signed_cert

    subject = inputs.get("subject") if isinstance(inputs.get("subject"), dict) else {}
    dns = [str(n) for n in inputs.get("dnsNames") or []]
    pem = self_signed_cert(urn, str(inputs.get("privateKeyPem") or ""), subject, dns,
                           _count(inputs, "validityPeriodHours", 24), bool(inputs.get("isCaCertificate")))
    serial = str(int(hashlib.sha256(urn.encode()).hexdigest()[:30], 16))
    return serial, {**inputs, "certPem": pem, "validityStartTime": "2025-01-01T00:00:00Z", "readyForRenewal": False}


def _application(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    object_id, client_id = stable_uuid(f"{urn}#object"), stable_uuid(f"{urn}#client")
    return f"/applications/{object_id}", {**inputs, "objectId": object_id, "clientId": client_id,
                                           "applicationId": client_id, "publisherDomain": "example.onmicrosoft.com"}


def _service_principal(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    object_id = stable_uuid(f"{urn}#object")
    client_id = inputs.get("clientId") or inputs.get("applicationId") or stable_uuid(f"{urn}#client")
    return f"/servicePrincipals/{object_id}", {**inputs, "objectId": object_id, "clientId": client_id,
                                                "applicationId": client_id, "applicationTenantId": TENANT_ID,
                                                "servicePrincipalNames": [str(client_id)], "type": "Application"}


def _password_credential(kind: str) -> Answer:
    def answer(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        key_id = stable_uuid(f"{urn}#key")
        owner = inputs.get("servicePrincipalId") or inputs.get("applicationId") or inputs.get("applicationObjectId") or ""
        value = fake_key(f"{urn}#value", 30)[:40]
        return f"{owner}/{kind}/{key_id}", {**inputs, "keyId": key_id, "value": value,
                                             "startDate": "2025-01-01T00:00:00Z", "endDate": "2027-01-01T00:00:00Z"}

    return answer


def _object(kind: str) -> Answer:
    def answer(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        object_id = stable_uuid(f"{urn}#object")
        return f"/{kind}/{object_id}", {**inputs, "objectId": object_id}

    return answer


def _docker_image(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A built and pushed image: its digest names it uniquely (``repo@sha256:...``)."""
    image = str(inputs.get("imageName") or name)
    build = inputs.get("build") if isinstance(inputs.get("build"), dict) else {}
    registry = inputs.get("registry") if isinstance(inputs.get("registry"), dict) else {}
    repository = image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image
    digest = f"{repository}@sha256:{hashlib.sha256(urn.encode()).hexdigest()}"
    return digest, {**inputs, "baseImageName": image, "repoDigest": digest,
                    "registryServer": registry.get("server") or image.split("/", 1)[0],
                    "context": build.get("context") or ".", "dockerfile": build.get("dockerfile") or "Dockerfile",
                    "platform": build.get("platform") or ""}


def _docker_build_image(urn: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``docker-build.Image``: its ``ref`` is the first tag pinned to the image's digest (what the
    provider exports when the image is pushed), ``contextHash`` a hash of the build context."""
    digest = f"sha256:{hashlib.sha256(urn.encode()).hexdigest()}"
    tags = [str(t) for t in inputs.get("tags") or []]
    repository = tags[0].rsplit(":", 1)[0] if tags and ":" in tags[0].rsplit("/", 1)[-1] else (tags[0] if tags else "")
    ref = f"{repository}@{digest}" if repository else digest
    context = inputs.get("context") if isinstance(inputs.get("context"), dict) else {}
    context_hash = hashlib.sha256(f"{urn}#{context.get('location') or '.'}".encode()).hexdigest()
    return ref, {**inputs, "digest": digest, "ref": ref, "contextHash": context_hash, "push": bool(inputs.get("push"))}


ANSWERS: dict[str, Answer] = {
    "docker:index/image:Image": _docker_image,
    "docker-build:index:Image": _docker_build_image,
    "random:index/randomPassword:RandomPassword": _password,
    "random:index/randomString:RandomString": _string,
    "random:index/randomPet:RandomPet": _pet,
    "random:index/randomId:RandomId": _random_id,
    "random:index/randomInteger:RandomInteger": _integer,
    "random:index/randomUuid:RandomUuid": _uuid,
    "random:index/randomBytes:RandomBytes": _bytes,
    "random:index/randomShuffle:RandomShuffle": _shuffle,
    "tls:index/privateKey:PrivateKey": _private_key,
    "tls:index/selfSignedCert:SelfSignedCert": _self_signed,
    "azuread:index/application:Application": _application,
    "azuread:index/servicePrincipal:ServicePrincipal": _service_principal,
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword": _password_credential("password"),
    "azuread:index/applicationPassword:ApplicationPassword": _password_credential("password"),
    "azuread:index/group:Group": _object("groups"),
    "azuread:index/user:User": _object("users"),
}


def companion_invoke(token: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """Answers for companion functions that need more than their result's shape."""
    if token == "azuread:index/getClientConfig:getClientConfig":
        from synth.mocks.azure_invokes import client_config

        return client_config()
    if token == "tls:index/getPublicKey:getPublicKey":
        from synth.mocks.tls_keys import load_private_key, material

        pem = args.get("privateKeyPem") or args.get("privateKeyOpenssh") or ""
        key = load_private_key(str(pem))
        if key is None:
            return None
        outputs = material(key, _algorithm(key)).outputs()
        return {k: v for k, v in outputs.items() if k.startswith("public")} | {"algorithm": _algorithm(key), "id": "-"}
    return None


def _algorithm(key: Any) -> str:
    name = type(key).__name__.lower()
    return "RSA" if "rsa" in name else "ED25519" if "ed25519" in name else "ECDSA"
