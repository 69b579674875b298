"""Which deployed resources the code manages: the ids of the bundled stacks and of given states.

``check --live`` says of each finding whether its resource is in a bundled stack (``stack:<name>``)
or not; that needs every bundled stack's synthesized ids, which are cached on disk because
synthesis is the slow part of a small live run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from synth.graph import ResourceGraph


@dataclass
class Ownership:
    """Which deployed ids the code manages: stack (or state) name by id.

    Synthesized stacks carry a placeholder subscription (there is no cloud at synthesis), so
    their ids match the same resource group and provider path in any subscription; a state
    export's ids are real and match exactly.
    """

    exact: dict[str, str] = field(default_factory=dict)
    anywhere: dict[str, str] = field(default_factory=dict)

    def add_graph(self, graph: ResourceGraph, owner: str, placeholder: bool) -> None:
        self.add_ids([str(r.id or "") for r in graph.custom_resources()], owner, placeholder)

    def add_ids(self, ids: Iterable[str], owner: str, placeholder: bool) -> None:
        for resource_id in ids:
            if not resource_id.lower().startswith("/subscriptions/"):
                continue
            if placeholder:
                self.anywhere.setdefault(_without_subscription(resource_id), owner)
            else:
                self.exact.setdefault(resource_id.lower(), owner)

    def owner(self, resource_id: str) -> str | None:
        return self.exact.get(resource_id.lower()) or self.anywhere.get(_without_subscription(resource_id))


def bundled_ownership(cache_dir: Path | None = None) -> Ownership:
    """Ids of every bundled stack's synthesized resources, labelled ``stack:<name>``.

    Synthesizing the bundled stacks is most of a small live run, and their ids change only when
    the stack sources, config or pulumi-azure-native change: the ids are kept in
    ``<repo>/.borough/cache/`` under a digest of exactly those (an unwritable directory only
    means they are synthesized every time).
    """
    import json
    import os

    from synth.catalog import list_stacks, program_dir, repo_root
    from synth.batch import prefetch_stacks
    from synth.run import SynthOptions, synthesize_stack

    stacks = [info.name for info in list_stacks()]
    root = repo_root()
    digest = _sources_digest([program_dir(), *sorted(root.glob("Pulumi*.yaml"))])
    cached = (cache_dir or root / ".borough" / "cache") / f"stack-ids-{digest[:24]}.json"
    try:
        ids = json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ids = None
    if not isinstance(ids, dict) or sorted(ids) != sorted(stacks):
        options = SynthOptions()  # one cache: a spoke's reference to the hub reuses the hub's synthesis
        prefetch_stacks(stacks, options)  # the stacks synthesize at once, grouped as for check --all
        try:
            ids = {name: sorted({str(r.id) for r in synthesize_stack(name, options=options).custom_resources() if r.id})
                   for name in stacks}
        finally:
            options.cache.stop()  # a stack that failed leaves no synthesis running
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(ids, sort_keys=True), encoding="utf-8")
            os.replace(partial, cached)  # a concurrent run reads the old file or the new one, never half of one
        except OSError:
            pass
    ownership = Ownership()
    for name in sorted(ids):
        ownership.add_ids(ids[name], f"stack:{name}", placeholder=True)
    return ownership


def _sources_digest(paths: list[Path]) -> str:
    """Content digest of the stack program, its stack files and the provider SDK version."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    try:
        digest.update(version("pulumi_azure_native").encode())
    except PackageNotFoundError:
        pass
    for root in paths:
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _without_subscription(resource_id: str) -> str:
    parts = resource_id.strip("/").lower().split("/")
    return "/".join(parts[2:]) if len(parts) > 2 and parts[0] == "subscriptions" else "/".join(parts)
