"""Pulumi mocks that record the whole program and answer like Azure would.

The stock ``MockMonitor`` drops parent, provider, dependencies and source position before calling
``Mocks.new_resource``, and reads the stack name from a context variable that the gRPC executor
threads do not see. ``RecordingMonitor`` keeps the full ``RegisterResourceRequest`` and carries
its own project/stack, so a graph can be rebuilt from what the program declared.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlparse

from stacks.azure_answers import extra_outputs, stable_uuid, arm_identity, invoke_result
from stacks.graph import SECRET, GraphResource, SourcePosition
from stacks.transforms import TransformRunner

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ASSET_SIGS = {"c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"}
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

StackOutputsResolver = Callable[[str], dict[str, Any]]


def plain(value: Any) -> Any:
    """Protobuf struct (as JSON) -> plain data: secrets redacted, resource refs as URNs, ints kept."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            return SECRET
        if sig == RESOURCE_SIG:
            return value.get("urn")
        if sig == OUTPUT_SIG:
            return SECRET if value.get("secret") else plain(value.get("value"))
        if sig in ASSET_SIGS:
            return {k: v for k, v in value.items() if k != SIG_KEY}
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == UNKNOWN:
        return None
    return value


def struct_to_plain(struct: Any) -> dict[str, Any]:
    from google.protobuf import json_format

    return plain(json_format.MessageToDict(struct)) if struct is not None else {}


def plain_to_struct(data: dict[str, Any]) -> Any:
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update(data)
    return struct


@dataclass
class _Recorded:
    seq: int
    resource: GraphResource


@dataclass
class RecordingMonitor:
    """A resource monitor for ``pulumi.runtime.Settings`` that records every registration."""

    project: str
    stack: str
    root: Path
    stack_outputs: StackOutputsResolver
    records: dict[str, _Recorded] = field(default_factory=dict)
    transforms: TransformRunner = field(default_factory=TransformRunner)
    declared: dict[tuple[str, str], int] = field(default_factory=dict)
    """Program order of (type, name): registrations arrive from a thread pool in any order."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            parent_type = parent.split("::")[2]
            type_ = parent_type + "$" + type_
        return "urn:pulumi:" + "::".join([self.stack, self.project, type_, name])

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

    # --- gRPC surface -------------------------------------------------------------------
    def SupportsFeature(self, request: Any) -> Any:
        supported = request.id in {"secrets", "resourceReferences", "deletedWith", "aliasSpecs", "transforms"}
        return type("SupportsFeatureResponse", (), {"hasSupport": supported})

    def RegisterStackTransform(self, callback: Any) -> Any:
        from google.protobuf import empty_pb2

        self.transforms.stack_tokens.append(callback.token)
        return empty_pb2.Empty()

    def RegisterPackage(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        return resource_pb2.RegisterPackageResponse(ref=f"{request.name}@{request.version}")

    def SignalAndWaitForShutdown(self, request: Any) -> Any:
        from google.protobuf import empty_pb2

        return empty_pb2.Empty()

    def RegisterResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        urn = self.make_urn(request.parent, request.type, request.name)
        tokens = self.transforms.tokens_for(urn, [t.token for t in request.transforms], self._ancestors(request.parent))
        inputs = struct_to_plain(self.transforms.apply(tokens, request))
        resource_id, outputs = self._new_resource(request.type, request.name, urn, inputs, bool(request.custom))
        deps = set(request.dependencies)
        for prop_deps in request.propertyDependencies.values():
            deps.update(prop_deps.urns)
        resource = GraphResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent or None,
            provider=request.provider.rsplit("::", 1)[0] if request.provider else None,
            id=resource_id,
            inputs=inputs,
            outputs=outputs if request.custom else {},
            dependencies=sorted(d for d in deps if d),
            source=self._source(request),
        )
        with self._lock:
            self.records[urn] = _Recorded(len(self.records), resource)
        if request.type == "pulumi:pulumi:Stack":
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
            ret = invoke_result(request.tok, args)
        return provider_pb2.InvokeResponse(**{"return": plain_to_struct(ret)})

    def ReadResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        urn = self.make_urn(request.parent, request.type, request.name)
        state = struct_to_plain(request.properties)
        if request.type == "pulumi:pulumi:StackReference":
            state.setdefault("name", request.id)
        resource_id, outputs = self._new_resource(request.type, request.name, urn, state, True)
        resource = GraphResource(
            urn=urn, type=request.type, name=request.name, custom=True, parent=request.parent or None,
            provider=request.provider.rsplit("::", 1)[0] if request.provider else None,
            id=request.id or resource_id, inputs=state, outputs=outputs,
            dependencies=sorted(d for d in request.dependencies if d), source=self._source(request),
        )
        with self._lock:
            self.records[urn] = _Recorded(len(self.records), resource)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=plain_to_struct(outputs))

    def _ancestors(self, parent: str) -> list[str]:
        chain = []
        with self._lock:
            while parent:
                chain.append(parent)
                record = self.records.get(parent)
                parent = record.resource.parent if record and record.resource.parent else ""
        return chain

    # --- answers ---------------------------------------------------------------------------
    def _new_resource(self, token: str, name: str, urn: str, inputs: dict[str, Any], custom: bool) -> tuple[str | None, dict[str, Any]]:
        if not custom or token == "pulumi:pulumi:Stack":
            return None, {}
        if token == "pulumi:pulumi:StackReference":
            ref = str(inputs.get("name") or name)
            return ref, {"name": ref, "outputs": self.stack_outputs(ref), "secretOutputNames": []}
        if token.startswith("pulumi:providers:"):
            return stable_uuid(urn), dict(inputs)
        if token.startswith("azure-native:"):
            arm = arm_identity(token, name, inputs)
            outputs = {**inputs, "name": arm.name, "id": arm.id, "type": arm.arm_type}
            outputs.update(extra_outputs(token, arm.name, urn, inputs, arm.id))
            return arm.id, outputs
        return f"{name}-{hashlib.sha256(urn.encode()).hexdigest()[:8]}", dict(inputs)

    def _source(self, request: Any) -> SourcePosition | None:
        if not request.HasField("sourcePosition") or not request.sourcePosition.uri:
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
                if res.type == "pulumi:pulumi:Stack":
                    return (-1, res.urn)
                return (self.declared.get((res.type, res.name), len(self.declared)), res.urn)

            return [r.resource for r in sorted(self.records.values(), key=key)]
