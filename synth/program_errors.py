"""What went wrong in a Pulumi program, said in one line a person can act on.

Runs inside the synthesis child (``synth.child``), where the exception and its traceback
still exist, and needs nothing but the standard library. Three jobs:

- **Where**: the program's own ``file:line``. The Pulumi SDK re-raises a failed RPC "from" the
  error that caused it, and that can be the very same exception object (an exception that is its
  own ``__cause__``), so chains are walked with a guard against cycles, and the first exception
  that was *raised in the program's code* wins over wrappers raised by the SDK. An error inside an
  ``apply`` callback keeps the callback's frame at the innermost end of its traceback however the
  SDK re-raises it... in principle: the SDK hands one exception object to every output that
  depends on the failed one, and which awaiter's traceback it ends up carrying depends on timing
  (sometimes none of the program's frames are left). So the child records the traceback where
  the exception leaves the program's code (``remember``: an ``apply`` callback, or the program's
  body), and that record is what locates it.
- **Missing modules**: the pip package that provides the module (``pulumi_random`` ->
  ``pulumi-random``, ``azure.mgmt.storage`` -> ``azure-mgmt-storage``, ``yaml`` -> ``PyYAML``).
- **azure-native v2 programs**: modules that v3 renamed or split. The table was read off the
  installed v3 SDK (3.24): every v3 resource carries aliases to its v2 type tokens, and the v2
  modules no longer in v3 are exactly these four.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

AZURE_NATIVE = "pulumi_azure_native"
AZURE_NATIVE_V2_MODULES: dict[str, tuple[str, ...]] = {
    "insights": ("monitor", "applicationinsights"),
    "documentdb": ("cosmosdb", "mongocluster"),
    "cache": ("redis", "redisenterprise"),
    "devices": ("iothub", "deviceprovisioningservices"),
}
"""v2 module -> the v3 modules its resources moved to (most resources first)."""

_API_VERSION_MODULE = re.compile(r"^v\d{8}(preview)?$")
_AZURE_GROUPS = {"mgmt", "storage", "keyvault", "ai", "monitor", "data", "search", "communication", "messaging",
                 "mixedreality", "media", "security", "developer", "digitaltwins", "iot", "synapse", "schemaregistry"}
_KNOWN_PACKAGES = {
    "yaml": "PyYAML", "dotenv": "python-dotenv", "jwt": "PyJWT", "OpenSSL": "pyOpenSSL", "Crypto": "pycryptodome",
    "dateutil": "python-dateutil", "bs4": "beautifulsoup4", "PIL": "Pillow", "git": "GitPython", "nacl": "PyNaCl",
    "jinja2": "Jinja2", "attr": "attrs", "google.protobuf": "protobuf", "grpc": "grpcio", "sklearn": "scikit-learn",
    "msrestazure": "msrestazure", "msrest": "msrest", "pulumi": "pulumi", "kubernetes": "kubernetes",
    "docker": "docker", "requests": "requests", "toml": "toml", "semver": "semver", "pydantic": "pydantic",
}
_NO_MODULE = re.compile(r"No module named '([^']+)'")
_NO_NAME = re.compile(r"cannot import name '([^']+)' from '([^']+)'")
_NO_ATTR = re.compile(r"module '([^']+)' has no attribute '([^']+)'")


RECORDED = "_borough_frames"
MISSING_HINT = "install the package that provides it: pip install"


def remember(exc: BaseException) -> None:
    """Keep ``exc``'s traceback as it is now (as it leaves the program's code), the first time."""
    try:
        if getattr(exc, RECORDED, None) is None:
            setattr(exc, RECORDED, traceback.extract_tb(exc.__traceback__))
    except (AttributeError, TypeError):  # an exception type without a __dict__ is located as before
        pass


def _frames(exc: BaseException) -> list[traceback.FrameSummary]:
    recorded = getattr(exc, RECORDED, None)
    return list(recorded) if recorded else list(traceback.extract_tb(exc.__traceback__))


@dataclass(frozen=True)
class Failure:
    """One line (``message``) and an optional hint line."""

    message: str
    hint: str | None = None
    module: str | None = None
    """The module an ``ImportError``/``AttributeError`` was about (``pulumi_azure_native.network``),
    so the parent can say when it comes from a version borough's environment has and the program
    did not ask for."""


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception it was raised from or during, each once, in walk order.

    A cycle (``e.__cause__ is e``, or longer loops through ``__context__``) ends the walk."""
    seen: set[int] = set()
    chain: list[BaseException] = []
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        chain.append(current)
        for nxt in (current.__context__, current.__cause__):  # pushed in reverse: the cause is walked first
            if nxt is not None and id(nxt) not in seen:
                stack.append(nxt)
    return chain


def describe(exc: BaseException, program_dir: Path, project_dir: Path, shown_project: str,
             shown_program: str) -> Failure:
    """``path/to/file.py:LINE: Type: message`` for the exception raised in the program's own code.

    ``shown_project``/``shown_program`` are the project and program directories as the user should
    read them (relative to where they ran borough when possible): the file is named under the
    project directory, so the message names the program and opens the right file."""
    chain = exception_chain(exc)
    chosen, frame = _raised_in_program(chain, program_dir, project_dir)
    hint = None
    missing = _missing_module(chain)
    if missing is not None:
        chosen, hint = missing
    message = f"{type(chosen).__name__}: {' '.join(str(chosen).split())}"  # one line, as the CLI promises
    module = module_of(chain)
    if frame is None:
        return Failure(f"{shown_program}: the program failed: {message}", hint, module)
    path = Path(frame.filename)
    if path.is_relative_to(project_dir):
        relative = path.relative_to(project_dir).as_posix()
        path_text = relative if shown_project in ("", ".") else f"{shown_project.rstrip('/')}/{relative}"
    else:
        path_text = str(path)
    return Failure(f"{path_text}:{frame.lineno}: {message}", hint, module)


def module_of(chain: list[BaseException]) -> str | None:
    """The module the first import or attribute failure in the chain is about: the module that
    could not be imported, the module a name is missing from, or the module of the class whose
    instance lacks an attribute (``Application.application_id`` -> ``pulumi_azuread.application``)."""
    for exc in chain:
        if isinstance(exc, ImportError):
            name_missing = _NO_NAME.search(str(exc))
            if name_missing:
                return name_missing.group(2)
            module_missing = _NO_MODULE.search(str(exc))
            return module_missing.group(1) if module_missing else getattr(exc, "name", None)
        if isinstance(exc, AttributeError):
            found = _NO_ATTR.search(str(exc))
            if found:
                return found.group(1)
            owner = getattr(exc, "obj", None)
            if owner is not None:
                return owner.__name__ if isinstance(owner, type(re)) else getattr(type(owner), "__module__", None)
    return None


def _raised_in_program(chain: list[BaseException], program_dir: Path,
                       project_dir: Path) -> tuple[BaseException, traceback.FrameSummary | None]:
    """The first exception whose innermost frame is program code; else the first with any program
    frame (its deepest); else the first exception, placed nowhere."""
    fallback: tuple[BaseException, traceback.FrameSummary] | None = None
    for candidate in chain:
        frames = _frames(candidate)
        own = [f for f in frames if is_program_file(f.filename, program_dir, project_dir)]
        if own and frames and own[-1] is frames[-1]:
            return candidate, own[-1]
        if own and fallback is None:
            fallback = (candidate, own[-1])
    return fallback or (chain[0], None)


def is_program_file(filename: str, program_dir: Path, project_dir: Path) -> bool:
    path = Path(filename)
    if "site-packages" in path.parts or "dist-packages" in path.parts or not path.is_absolute():
        return False
    return path.is_relative_to(program_dir) or path.is_relative_to(project_dir)


def _missing_module(chain: list[BaseException]) -> tuple[BaseException, str] | None:
    """The first import failure in the chain that we have advice for, with that advice.

    ``No module named 'x'``: the package to install. A name missing from a module that exists
    (``cannot import name``, or an attribute of the ``pulumi_azure_native`` package) only when
    azure-native v3 renamed it: otherwise it is the program's own mistake and its line says enough."""
    for exc in chain:
        hint = None
        if isinstance(exc, ImportError):
            name_missing = _NO_NAME.search(str(exc))
            module_missing = _NO_MODULE.search(str(exc))
            if name_missing and name_missing.group(2) == AZURE_NATIVE:
                hint = import_hint(f"{AZURE_NATIVE}.{name_missing.group(1)}")
            elif module_missing or (not name_missing and getattr(exc, "name", None)):
                hint = import_hint(module_missing.group(1) if module_missing else exc.name)
        elif isinstance(exc, AttributeError):
            found = _NO_ATTR.search(str(exc))
            if found and found.group(1) == AZURE_NATIVE:
                hint = import_hint(f"{AZURE_NATIVE}.{found.group(2)}")
        if hint:
            return exc, hint
    return None


def import_hint(module: str | None) -> str | None:
    """What to do about a module that cannot be imported (``None`` when we have no advice)."""
    if not module:
        return None
    parts = module.split(".")
    if parts[0] == AZURE_NATIVE and len(parts) > 1:
        v2 = AZURE_NATIVE_V2_MODULES.get(parts[1])
        if v2 is not None:
            names = " and ".join(f"{AZURE_NATIVE}.{m}" for m in v2)
            return (f"the program targets pulumi-azure-native v2: module '{parts[1]}' is {names} in v3 "
                    f"(or install pulumi-azure-native<3 in the program's virtualenv)")
        if len(parts) > 2 and _API_VERSION_MODULE.match(parts[2]):
            return (f"the program targets pulumi-azure-native v2: v3 has no API-version modules such as "
                    f"{parts[1]}.{parts[2]}; import {AZURE_NATIVE}.{parts[1]}")
        if len(parts) == 2:
            return None  # a name v3 does not have at all: the program's own mistake
    return f"{MISSING_HINT} {pip_package(module)}"


def pip_package(module: str) -> str:
    """The PyPI distribution that usually provides ``module``."""
    parts = module.split(".")
    for length in (2, 1):
        known = _KNOWN_PACKAGES.get(".".join(parts[:length]))
        if known:
            return known
    if parts[0].startswith("pulumi_"):
        return parts[0].replace("_", "-")
    if parts[0] == "azure" and len(parts) > 1:
        if parts[1] in _AZURE_GROUPS and len(parts) > 2:
            return f"azure-{parts[1]}-{parts[2]}".replace("_", "-")
        return f"azure-{parts[1]}".replace("_", "-")
    return parts[0].replace("_", "-")
