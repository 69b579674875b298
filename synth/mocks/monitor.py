"""Pulumi mocks that record the whole program and answer like Azure would.

The stock ``MockMonitor`` drops parent, provider, dependencies and source position before calling
``Mocks.new_resource``, and reads the stack name from a context variable that the gRPC executor
threads do not see. ``RecordingMonitor`` keeps the full ``RegisterResourceRequest`` and carries
its own project/stack, so a graph can be rebuilt from what the program declared.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlparse

from synth.mocks.answers import Registration, invoke_result, new_resource
from synth.graph import ROOT_STACK_TYPE, GraphResource, SourcePosition, engine_urn
from synth.mocks.transforms import TransformRunner
from synth.wire import mark_secret, plain, plain_to_struct, struct_to_plain, struct_to_wire
from synth.mocks.engine import MonitorSurface

__all__ = ["RecordingMonitor", "StackOutputsResolver", "plain"]

StackOutputsResolver = Callable[[str], dict[str, Any]]


@dataclass
class _Recorded:
    seq: int
    resource: GraphResource


@dataclass
class RecordingMonitor(MonitorSurface):
    """A resource monitor for ``pulumi.runtime.Settings`` that records every registration (the
    methods that record nothing are ``synth.mocks.engine``'s)."""

    project: str
    stack: str
    root: Path
    stack_outputs: StackOutputsResolver
    records: dict[str, _Recorded] = field(default_factory=dict)
    transforms: TransformRunner = field(default_factory=TransformRunner)
    declared: dict[tuple[str, str], int] = field(default_factory=dict)
    """Program order of (type, name): registrations arrive from a thread pool in any order."""
    group_locations: dict[str, str] = field(default_factory=dict)
    """Resource group name -> location, for resources that name a group and no location."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        return engine_urn(self.stack, self.project, parent, type_, name)

    def note_declared(self, args: Any) -> Any:
        """A stack transformation that sees resources in program order.

        It also drops aliases: azure-native gives every resource a score of API-version aliases,
        which only matter to a real engine's state and cost most of a synthesis run.
        """
        with self._lock:
            self.declared.setdefault((args.type_, args.name), len(self.declared))
        if not args.opts or not args.opts.aliases:
            return None
        import copy

        import pulumi

        opts = copy.copy(args.opts)
        opts.aliases = None
        return pulumi.ResourceTransformationResult(props=args.props, opts=opts)

    # --- gRPC surface that records ----------------------------------------------------------
    def RegisterStackTransform(self, callback: Any) -> Any:
        from google.protobuf import empty_pb2

        self.transforms.stack_tokens.append(callback.token)
        return empty_pb2.Empty()

    def RegisterResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        urn = self.make_urn(request.parent, request.type, request.name)
        tokens = self.transforms.tokens_for(urn, [t.token for t in getattr(request, "transforms", ())], self._ancestors(request.parent))
        wire = struct_to_wire(self.transforms.apply(tokens, request))
        provider = request.provider.rsplit("::", 1)[0] if request.provider else None
        registration = self._registration(request.type, request.name, urn, wire, provider)
        # A remote component (synced-folder's folders) is built by its provider: answered like a companion.
        answered = bool(request.custom) or bool(getattr(request, "remote", False))
        resource_id, outputs = new_resource(registration, answered)
        outputs = mark_secret(outputs, request.additionalSecretOutputs)
        deps = set(request.dependencies)
        for prop_deps in request.propertyDependencies.values():
            deps.update(prop_deps.urns)
        resource = GraphResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent or None,
            provider=provider,
            id=resource_id,
            inputs=plain(registration.inputs),
            outputs=plain(outputs) if answered else {},
            dependencies=sorted(d for d in deps if d),
            source=self._source(request),
        )
        location = resource.outputs.get("location")
        with self._lock:
            self.records[urn] = _Recorded(len(self.records), resource)
            if request.type == "azure-native:resources:ResourceGroup" and isinstance(location, str) and location:
                self.group_locations[str(resource.outputs.get("name"))] = location
        if request.type == ROOT_STACK_TYPE:
            return resource_pb2.RegisterResourceResponse(urn=urn)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id or "", object=plain_to_struct(outputs))

    def RegisterResourceOutputs(self, request: Any) -> Any:
        from google.protobuf import empty_pb2

        outputs = struct_to_plain(request.outputs)
        with self._lock:
            record = self.records.get(request.urn)
            if record is not None:
                record.resource.outputs = outputs
        return empty_pb2.Empty()

    def Invoke(self, request: Any) -> Any:
        from pulumi.runtime.proto import provider_pb2

        args = struct_to_plain(request.args)
        if request.tok == "pulumi:pulumi:getResource":
            with self._lock:
                record = self.records.get(args.get("urn", ""))
            if record is None:
                raise KeyError(f"unknown resource {args.get('urn')}")
            ret = {"urn": record.resource.urn, "id": record.resource.id or "", "state": record.resource.outputs}
        else:
            ret = invoke_result(request.tok, struct_to_wire(request.args))
        return provider_pb2.InvokeResponse(**{"return": plain_to_struct(ret)})

    def ReadResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        urn = self.make_urn(request.parent, request.type, request.name)
        wire = struct_to_wire(request.properties)
        if request.type == "pulumi:pulumi:StackReference":
            wire.setdefault("name", request.id)
        provider = request.provider.rsplit("::", 1)[0] if request.provider else None
        registration = Registration(request.type, request.name, urn, wire, stack_outputs=self.stack_outputs,
                                    read_id=request.id or None)
        resource_id, outputs = new_resource(registration, True)
        outputs = mark_secret(outputs, request.additionalSecretOutputs)
        resource = GraphResource(
            urn=urn, type=request.type, name=request.name, custom=True, parent=request.parent or None,
            provider=provider, id=request.id or resource_id, inputs=plain(wire), outputs=plain(outputs),
            dependencies=sorted(d for d in request.dependencies if d), source=self._source(request),
        )
        with self._lock:
            self.records[urn] = _Recorded(len(self.records), resource)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=plain_to_struct(outputs))

    def ExistsResource(self, request: Any) -> Any:
        """Whether a resource of that type and id exists: offline, only one this program declared."""
        from pulumi.runtime.proto import resource_pb2

        with self._lock:
            exists = any(r.resource.type == request.type and r.resource.id == request.id for r in self.records.values())
        return resource_pb2.ExistsResourceResponse(exists=exists)

    # --- provider configuration --------------------------------------------------------------
    def _registration(self, token: str, name: str, urn: str, wire: dict[str, Any], provider: str | None) -> Registration:
        """The registration as the provider sees it after its Check: azure-native fills a missing
        ``location`` from its configuration, else from the resource group's location."""
        registration = Registration(token, name, urn, wire, stack_outputs=self.stack_outputs)
        if not token.startswith("azure-native:") or "location" in wire:
            return registration
        from synth.mocks.sdk_shapes import input_names

        if "location" not in input_names(token):
            return registration
        location = self._provider_location(token.split(":")[0], provider) or self._group_location(wire)
        if location:
            registration.inputs = {**wire, "location": location}
        return registration

    def _provider_location(self, package: str, provider: str | None) -> str | None:
        """An explicit provider's ``location`` input; the default provider's is the stack config
        ``<package>:location``, which the engine hands to default providers."""
        with self._lock:
            record = self.records.get(provider) if provider else None
        if record is not None:  # an explicit provider: its own inputs are its whole configuration
            value = record.resource.inputs.get("location")
            return value if isinstance(value, str) and value else None
        value = self.program_config().get(f"{package}:location")
        return value if isinstance(value, str) and value else None

    def _group_location(self, wire: dict[str, Any]) -> str | None:
        """The location of a resource group this program declared (the provider caches those)."""
        group = wire.get("resourceGroupName")
        with self._lock:
            return self.group_locations.get(group) if isinstance(group, str) else None

    def program_config(self) -> dict[str, Any]:
        """The stack config the program runs with (set in its context before it starts)."""
        from pulumi.runtime.config import CONFIG

        context = self.transforms.context
        return dict(context.get(CONFIG, {})) if context is not None else {}

    def _ancestors(self, parent: str) -> list[str]:
        chain = []
        with self._lock:
            while parent:
                chain.append(parent)
                record = self.records.get(parent)
                parent = record.resource.parent if record and record.resource.parent else ""
        return chain

    def _source(self, request: Any) -> SourcePosition | None:
        try:
            if not request.HasField("sourcePosition") or not request.sourcePosition.uri:
                return None
        except ValueError:  # an SDK from before source positions (3.9x and older)
            return None
        path = Path(unquote(urlparse(request.sourcePosition.uri).path))
        if "site-packages" in path.parts:
            return None
        try:
            shown = path.relative_to(self.root).as_posix()
        except ValueError:
            shown = path.as_posix()
        return SourcePosition(file=shown, line=int(request.sourcePosition.line))

    def graph_resources(self) -> list[GraphResource]:
        with self._lock:
            def key(record: _Recorded) -> tuple[int, str]:
                res = record.resource
                if res.type == ROOT_STACK_TYPE:
                    return (-1, res.urn)
                return (self.declared.get((res.type, res.name), len(self.declared)), res.urn)

            return [r.resource for r in sorted(self.records.values(), key=key)]
