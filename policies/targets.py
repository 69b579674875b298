"""What to check: bundled stacks, a Pulumi program, a state export or an ARM template.

Each becomes a ``Target``: one ARM template plus what is needed to point a finding back at the
Pulumi resource (URN) and the file and line a reviewer must change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from arm import RenderResult, load_template, render_graph
from synth.graph import ResourceGraph, SourcePosition

if TYPE_CHECKING:
    from synth.run import SynthOptions


URN_LINE = re.compile(r'"urn":\s*"([^"]+)"')


class TargetKind(str, Enum):
    stack = "stack"
    program = "program"
    state = "state"
    template = "template"
    live = "live"
    """What is deployed in Azure (``check --live``, see ``policies.live_check``)."""


@dataclass
class Target:
    name: str
    kind: TargetKind
    source: str
    render: RenderResult
    resources: int
    """Cloud resources the input declares (rendered or not)."""
    positions: dict[str, SourcePosition] = field(default_factory=dict)
    """URN -> where the program declares it (synthesis knows; a state export does not)."""
    scan_path: Path | None = None
    """Check this file as is (an ARM template a reviewer gave us), so lines match it."""


def from_graph(graph: ResourceGraph, kind: TargetKind, source: str, name: str | None = None,
               base: Path | None = None) -> Target:
    """``base``: the Pulumi project directory that source positions are relative to."""
    render = render_graph(graph)
    positions = {r.urn: _rebase(r.source, base) for r in graph.resources if r.source is not None}
    return Target(name=name or graph.stack or source, kind=kind, source=source, render=render,
                  resources=len(graph.custom_resources()), positions=positions)


def _rebase(position: SourcePosition, base: Path | None) -> SourcePosition:
    """Name the program file relative to where the reviewer runs the command, so SARIF and
    table locations open the right file."""
    path = Path(position.file)
    if base is not None and not path.is_absolute() and (base / path).exists():
        path = (base / path).resolve()
        try:
            path = path.relative_to(Path.cwd().resolve())
        except ValueError:
            pass
    return SourcePosition(file=path.as_posix(), line=position.line)


def from_state(path: Path) -> Target:
    from deployed.state import load_state

    graph = load_state(path)
    target = from_graph(graph, TargetKind.state, str(path), name=graph.stack or path.stem)
    text = path.read_text(encoding="utf-8")
    target.positions = _urn_lines(text, str(path), set(target.render.urns.values()))
    return target


def from_template(path: Path, parameters: Path | None = None) -> Target:
    render = load_template(path, parameters)
    return Target(name=path.name, kind=TargetKind.template, source=str(path), render=render,
                  resources=render.rendered, scan_path=path)


def from_stack(stack: str, synth: SynthOptions | None = None) -> Target:
    from synth.run import synthesize_stack

    from synth.catalog import repo_root

    graph = synthesize_stack(stack, options=synth)
    return from_graph(graph, TargetKind.stack, f"Pulumi.{stack}.yaml", name=stack, base=repo_root())


def from_program(program_dir: Path, stack: str, synth: SynthOptions | None = None) -> Target:
    from synth.run import synthesize

    from synth.project import find_project

    graph = synthesize(program_dir, stack, options=synth)
    base = find_project(program_dir.resolve()).directory
    return from_graph(graph, TargetKind.program, str(program_dir), name=stack, base=base)


def all_stack_names() -> list[str]:
    from synth.catalog import list_stacks

    return [info.name for info in list_stacks()]


def _urn_lines(text: str, file: str, urns: set[str]) -> dict[str, SourcePosition]:
    """Where each URN first appears in a state export (its ``"urn"`` line)."""
    positions: dict[str, SourcePosition] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = URN_LINE.search(line)
        if match and match.group(1) in urns and match.group(1) not in positions:
            positions[match.group(1)] = SourcePosition(file=file, line=number)
    return positions
