"""The layering rule of docs/architecture.md, checked on the source: imports go one way.

Every import in borough's packages is read from the source (``ast``), including the ones inside
functions (``--help`` stays fast by importing late, but a late import is still a dependency) and
under ``TYPE_CHECKING``. Three rules:

- a package imports only from the packages below it in ``LAYERS`` (``inventory`` never reaches up
  into ``deployed``, ``policies`` or ``cli``), and packages on one layer do not import each other;
- no import circle between modules, inside a package or across packages;
- no private name (``_name``) imported from another module: what a module shares, it names
  publicly.

``LAYERS`` is the line the architecture document shows; a test keeps the two the same.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parents[2]
LAYERS: list[set[str]] = [{"yamlsafe"}, {"synth"}, {"arm", "stacks"}, {"inventory"}, {"deployed"}, {"policies"}, {"cli"}]
"""Lowest first: a package may import from the layers before its own."""
PACKAGES = set().union(*LAYERS)


@dataclass(frozen=True)
class Import:
    module: str
    """The importing module."""
    target: str
    """The module imported (a submodule when ``from package import submodule``)."""
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    found = {}
    for package in sorted(PACKAGES):
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic's scripts, loaded by Alembic, not imported
                continue
            found[module_name(path)] = path
    return found


def imports_of(module: str, path: Path, known: set[str]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, (), node.lineno) for alias in node.names
                      if alias.name.split(".")[0] in PACKAGES]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] not in PACKAGES:
                continue
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{target}.{name}" for name in names if f"{target}.{name}" in known]
            found += [Import(module, sub, (), node.lineno) for sub in submodules]
            rest = tuple(name for name in names if f"{target}.{name}" not in known)
            if rest or not submodules:
                found.append(Import(module, target, rest, node.lineno))
    return found


def all_imports() -> list[Import]:
    modules = source_modules()
    known = set(modules)
    return [imp for module, path in modules.items() for imp in imports_of(module, path, known)]


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, layer in enumerate(LAYERS) if top in layer)


def upward_imports(imports: list[Import]) -> list[str]:
    wrong = []
    for imp in imports:
        own, other = imp.module.split(".")[0], imp.target.split(".")[0]
        if own != other and layer_of(imp.target) >= layer_of(imp.module):
            wrong.append(f"{imp.module}:{imp.line} imports {imp.target} ({other} is not below {own})")
    return wrong


def import_circles(imports: list[Import]) -> list[list[str]]:
    graph = nx.DiGraph()
    graph.add_edges_from((imp.module, imp.target) for imp in imports if imp.module != imp.target)
    return [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]


def private_imports(imports: list[Import]) -> list[str]:
    return [f"{imp.module}:{imp.line} imports {name} from {imp.target}" for imp in imports
            for name in imp.names if name.startswith("_") and not name.startswith("__") and imp.target != imp.module]


def test_no_package_imports_upward() -> None:
    assert upward_imports(all_imports()) == []


def test_no_import_circle() -> None:
    assert import_circles(all_imports()) == []


def test_no_private_name_imported_across_modules() -> None:
    assert private_imports(all_imports()) == []


def test_every_package_has_a_layer() -> None:
    on_disk = {p.name for p in REPO.iterdir() if (p / "__init__.py").is_file() and p.name not in {"tests", "bench", "scripts", "docs"}}
    assert on_disk == PACKAGES


def test_architecture_document_shows_these_layers() -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    shown = re.search(r"^layers \(lowest first\): (.+)$", text, re.MULTILINE)
    assert shown, "docs/architecture.md: the 'layers (lowest first): ...' line is missing"
    assert [set(layer.split(" + ")) for layer in shown.group(1).strip("` ").split(" < ")] == LAYERS


def test_the_rules_catch_what_they_name() -> None:
    """The checks find an upward import, a circle through a late import, and a private name."""
    imports = [
        Import("inventory.live.azure", "deployed.state", ("load_state",), 3),
        Import("synth.run", "synth.batch", ("prefetch",), 9),
        Import("synth.batch", "synth.run", ("_resolve",), 4),
        Import("arm.render", "stacks.naming", ("Names",), 5),
        Import("policies.engine.run", "arm", ("URN_KEY",), 2),
    ]
    assert upward_imports(imports) == [
        "inventory.live.azure:3 imports deployed.state (deployed is not below inventory)",
        "arm.render:5 imports stacks.naming (stacks is not below arm)",
    ]
    assert import_circles(imports) == [["synth.batch", "synth.run"]]
    assert private_imports(imports) == ["synth.batch:4 imports _resolve from synth.run"]


def test_late_and_type_checking_imports_count(tmp_path: Path) -> None:
    path = tmp_path / "naming.py"
    path.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from stacks.stackconfig import StackConfig\n"
                    "def f():\n    from synth import errors\n", encoding="utf-8")
    found = imports_of("stacks.naming", path, {"stacks.stackconfig", "synth.errors", "synth"})
    assert [(i.target, i.names) for i in found] == [("stacks.stackconfig", ("StackConfig",)), ("synth.errors", ())]


def test_every_package_says_its_job_in_its_first_sentence() -> None:
    unsaid = []
    for package in sorted(PACKAGES):
        for init in sorted((REPO / package).rglob("__init__.py")):
            doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
            first = doc.split("\n\n")[0].replace("\n", " ").strip()
            if not first.endswith(".") or re.search(r"[a-z)]\. [A-Z]", first):
                unsaid.append(str(init.relative_to(REPO)))
    assert unsaid == []
