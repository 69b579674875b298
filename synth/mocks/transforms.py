"""Resource transforms (``register_resource_transform``, ``opts.transforms``) under synthesis.

Under ``pulumi up`` the engine calls transforms back over gRPC. Offline there is no engine, so
the SDK's own callback servicer is used without its server: the recording monitor runs each
transform callback on the program's event loop, in the program's context, before it records the
resource, and records what the transforms return. Order as in the engine: the resource's own
transforms, then its ancestors', then the stack's.
"""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass, field
from typing import Any


def local_callbacks(monitor: Any) -> Any:
    """The SDK's ``_CallbackServicer`` minus the gRPC server (it only ever serves this process)."""
    from pulumi.runtime._callbacks import _CallbackServicer

    class LocalCallbacks(_CallbackServicer):
        def __init__(self) -> None:  # no super(): that would start a server and list it for shutdown
            self._callbacks = {}
            self._transforms = {}
            self._monitor = monitor
            self._target = "in-process"

        async def serve(self) -> None:
            return None

    return LocalCallbacks()


@dataclass
class TransformRunner:
    """Set up by the synthesis run: the loop and context the program runs in."""

    loop: asyncio.AbstractEventLoop | None = None
    context: contextvars.Context | None = None
    callbacks: Any = None
    stack_tokens: list[str] = field(default_factory=list)
    resource_tokens: dict[str, list[str]] = field(default_factory=dict)
    """URN -> the tokens of the transforms registered on that resource (they apply to children)."""

    def tokens_for(self, urn: str, own: list[str], ancestors: list[str]) -> list[str]:
        if own:
            self.resource_tokens[urn] = own
        inherited = [t for parent in ancestors for t in self.resource_tokens.get(parent, [])]
        return [*own, *inherited, *self.stack_tokens]

    def apply(self, tokens: list[str], request: Any) -> Any:
        """Run the transforms over a RegisterResourceRequest; returns the final properties struct."""
        from pulumi.runtime.proto import resource_pb2

        properties = request.object
        if not tokens or self.callbacks is None or self.loop is None or self.context is None:
            return properties
        for token in tokens:
            callback = self.callbacks._callbacks.get(token)
            if callback is None:
                continue
            transform_request = resource_pb2.TransformRequest(
                type=request.type, name=request.name, custom=request.custom, parent=request.parent,
                properties=properties, options=resource_pb2.TransformResourceOptions(),
            )
            coroutine = callback(transform_request.SerializeToString())
            future = self.context.copy().run(asyncio.run_coroutine_threadsafe, coroutine, self.loop)
            response = future.result()
            if response.HasField("properties"):
                properties = response.properties
        return properties
