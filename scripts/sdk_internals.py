"""Compare the Pulumi SDK internals borough patches across released SDK wheels.

Before widening ``synth.sdk.sdk_versions.VERIFIED_UP_TO`` (or lowering ``VERIFIED_FROM``), fetch the
wheels and compare each function ``synth/sdk/sdk_fastpath.py`` replaces (and the two others borough
relies on) with the version the suite runs::

    .venv/bin/pip download --no-deps pulumi==3.223.0 pulumi==3.230.0 -d /tmp/sdk
    .venv/bin/python scripts/sdk_internals.py /tmp/sdk/pulumi-*.whl --reference 3.223.0

Each wheel is reported as the same as the reference, or with the functions that differ. A release
is verified when nothing differs and the test suite passes on it.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import sys
import zipfile
from pathlib import Path

FUNCTIONS = {
    "pulumi/_types.py": ["_types_from_py_properties", "get"],
    "pulumi/log.py": ["debug"],
    "pulumi/output.py": ["Output.__init__", "Output.is_known", "Output.__getattr__"],
    "pulumi/runtime/resource.py": ["_get_stack_trace"],
    "pulumi/runtime/rpc.py": ["transfer_properties", "resolve_properties", "resolve_outputs_due_to_exception"],
    "pulumi/runtime/stack.py": ["wait_for_rpcs", "_get_rpc_manager", "massage_complex"],
    "pulumi/runtime/settings.py": ["Settings.__init__"],
    "pulumi/runtime/_callbacks.py": ["_CallbackServicer.__init__"],
}


def fingerprints(wheel: Path) -> dict[str, str]:
    """Function -> a short hash of its source in this wheel (``missing`` when it is not there)."""
    found: dict[str, str] = {}
    with zipfile.ZipFile(wheel) as archive:
        for member, names in FUNCTIONS.items():
            try:
                source = archive.read(member).decode("utf-8")
            except KeyError:
                found.update({name: "missing" for name in names})
                continue
            defined = _definitions(source)
            for name in names:
                text = defined.get(name)
                found[name] = hashlib.sha256(text.encode()).hexdigest()[:12] if text else "missing"
    return found


def _definitions(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = ast.get_source_segment(source, node) or ""
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out[f"{node.name}.{item.name}"] = ast.get_source_segment(source, item) or ""
    return out


def version_of(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheels", nargs="+", type=Path)
    parser.add_argument("--reference", required=True, help="the version the others are compared with, e.g. 3.223.0")
    args = parser.parse_args(argv)
    prints = {version_of(w): fingerprints(w) for w in args.wheels}
    if args.reference not in prints:
        print(f"no wheel for the reference version {args.reference}", file=sys.stderr)
        return 2
    reference = prints[args.reference]
    for version in sorted(prints, key=lambda v: tuple(int(p) for p in v.split(".") if p.isdigit())):
        differ = [name for name, value in prints[version].items() if value != reference[name]]
        print(f"{version}: " + ("same as " + args.reference if not differ else "differs in " + ", ".join(differ)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
