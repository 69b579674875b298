"""Several bundled stacks synthesized in one child: the SDK imported once, not once per stack.

A child interpreter per synthesis keeps borough safe from the program (issue 9), but each one
imports the Pulumi SDK and the provider modules again, about 1.5 s of CPU, and that import is
most of a bundled stack's synthesis. ``check --all`` and ``demo`` synthesize every bundled stack,
so ``prefetch_bundled`` groups them: each stack that reads none of the others (the platform
stack) runs in a child of its own, and the stacks that read it run one after another in one more
child, alongside. That child answers a reference to a stack it already ran from that graph and
asks this process for the rest, which waits for the other child's run as any reference does.

Only the bundled program is grouped: it is ours, so one stack's run cannot harm the next's. The
order comes from the references the stacks' config names; a stack that reads another of its batch
which has not run yet (a reference its config did not name) makes the batch give way to a run per
stack, as before grouping.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

from synth.graph import ResourceGraph
from synth.errors import StacksError
from synth.run import Program, References, SynthOptions, child_request, named_siblings, rebuild_error, resolve_program


def prefetch_stacks(stacks: list[str], options: SynthOptions) -> None:
    """Start synthesizing the bundled ``stacks`` at once into ``options.cache``, grouped so the
    SDK is imported once per group rather than once per stack (see ``prefetch_bundled``);
    callers then take each graph from the cache in their own order (a failure is raised there, in
    that order). ``options.cache.stop()`` ends whatever is still running when the caller gives up
    early."""
    if len(stacks) < 2:
        return
    prefetch_bundled(stacks, options)


def prefetch_bundled(stacks: list[str], options: SynthOptions) -> None:
    """Start synthesizing the bundled ``stacks`` into ``options.cache`` (returns at once)."""
    from synth.catalog import get_stack, program_dir

    programs = {}
    for name in stacks:
        try:
            program = resolve_program(program_dir(), get_stack(name).name, None, None, options)
            programs[program.stack] = (program, References(program, {}, options, (program.stack,)))
        except StacksError:  # its own run reports it, in the caller's order
            continue
    readers = {name: set(named_siblings(program)) & set(programs) for name, (program, _) in programs.items()}
    roots = [name for name in programs if not readers[name]]
    grouped = _ordered([name for name in programs if readers[name]], readers)
    for name in roots:
        _start([programs[name]], options)
    if grouped:
        _start([programs[name] for name in grouped], options)


def _ordered(names: list[str], readers: dict[str, set[str]]) -> list[str]:
    """``names`` with each stack after the grouped stacks it reads (stable otherwise)."""
    placed: list[str] = []
    remaining = list(names)
    while remaining:
        ready = [n for n in remaining if not (readers[n] & set(remaining))]
        if not ready:  # a cycle: leave it to the runs of their own, which refuse it
            return placed
        placed += ready
        remaining = [n for n in remaining if n not in ready]
    return placed


def _start(batch: list[tuple[Program, References]], options: SynthOptions) -> None:
    claimed = [(program, references, options.cache.claim(references.key, program.stack)) for program, references in batch]
    claimed = [(p, r, f) for p, r, f in claimed if f is not None]
    if not claimed:
        return
    threading.Thread(target=_run, args=(claimed, options), daemon=True,
                     name=f"borough-synth-{'+'.join(p.stack for p, _, _ in claimed)}").start()


def _run(batch: list[tuple[Program, References, Future[ResourceGraph]]], options: SynthOptions) -> None:
    from synth.process import ChildRun, run_child

    first, references, _ = batch[0]
    requests = [child_request(program) for program, _, _ in batch]
    answers = _Answers(references, {program.stack for program, _, _ in batch})
    try:
        result = run_child(ChildRun(python=first.python, request={"runs": requests}, cwd=first.directory,
                                    timeout=float(options.timeout) * len(batch), shown_program=first.shown,
                                    group=options.cache.children), answers)
        outcomes = result.get("runs") if isinstance(result.get("runs"), list) else None
        if outcomes is None or len(outcomes) != len(batch):
            raise rebuild_error(result.get("error") or {"message": f"{first.shown}: the batch ended without its graphs"}, [])
    except _Regroup:
        for item in batch:
            threading.Thread(target=_run_alone, args=(item, options), daemon=True,
                             name=f"borough-synth-{item[0].stack}").start()
        return
    except BaseException as exc:  # noqa: BLE001 - every stack of the batch fails the same way
        for _, _, future in batch:
            future.set_exception(exc)
        return
    for (_, _, future), outcome in zip(batch, outcomes):
        _settle(future, outcome)


class _Regroup(Exception):
    """A stack of the batch read one the batch had not run yet: its config did not say so."""


class _Answers:
    """The parent's answers to a batch child: a question naming a stack of the same batch means
    the order was wrong (the child answers those it already ran itself), so the batch gives way
    to a run per stack rather than wait on itself."""

    def __init__(self, references: References, members: set[str]) -> None:
        self.references, self.members = references, members

    def __call__(self, ref: str) -> dict[str, Any] | None:
        if ref.rsplit("/", 1)[-1] in self.members:
            raise _Regroup(ref)
        return self.references(ref)


def _run_alone(item: tuple[Program, References, Future[ResourceGraph]], options: SynthOptions) -> None:
    from synth.run import run_program as run_one

    program, references, future = item
    try:
        future.set_result(run_one(program, references, options))
    except BaseException as exc:  # noqa: BLE001 - kept for every reader
        future.set_exception(exc)


def _settle(future: Future[ResourceGraph], outcome: dict[str, Any]) -> None:
    error = outcome.get("error")
    if error is not None:
        future.set_exception(rebuild_error(error, outcome.get("unresolved") or []))
        return
    try:
        future.set_result(ResourceGraph.from_dict(outcome["graph"]))
    except BaseException as exc:  # noqa: BLE001 - a graph that cannot be read fails that stack only
        future.set_exception(exc)

