"""The SDK speed-ups used during synthesis behave exactly like the SDK code they replace."""

from __future__ import annotations

import gc
import logging
import random
from collections import deque
from pathlib import Path

import pytest

from synth.sdk.sdk_fastpath import OutputQueue, _fast_stack_trace, fast_sdk


@pytest.mark.parametrize("compact_from", [OutputQueue.COMPACT_FROM, 2])
def test_output_queue_matches_a_deque_under_random_operations(compact_from, monkeypatch):
    monkeypatch.setattr(OutputQueue, "COMPACT_FROM", compact_from)  # 2: compacted over and over
    rng = random.Random(7)
    items = [object() for _ in range(12)]
    real, lazy = deque(), OutputQueue()
    for _ in range(5000):
        op = rng.choice(["append", "append", "remove", "popleft"])
        item = rng.choice(items)
        outcomes = []
        for queue in (real, lazy):
            try:
                outcomes.append(("ok", getattr(queue, op)(item) if op != "popleft" else queue.popleft()))
            except (ValueError, IndexError) as exc:
                outcomes.append(("error", type(exc)))
        assert outcomes[0] == outcomes[1], op
        assert len(real) == len(lazy)
        assert list(real) == list(lazy)


def _sdk_and_fast_traces():
    from pulumi.runtime.resource import _get_stack_trace

    fast = _fast_stack_trace()

    class Base:
        def __init__(self) -> None:
            self.traces = (_get_stack_trace(), fast())

    class Middle(Base):
        def __init__(self) -> None:
            super().__init__()

    class Concrete(Middle):
        def __init__(self) -> None:
            super().__init__()

    def user_code():
        return Concrete().traces

    return user_code()


def test_fast_stack_trace_is_the_sdks_stack_trace():
    sdk, fast = _sdk_and_fast_traces()
    assert len(sdk.frames) > 1
    assert sdk.frames[0].pc.uri == Path(__file__).as_uri()
    assert fast == sdk


def test_fast_stack_trace_without_a_resource_constructor_is_empty():
    from pulumi.runtime.resource import _get_stack_trace

    assert _fast_stack_trace()() == _get_stack_trace()
    assert len(_fast_stack_trace()().frames) == 0


def test_fast_sdk_puts_the_sdk_and_the_collector_back():
    import pulumi
    from pulumi import _types, log
    from pulumi.runtime import resource, rpc, stack

    def patched() -> tuple[object, ...]:
        return (_types._types_from_py_properties, _types.get_type_hints, log.debug, resource._get_stack_trace,
                gc.get_threshold(), pulumi.Output.__init__, rpc.transfer_properties, pulumi.get, _types.get,
                stack.massage_complex, "__getattr__" in vars(pulumi.Resource), "_is_known" in vars(pulumi.Output))

    before = patched()
    frozen = gc.get_freeze_count()
    with fast_sdk():
        with fast_sdk():  # a nested run (stack reference) shares the patches
            assert log.debug is not before[2]
        during = patched()
        assert all(now is not then for now, then in zip(during[5:10], before[5:10]))
        assert during[10:] == (True, True)
        assert resource._get_stack_trace is not before[3]
    assert patched() == before
    assert before[10:] == (False, False)
    assert gc.get_freeze_count() == frozen


def test_fast_sdk_leaves_a_callers_frozen_objects_frozen():
    gc.collect()
    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        with fast_sdk():
            pass
        # Unfreezing would empty the permanent generation; frozen objects that other threads free
        # meanwhile may shrink it a little, so the count itself is not compared.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_sdk_debug_lines_still_reach_the_log_when_debug_logging_is_on(tmp_path, caplog):
    from synth.run import synthesize

    (tmp_path / "__main__.py").write_text(
        "from pulumi_azure_native import resources\n"
        "resources.ResourceGroup('rg', resource_group_name='rg-x', location='uksouth')\n")
    with caplog.at_level(logging.DEBUG, logger="borough.synth"):
        synthesize(tmp_path, "dev")
    assert any("registering resource" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="borough.synth"):
        synthesize(tmp_path, "dev")
    assert not any("registering resource" in r.getMessage() for r in caplog.records)


def test_repeated_runs_give_the_same_graph(tmp_path):
    from synth.run import synthesize

    (tmp_path / "__main__.py").write_text(
        "import pulumi\n"
        "from pulumi_azure_native import resources, storage\n"
        "rg = resources.ResourceGroup('rg', resource_group_name='rg-x', location='uksouth')\n"
        "st = storage.StorageAccount('st', account_name='stx', resource_group_name=rg.name, kind='StorageV2',\n"
        "    sku=storage.SkuArgs(name='Standard_GRS'), identity=storage.IdentityArgs(type='SystemAssigned'))\n"
        "pulumi.export('principal', st.identity.apply(lambda i: i.principal_id))\n")
    graphs = {synthesize(tmp_path, "dev").to_json() for _ in range(2)}
    assert len(graphs) == 1
    assert '"principal": "' in graphs.pop()


def _wait_outcome(wait_for_rpcs, delays_and_failures):
    """Run a wait over outputs that finish after the given delays (some failing); count loop turns."""
    import asyncio

    from pulumi.runtime.settings import SETTINGS

    turns = 0

    async def main():
        nonlocal turns
        loop = asyncio.get_running_loop()
        original_run_once = loop._run_once

        def counting_run_once():
            nonlocal turns
            turns += 1
            original_run_once()

        loop._run_once = counting_run_once

        async def output(delay: float, fail: bool) -> str:
            await asyncio.sleep(delay)
            if fail:
                raise RuntimeError(f"output after {delay}s failed")
            return "ok"

        SETTINGS.outputs = deque()
        for delay, fail in delays_and_failures:
            task = asyncio.ensure_future(output(delay, fail))
            SETTINGS.outputs.append(task)
            if not fail:
                task.add_done_callback(lambda t: SETTINGS.outputs.remove(t) if t in SETTINGS.outputs else None)
        try:
            await wait_for_rpcs()
            return "done", len(SETTINGS.outputs)
        except RuntimeError as exc:
            return str(exc), None

    outcome = asyncio.run(main())
    return outcome, turns


def test_waiting_for_outputs_suspends_instead_of_spinning_and_raises_the_same_failure():
    from pulumi.runtime import stack

    from synth.sdk.sdk_fastpath import _quiet_wait_for_rpcs

    quiet = _quiet_wait_for_rpcs(stack.wait_for_rpcs)
    clean = [(0.05, False), (0.1, False)]
    sdk_outcome, sdk_turns = _wait_outcome(stack.wait_for_rpcs, clean)
    quiet_outcome, quiet_turns = _wait_outcome(quiet, clean)
    assert sdk_outcome == quiet_outcome == ("done", 0)
    assert quiet_turns * 10 < sdk_turns, (quiet_turns, sdk_turns)

    failing = [(0.05, False), (0.02, True)]
    assert _wait_outcome(quiet, failing)[0] == _wait_outcome(stack.wait_for_rpcs, failing)[0] == (
        "output after 0.02s failed", None)
