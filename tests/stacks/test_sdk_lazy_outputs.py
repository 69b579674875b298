"""The lean and lazy output bookkeeping (synth/sdk/lean_outputs.py, lazy_properties.py) gives a
program the same outputs as the SDK's own code: read before or after they resolve, through a
property, a plain attribute or a whole-resource export, failed or cancelled.

The end-to-end test runs one program twice through the real synthesis child: once on the fast
path and once in an interpreter whose SDK reports an unverified version, so the SDK's own code
runs; the graphs (resources, inputs, outputs, stack outputs) must be identical."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from synth.sdk.lazy_properties import _Properties, resolve_into
from synth.sdk.lean_outputs import _value_known
from tests.stacks.sdk_version_fakes import interpreter_reporting

UNSET = object()


def _outcome(future: "asyncio.Future[Any]") -> tuple[str, Any]:
    if future.cancelled():
        return ("cancelled", None)
    if future.exception() is not None:
        return ("error", future.exception())
    return ("value", future.result())


async def _both(known: Any, value: Any) -> tuple[tuple[str, Any], tuple[str, Any], bool]:
    """The SDK's ``is_value_known`` coroutine and ``_value_known`` over the same two futures."""
    from pulumi.output import contains_unknowns

    is_known, future = asyncio.Future(), asyncio.Future()

    async def is_value_known() -> bool:  # the SDK's Output.__init__ coroutine, verbatim in meaning
        return await is_known and not contains_unknowns(await future)

    sdk = asyncio.ensure_future(is_value_known())
    lean = _value_known(is_known, future)
    for source, given in ((is_known, known), (future, value)):
        if given is UNSET:
            continue
        if given == "cancel":
            source.cancel()
        elif isinstance(given, Exception):
            source.set_exception(given)
        else:
            source.set_result(given)
    for _ in range(5):
        await asyncio.sleep(0)
    settled = sdk.done() and lean.done()
    return _outcome(sdk), _outcome(lean), settled


@pytest.mark.parametrize("known, value", [
    (True, "stx"),
    (True, {"a": ["b"]}),
    (False, UNSET),  # not known: answered without waiting for the value, as `and` short-circuits
    (None, UNSET),
    (RuntimeError("register failed"), UNSET),
    (True, RuntimeError("value failed")),
    ("cancel", UNSET),
    (True, "cancel"),
])
def test_is_known_matches_the_sdks_coroutine(known: Any, value: Any) -> None:
    sdk, lean, settled = asyncio.run(_both(known, value))
    assert settled
    assert sdk == lean


def test_a_value_holding_an_unknown_is_not_known() -> None:
    from pulumi.output import UNKNOWN

    sdk, lean, _ = asyncio.run(_both(True, {"id": UNKNOWN}))
    assert sdk == lean == ("value", False)


class _Resource:
    """Stands in for a resource: ``_Properties`` only uses its ``__dict__`` and identity."""


async def _futures_of(output: Any) -> tuple[Any, bool, bool, set[Any]]:
    return await output._future, await output._is_known, await output._is_secret, await output._resources


def test_a_property_read_before_it_resolves_gets_the_resolved_value() -> None:
    async def run() -> tuple[Any, ...]:
        resource = _Resource()
        store = _Properties(resource, ("name", "location"))
        early = store.output("name")
        store["name"]("rg-x", True, False, None, None)
        store["location"]("uksouth", True, True, None, None)
        late = store.output("location")
        return await _futures_of(early), await _futures_of(late), resource.__dict__["name"] is early

    (name, name_known, name_secret, name_deps), (location, _, location_secret, _), kept = asyncio.run(run())
    assert (name, name_known, name_secret) == ("rg-x", True, False)
    assert (location, location_secret) == ("uksouth", True)
    assert len(name_deps) == 1 and kept


def test_the_resolvers_are_the_properties_the_sdk_iterates() -> None:
    store = _Properties(_Resource(), ("name", "tags"))
    assert sorted(store) == ["name", "tags"] and len(store) == 2
    assert store.get("urn") is None and callable(store.get("tags"))
    with pytest.raises(KeyError):
        store["id"]


def test_a_failed_registration_fails_every_property_read_before_or_after() -> None:
    async def run() -> list[str]:
        store = _Properties(_Resource(), ("name", "tags"))
        early = store.output("name")
        failure = RuntimeError("the provider refused it")
        for _, resolve in store.items():
            resolve(None, False, False, None, failure)
        late = store.output("tags")
        messages = []
        for output in (early, late):
            with pytest.raises(RuntimeError) as raised:
                await output._future
            messages.append(str(raised.value))
        return messages

    assert asyncio.run(run()) == ["the provider refused it"] * 2


def test_building_every_property_keeps_declaration_order_and_objects_already_read() -> None:
    async def run() -> tuple[list[str], bool]:
        resource = _Resource()
        resource.__dict__["urn"] = "urn-output"
        store = _Properties(resource, ("name", "location", "tags"))
        read = store.output("location")
        store.build_all()
        return list(resource.__dict__), resource.__dict__["location"] is read

    order, same = asyncio.run(run())
    assert order == ["urn", "name", "location", "tags"]
    assert same


def test_a_deferred_resolution_that_fails_fails_the_properties_read_afterwards() -> None:
    async def run() -> str:
        store = _Properties(_Resource(), ("name",))

        def provider_answer_unreadable() -> None:
            raise ValueError("unexpected output shape")

        store.deferred = provider_answer_unreadable
        with pytest.raises(ValueError) as raised:
            await store.output("name")._future
        return str(raised.value)

    assert asyncio.run(run()) == "unexpected output shape"


def test_resolve_into_adds_the_resource_to_the_dependencies_given() -> None:
    async def run() -> set[Any]:
        resource, other = _Resource(), _Resource()
        futures = [asyncio.Future() for _ in range(4)]
        resolve_into(resource, *futures, "v", True, False, {other}, None)
        return await futures[3]

    assert len(asyncio.run(run())) == 2


PROGRAM = '''\
import pulumi
from pulumi_azure_native import resources, storage


class Handmade(pulumi.CustomResource):
    """A hand-written resource that reads its outputs as plain attributes, as StackReference does."""

    def __init__(self, name, opts=None):
        super().__init__("azure-native:resources:ResourceGroup", name,
                         {"location": "uksouth", "resource_group_name": "rg-handmade", "name": None, "tags": None}, opts)


class Site(pulumi.ComponentResource):
    def __init__(self, name, group, opts=None):
        super().__init__("council:web:Site", name, None, opts)
        self.account = storage.StorageAccount(f"{name}-st", account_name=f"{name}st", resource_group_name=group.name,
                                              kind="StorageV2", sku=storage.SkuArgs(name="Standard_LRS"),
                                              opts=pulumi.ResourceOptions(parent=self))
        self.endpoint = self.account.primary_endpoints.apply(lambda e: e.web)
        self.register_outputs({"endpoint": self.endpoint})


rg = resources.ResourceGroup("rg", resource_group_name="rg-x", location="uksouth", tags={"owner": "platform"})
handmade = Handmade("handmade")
sites = [Site(f"site{i}", rg) for i in range(3)]
keys = storage.list_storage_account_keys_output(resource_group_name=rg.name, account_name=sites[0].account.name)
pulumi.export("group", rg)
pulumi.export("handmade_name", handmade.name)
pulumi.export("endpoints", pulumi.Output.all(*[s.endpoint for s in sites]))
pulumi.export("first_key", pulumi.Output.secret(keys.keys[0].value))
pulumi.export("location_then_name", rg.location.apply(lambda l: rg.name.apply(lambda n: f"{l}/{n}")))
pulumi.export("site_account", sites[1].account)
late = storage.StorageAccount("late", account_name="latest", resource_group_name="rg-x", kind="StorageV2",
                              sku=storage.SkuArgs(name="Standard_LRS"))
# read only once its registration is over: the deferred resolution of the provider's answer
pulumi.export("late_blob", late.id.apply(lambda _: late.primary_endpoints.apply(lambda e: e.blob)))
'''


def test_the_fast_path_gives_the_sdks_graph_on_a_program_reading_outputs_every_way(tmp_path: Path,
                                                                                   caplog: pytest.LogCaptureFixture) -> None:
    from synth.run import SynthOptions, synthesize

    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="borough.synth"):
        fast = synthesize(program, "dev")
        assert "outside the versions" not in caplog.text
        slow = synthesize(program, "dev", options=SynthOptions(python=interpreter_reporting("3.229.0", tmp_path)))
    assert "outside the versions" in caplog.text
    assert fast.to_json() == slow.to_json()
    outputs = fast.outputs
    assert outputs["group"]["location"] == "uksouth" and outputs["group"]["name"] == "rg-x"
    handmade = next(r for r in fast.resources if r.name == "handmade")
    assert outputs["handmade_name"] == handmade.outputs["name"] != ""
    assert len(outputs["endpoints"]) == 3 and all(e.startswith("https://site") for e in outputs["endpoints"])
    assert outputs["location_then_name"] == "uksouth/rg-x"
    assert "primaryEndpoints" in outputs["site_account"] or "primary_endpoints" in outputs["site_account"]
    assert outputs["late_blob"] == "https://latest.blob.core.windows.net/"
