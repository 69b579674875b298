"""The ARM template functions borough evaluates offline, and the ones that need a deployment.

Ids use one stand-in subscription and resource group (``uniqueString``/``guid`` are deterministic
stand-ins too): they only name things, and no check judges a name's hash. Results are bounded, so
variables that double a string on each step are refused at once instead of exhausting memory.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import uuid
from typing import Any, Callable

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
RESOURCE_GROUP = "resource-group"
ENVIRONMENT = {"name": "AzureCloud", "suffixes": {"storage": "core.windows.net", "sqlServerHostname": ".database.windows.net",
                                                  "keyvaultDns": ".vault.azure.net", "acrLoginServer": ".azurecr.io"},
               "resourceManager": "https://management.azure.com/", "authentication": {"loginEndpoint": "https://login.microsoftonline.com/"}}


class Unresolvable(Exception):
    """A value known only at deployment time (or an expression borough cannot evaluate)."""


def _stand_in(*parts: Any) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:13]


MAX_TEXT = 1_000_000
MAX_ITEMS = 10_000


def bounded_count(count: Any) -> int:
    if int(count) > MAX_ITEMS:
        raise Unresolvable(f"range of {count} items is more than borough evaluates ({MAX_ITEMS})")
    return int(count)


def bounded(value: Any, name: str) -> Any:
    """A function result within sane bounds: a template whose variables double a string on each
    step (ARM's "billion laughs") is refused at once instead of exhausting memory."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise Unresolvable(f"{name}() gives {len(value):,} characters, more than borough evaluates ({MAX_TEXT:,})")
    if isinstance(value, (list, dict)) and len(value) > MAX_ITEMS:
        raise Unresolvable(f"{name}() gives {len(value):,} items, more than borough evaluates ({MAX_ITEMS:,})")
    return value


def _resource_id(scope: str, args: list[Any]) -> str:
    """``resourceId([subscriptionId], [groupName], type, name...)``: the type is the first
    argument with a ``/``; what precedes it only changes the scope, which is a stand-in anyway."""
    at = next((i for i, a in enumerate(args) if "/" in str(a)), None)
    if at is None:
        raise Unresolvable("resourceId() needs a resource type")
    arm_type, names = str(args[at]), [str(a) for a in args[at + 1:]]
    provider, _, path = arm_type.partition("/")
    segments = path.split("/")
    pairs = "/".join(f"{t}/{n}" for t, n in zip(segments, names))
    return f"{scope}/providers/{provider}/{pairs}"


def _format(template: str, *args: Any) -> str:
    return re.sub(r"\{(\d+)(?::[^}]*)?\}", lambda m: _text(args[int(m.group(1))]), template)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _union(*values: Any) -> Any:
    if all(isinstance(v, dict) for v in values):
        merged: dict[str, Any] = {}
        for v in values:
            merged.update(v)
        return merged
    out: list[Any] = []
    for v in values:
        out += [x for x in v if x not in out]
    return out


def _concat(*values: Any) -> Any:
    if values and all(isinstance(v, list) for v in values):
        return [x for v in values for x in v]
    return "".join(_text(v) for v in values)


GROUP_SCOPE = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{RESOURCE_GROUP}"
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "concat": _concat,
    "format": _format,
    "tolower": lambda s: str(s).lower(),
    "toupper": lambda s: str(s).upper(),
    "trim": lambda s: str(s).strip(),
    "replace": lambda s, old, new: str(s).replace(str(old), str(new)),
    "substring": lambda s, start, length=None: str(s)[int(start):None if length is None else int(start) + int(length)],
    "length": len,
    "empty": lambda v: v is None or len(v) == 0,
    "contains": lambda container, item: item in container,
    "startswith": lambda s, p: str(s).lower().startswith(str(p).lower()),
    "endswith": lambda s, p: str(s).lower().endswith(str(p).lower()),
    "split": lambda s, sep: str(s).split(sep) if isinstance(sep, str) else re.split("|".join(map(re.escape, sep)), str(s)),
    "join": lambda items, sep: str(sep).join(_text(i) for i in items),
    "string": _text,
    "int": int,
    "bool": lambda v: v if isinstance(v, bool) else str(v).lower() == "true",
    "json": json.loads,
    "if": lambda condition, yes, no: yes if condition else no,
    "equals": lambda a, b: a == b,
    "not": lambda a: not a,
    "and": lambda *a: all(a),
    "or": lambda *a: any(a),
    "greater": lambda a, b: a > b,
    "less": lambda a, b: a < b,
    "greaterorequals": lambda a, b: a >= b,
    "lessorequals": lambda a, b: a <= b,
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a // b,
    "mod": lambda a, b: a % b,
    "min": lambda *a: min(a[0]) if len(a) == 1 and isinstance(a[0], list) else min(a),
    "max": lambda *a: max(a[0]) if len(a) == 1 and isinstance(a[0], list) else max(a),
    "createarray": lambda *a: list(a),
    "array": lambda v: v if isinstance(v, list) else [v],
    "createobject": lambda *a: {str(a[i]): a[i + 1] for i in range(0, len(a) - 1, 2)},
    "union": _union,
    "first": lambda v: v[0],
    "last": lambda v: v[-1],
    "take": lambda v, n: v[:int(n)],
    "skip": lambda v, n: v[int(n):],
    "range": lambda start, count: list(range(int(start), int(start) + bounded_count(count))),
    "coalesce": lambda *a: next((v for v in a if v is not None), None),
    "true": lambda: True,
    "false": lambda: False,
    "null": lambda: None,
    "uniquestring": lambda *a: _stand_in("uniqueString", *a),
    "guid": lambda *a: str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(map(str, a)))),
    "subscription": lambda: {"id": f"/subscriptions/{SUBSCRIPTION_ID}", "subscriptionId": SUBSCRIPTION_ID,
                             "tenantId": TENANT_ID, "displayName": "subscription"},
    "tenant": lambda: {"tenantId": TENANT_ID, "id": f"/tenants/{TENANT_ID}"},
    "environment": lambda: copy.deepcopy(ENVIRONMENT),
    "resourceid": lambda *a: _resource_id(GROUP_SCOPE, list(a)),
    "subscriptionresourceid": lambda *a: _resource_id(f"/subscriptions/{SUBSCRIPTION_ID}", [x for x in a if x != SUBSCRIPTION_ID]),
    "tenantresourceid": lambda *a: _resource_id("", list(a)),
    "extensionresourceid": lambda scope, *a: _resource_id(str(scope), list(a)),
}
DEPLOYMENT_TIME = {
    "reference": "reference() reads a deployed resource",
    "utcnow": "utcNow() is the deployment time",
    "newguid": "newGuid() is new on every deployment",
    "deployment": "deployment() describes the running deployment",
    "pickzones": "pickZones() asks Azure for the region's zones",
    "managementgroup": "managementGroup() is the deployment's scope",
}
