"""Drive the policy pack as the Pulumi engine does: start it the way the Python language host
runs a policy pack (``python -m pulumi.policy <engine address> <pack dir>``) in the pack's own
environment, give it a loopback fake of the engine's logging service, read the port it prints,
and call ``pulumirpc.Analyzer`` over gRPC."""

from __future__ import annotations

import json
import subprocess
import threading
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2_grpc, plugin_pb2

from synth.graph import ResourceGraph

REPO = Path(__file__).resolve().parents[2]
POLICY_PYTHON = REPO / ".venv-policy" / "bin" / "python"
LEVEL_NAMES = {analyzer_pb2.ADVISORY: "advisory", analyzer_pb2.MANDATORY: "mandatory",
               analyzer_pb2.DISABLED: "disabled"}


class FakeEngine(engine_pb2_grpc.EngineServicer):
    """The engine's logging service: records what the pack logs."""

    def __init__(self) -> None:
        self.logs: list[tuple[int, str]] = []

    def Log(self, request, context):  # noqa: N802 - gRPC method name
        self.logs.append((request.severity, request.message))
        return empty_pb2.Empty()

    def GetRootResource(self, request, context):  # noqa: N802
        from pulumi.runtime.proto import engine_pb2

        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request, context):  # noqa: N802
        from pulumi.runtime.proto import engine_pb2

        return engine_pb2.SetRootResourceResponse()


@dataclass
class RunningPack:
    process: subprocess.Popen
    channel: grpc.Channel
    analyzer: analyzer_pb2_grpc.AnalyzerStub
    engine: FakeEngine
    server: grpc.Server
    stderr: list[str] = field(default_factory=list)

    def configure(self, config: dict[str, Any]) -> None:
        """As `--policy-pack-config`: a level string, or an object with enforcementLevel and properties."""
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, value in config.items():
            level = value if isinstance(value, str) else value.get("enforcementLevel", "advisory")
            properties = struct_pb2.Struct()
            if isinstance(value, dict):
                properties.update({k: v for k, v in value.items() if k != "enforcementLevel"})
            request.policyConfig[name].CopyFrom(analyzer_pb2.PolicyConfig(
                enforcementLevel={"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY,
                                  "disabled": analyzer_pb2.DISABLED}[level], properties=properties))
        self.analyzer.Configure(request, timeout=30)

    def stop(self) -> None:
        self.channel.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.server.stop(0)


def start_pack(pack_dir: Path) -> RunningPack:
    engine = FakeEngine()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    engine_pb2_grpc.add_EngineServicer_to_server(engine, server)
    engine_port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    process = subprocess.Popen([str(POLICY_PYTHON), "-u", "-m", "pulumi.policy", f"127.0.0.1:{engine_port}",
                                str(pack_dir)], cwd=pack_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stderr: list[str] = []
    threading.Thread(target=lambda: stderr.extend(line.decode(errors="replace") for line in process.stderr),
                     daemon=True).start()
    line = process.stdout.readline().decode().strip()
    if not line.isdigit():
        process.kill()
        server.stop(0)
        raise RuntimeError(f"the pack printed no port ({line!r}); stderr: {''.join(stderr)}")
    channel = grpc.insecure_channel(f"127.0.0.1:{line}", options=[("grpc.max_receive_message_length", 400 << 20)])
    grpc.channel_ready_future(channel).result(timeout=30)
    return RunningPack(process, channel, analyzer_pb2_grpc.AnalyzerStub(channel), engine, server, stderr)


SIG, SECRET_SIG = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def _wire(value: Any) -> Any:
    """An export's encrypted secret as the engine sends it (decrypted, under the secret signature)."""
    if isinstance(value, dict):
        if value.get(SIG) == SECRET_SIG and "value" not in value:
            return {SIG: SECRET_SIG, "value": "decrypted-by-the-engine"}
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(json.loads(json.dumps(_wire(value))))
    return struct


def stack_resources(export: dict[str, Any], properties: str = "outputs") -> list[analyzer_pb2.AnalyzerResource]:
    """AnalyzerResources from a `pulumi stack export` as the engine sends them: custom resources
    with their provider, every resource with its parent and dependencies."""
    raw = export["deployment"]["resources"]
    by_urn = {r["urn"]: r for r in raw}
    out = []
    for r in raw:
        provider = None
        if r.get("custom") and not r["type"].startswith("pulumi:providers:"):
            ref = r.get("provider") or ""
            provider_urn = ref.rsplit("::", 1)[0] if ref else r["urn"].split("::")[0] + "::default-provider"
            provider_type = by_urn.get(provider_urn, {}).get("type", "pulumi:providers:" + r["type"].split(":")[0])
            provider = analyzer_pb2.AnalyzerProviderResource(type=provider_type, urn=provider_urn,
                                                              name=provider_urn.rsplit("::", 1)[-1])
        out.append(analyzer_pb2.AnalyzerResource(
            type=r["type"], urn=r["urn"], name=r["urn"].rsplit("::", 1)[-1],
            properties=_struct(r.get(properties) or r.get("inputs") or {}), provider=provider,
            parent=r.get("parent") or "", dependencies=list(r.get("dependencies") or [])))
    return out


def preview_export(graph: ResourceGraph) -> dict[str, Any]:
    """A synthesized program's planned states as the engine holds them during the preview of a
    new stack: each resource's properties are its inputs (the provider's check), in export shape."""
    return {"version": 3, "deployment": {"manifest": {}, "resources": [
        {"urn": r.urn, "type": r.type, "custom": r.custom, "parent": r.parent, "provider": r.provider,
         "inputs": r.inputs, "outputs": r.inputs, "dependencies": r.dependencies}
        for r in graph.resources]}}


def violations(response: analyzer_pb2.AnalyzeResponse) -> list[dict[str, str]]:
    return [{"policy": d.policyName, "urn": d.urn, "message": d.message,
             "level": LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel))} for d in response.diagnostics]


def plugin_info(pack: RunningPack) -> plugin_pb2.PluginInfo:
    return pack.analyzer.GetPluginInfo(empty_pb2.Empty(), timeout=30)
