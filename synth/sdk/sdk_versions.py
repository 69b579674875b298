"""The Pulumi SDK versions whose private internals ``sdk_fastpath`` was verified against, checked at run time.

``sdk_fastpath`` replaces five private SDK functions for speed (``pulumi._types._types_from_py_properties``
and its ``get_type_hints``, ``pulumi.log.debug``, ``pulumi.runtime.resource._get_stack_trace``,
``pulumi.runtime.stack.wait_for_rpcs``), gives ``SETTINGS.outputs`` a lazily-removing deque, and
through ``lean_outputs`` and ``lazy_properties`` replaces ``Output.__init__``,
``rpc.transfer_properties``, ``pulumi.get``, ``stack.massage_complex`` and adds a
``Resource.__getattr__`` (which relies on ``resolve_properties`` and
``resolve_outputs_due_to_exception`` calling only ``get`` and ``items`` on the resolvers).
Each replacement copies what the SDK's own code does; a later SDK may do something else. So the
patches are applied only on the versions they were verified on, and any other version runs the
SDK's own code, unpatched: slower, the same graph.

Verified means both: the whole test suite passes on it (``constraints.txt`` pins the SDK the
suite runs), and the source of every function patched (and of ``Settings.__init__``, which makes
``outputs`` a deque) is the same as in that version. Compared from the released wheels:

- 3.200.0, 3.210.0 and 3.223.0: identical (the range below), ``Output.__init__``,
  ``transfer_properties``, ``resolve_properties``, ``get`` and ``massage_complex`` included;
- 3.180.0 and older: no ``_get_stack_trace`` (the stack trace is built elsewhere);
- 3.229.0 and 3.235.0: ``wait_for_rpcs`` rewritten;
- 3.242.0 and later: ``SETTINGS.outputs`` is no longer a deque, ``wait_for_rpcs`` rewritten again.

Widening the range: compare those functions in the new release (``scripts/sdk_internals.py`` does,
from the released wheels), run the suite on it, then move ``VERIFIED_UP_TO``. ``synth/mocks/transforms.py`` also relies on a private name
(``pulumi.runtime._callbacks._CallbackServicer``, identical from 3.200.0 to 3.250.0); it has no
SDK behaviour to fall back to (offline transforms need it), so it is not fenced.

Runs in the synthesis child: standard library only.
"""

from __future__ import annotations

import logging
import re

LOGGER = "borough.synth"
VERIFIED_FROM = (3, 200, 0)
VERIFIED_UP_TO = (3, 223, 0)
"""Inclusive bounds of the SDK versions the fast path runs on."""


def installed_version() -> str | None:
    """The version of the ``pulumi`` distribution this interpreter imports, or ``None``."""
    from importlib import metadata

    try:
        return metadata.version("pulumi")
    except metadata.PackageNotFoundError:
        return None


def release(version: str | None) -> tuple[int, int, int] | None:
    """``3.223.0`` -> ``(3, 223, 0)``; pre-release and local suffixes are ignored (``3.224.0rc1``
    is a 3.224.0); ``None`` when the text does not start with a release number."""
    found = re.match(r"^\s*v?(\d+)\.(\d+)(?:\.(\d+))?", version or "")
    if found is None:
        return None
    return int(found.group(1)), int(found.group(2)), int(found.group(3) or 0)


def is_verified(version: str | None) -> bool:
    number = release(version)
    return number is not None and VERIFIED_FROM <= number <= VERIFIED_UP_TO


def shown_range() -> str:
    return f"{'.'.join(map(str, VERIFIED_FROM))} to {'.'.join(map(str, VERIFIED_UP_TO))}"


def fast_path_allowed() -> bool:
    """Whether ``sdk_fastpath`` may patch this interpreter's SDK; says so in the log when not."""
    version = installed_version()
    if is_verified(version):
        return True
    logging.getLogger(LOGGER).info(
        "Pulumi SDK %s is outside the versions borough's SDK speed-ups were verified on (%s): "
        "the SDK's own code runs, unpatched (slower, same results)", version or "(unknown)", shown_range())
    return False
