"""What a built-in checkov check found, in words: checkov's records carry a verdict and the keys
it read, not the values, so the message is its title plus those keys and their values in the
resource it judged (``properties/minimumTlsVersion = "TLS1_0"``, ``properties/networkAcls not set``).
An NSG port check says which rule opened the port to which source."""

from __future__ import annotations

import json
import re
from typing import Any

from policies.output.report import Outcome
from synth.graph import SECRET

MAX_VALUE = 80
SKIPPED_KEYS = {"apiVersion"}
SECRET_KEY = re.compile(r"(password|secret|token|connectionstring|credentials?|keys?|customdata)$", re.IGNORECASE)
"""Keys whose values are never shown in a message (a template's default password, a key)."""


def _lookup(conf: dict[str, Any], key: str) -> tuple[bool, Any]:
    found = _walk(conf, key)
    if not found[0] and not key.startswith(("properties/", "resources/")) and key != "properties":
        return _walk(conf, f"properties/{key}")  # checkov names some keys without ARM's properties/ prefix
    return found


def _walk(conf: dict[str, Any], key: str) -> tuple[bool, Any]:
    value: Any = conf
    for part in key.split("/"):
        part = part[1:-1] if part.startswith("[") and part.endswith("]") else part  # resources/[0]/type
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False, None
    return True, value


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: SECRET if SECRET_KEY.search(str(k)) else _masked(v) for k, v in value.items()
                if k not in ("__startline__", "__endline__")}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _shown(value: Any) -> str:
    text = json.dumps(_masked(value), sort_keys=True, default=str)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 3] + "..."


def evaluated(conf: dict[str, Any], keys: list[str]) -> str:
    """``key = value`` for the most specific keys the check read (``properties`` is dropped when
    ``properties/x`` was read too)."""
    wanted = [k for k in dict.fromkeys(keys) if k and k not in SKIPPED_KEYS and not any(o.startswith(k + "/") for o in keys)]
    parts = []
    for key in wanted:
        found, value = _lookup(conf, key)
        if found and SECRET_KEY.search(key.rsplit("/", 1)[-1]):
            value = SECRET
        parts.append(f"{key} = {_shown(value)}" if found else f"{key} not set")
    return "; ".join(parts)


def builtin_message(check_id: str, title: str, outcome: Outcome, conf: dict[str, Any] | None, keys: list[str],
                    port: int | None = None) -> str:
    verdict = "passed" if outcome is Outcome.passed else "failed"
    if conf is None:
        return f"{title}: {verdict}"
    if port is not None:
        from policies.checks.netrules import describe, open_from_internet

        found = open_from_internet(conf, [port])
        if found:
            return describe(found)
        return f"{title}: {verdict} (no inbound Allow rule opens port {port} to the internet)"
    from policies.engine.explain import explain

    detail = explain(check_id, conf, outcome) or evaluated(conf, keys)
    return f"{title}: {detail}" if detail else f"{title}: {verdict}"
