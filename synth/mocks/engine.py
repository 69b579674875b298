"""The parts of the engine's gRPC surface that synthesis answers without recording anything.

A program brings its own Pulumi SDK (its virtualenv, ``--install``), and each SDK release may call
methods of the ``ResourceMonitor`` and ``Engine`` services that earlier ones did not (3.2xx asks
``GetDeploymentInfo`` before anything else). The answers here cover every method of both services
as the newest SDK defines them (``resource_pb2_grpc.ResourceMonitorServicer``,
``engine_pb2_grpc.EngineServicer``); ``RecordingMonitor`` adds the ones that record resources.

A method that no SDK borough knows defines is not guessed at: the call is remembered and the run
ends incomplete (exit 3) naming the SDK version and the method, since the program may depend on
whatever it answers. Runs inside the synthesis child: only the standard library and ``pulumi``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from synth.errors import UnansweredEngineCall

LOGGER = "borough.synth"
OLDEST_SDK = "3.60.0"
"""The oldest Pulumi SDK the SDK matrix runs (tests/sdk_matrix). Providers accept older ones
(azure-native 2 asks for pulumi>=3.35), but those do not install on the Python borough needs."""
SUPPORTED_FEATURES = ("secrets", "resourceReferences", "deletedWith", "aliasSpecs", "transforms",
                      "resourceHooks", "errorHooks")
"""What the engine tells the SDK it supports: ``outputValues`` is left out on purpose (inputs then
arrive as plain values, as the stock mocks do), and ``invokeTransforms`` because invoke
transforms are not applied offline."""
_FEATURE_ENUMS = {"secrets": "SECRETS", "resourceReferences": "RESOURCE_REFERENCES", "deletedWith": "DELETED_WITH",
                  "aliasSpecs": "ALIAS_SPECS", "transforms": "TRANSFORMS", "resourceHooks": "RESOURCE_HOOKS",
                  "errorHooks": "ERROR_HOOKS"}

UNANSWERED: list[str] = []
"""Engine methods the SDK called that borough does not answer, in call order (one child, one run)."""
_lock = threading.Lock()


def sdk_version() -> str:
    """The SDK's version as a message names it (a vendored SDK without metadata is still an SDK)."""
    from synth.sdk.sdk_versions import installed_version

    return installed_version() or "unknown"


def unanswered_error() -> dict[str, Any] | None:
    """The child's error for a run in which the SDK called a method nobody answered."""
    with _lock:
        methods = list(dict.fromkeys(UNANSWERED))
    if not methods:
        return None
    names = ", ".join(methods)
    return {"class": "UnansweredEngineCall", "exit_code": 3,
            "message": f"the program's Pulumi SDK {sdk_version()} called the engine method {names}, which borough's "
                       f"engine does not answer: the program was not synthesized, nothing was checked",
            "hint": "run it with an SDK borough knows (--python to a virtualenv with an older pulumi), or upgrade borough"}


def _unanswered(service: str, name: str) -> Any:
    def call(*_args: Any, **_kwargs: Any) -> Any:
        with _lock:
            UNANSWERED.append(f"{service}.{name}")
        raise UnansweredEngineCall(f"{service}.{name} is not answered by borough's engine")

    return call


class MonitorSurface:
    """``ResourceMonitor`` methods that need no record of the program's resources."""

    def __getattr__(self, name: str) -> Any:
        if name[:1].isupper():  # a gRPC method of a future SDK
            return _unanswered("ResourceMonitor", name)
        raise AttributeError(name)

    def SupportsFeature(self, request: Any) -> Any:
        return type("SupportsFeatureResponse", (), {"hasSupport": request.id in SUPPORTED_FEATURES})

    def GetDeploymentInfo(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        features = [getattr(resource_pb2, f"RESOURCE_MONITOR_FEATURE_{_FEATURE_ENUMS[f]}", None) for f in SUPPORTED_FEATURES]
        return resource_pb2.DeploymentInfo(supportedFeatures=[f for f in features if f is not None])

    def RegisterStackInvokeTransform(self, callback: Any) -> Any:
        return _empty()

    def RegisterResourceHook(self, request: Any) -> Any:
        return _empty()  # hooks run around real create/update/delete steps, which synthesis never takes

    def RegisterErrorHook(self, request: Any) -> Any:
        return _empty()

    def RegisterPackage(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        return resource_pb2.RegisterPackageResponse(ref=f"{request.name}@{request.version}")

    def SignalAndWaitForShutdown(self, request: Any) -> Any:
        return _empty()

    def StreamInvoke(self, request: Any) -> Any:
        yield self.Invoke(request)  # type: ignore[attr-defined]

    def Call(self, request: Any) -> Any:
        """A method of a component or provider resource (``cluster.get_kubeconfig()``): answered
        like a function call of the same token."""
        from pulumi.runtime.proto import provider_pb2

        from synth.mocks.answers import invoke_result
        from synth.wire import plain_to_struct, struct_to_wire

        ret = invoke_result(request.tok, struct_to_wire(request.args))
        return provider_pb2.CallResponse(**{"return": plain_to_struct(ret)})


class MockEngine:
    """The ``Engine`` service: program logs go to Python logging (never stdout); the root stack
    resource and version checks are answered as the CLI would for any version."""

    def __init__(self) -> None:
        self.root = ""

    def __getattr__(self, name: str) -> Any:
        if name[:1].isupper():
            return _unanswered("Engine", name)
        raise AttributeError(name)

    def Log(self, request: Any) -> None:
        logging.getLogger(LOGGER).log(_LEVELS.get(request.severity, logging.INFO), request.message)

    def GetRootResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import engine_pb2

        return engine_pb2.GetRootResourceResponse(urn=self.root)

    def SetRootResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import engine_pb2

        self.root = request.urn
        return engine_pb2.SetRootResourceResponse()

    def RequirePulumiVersion(self, request: Any) -> Any:
        return _empty()  # no CLI takes part offline: any range the program requires is met

    def StartDebugging(self, request: Any) -> Any:
        return _empty()


_LEVELS = {0: 10, 1: 20, 2: 30, 3: 40}


def _empty() -> Any:
    from google.protobuf import empty_pb2

    return empty_pb2.Empty()
