"""The one place mandatory tags are applied: a stack-wide transformation.

Every azure-native resource whose type has a ``tags`` input gets the five mandatory tags (a
resource's own tags win for other keys, never for the mandatory ones). The legacy stack
transformation is used rather than ``register_resource_transform`` because it runs inside the
SDK, so it works the same under ``pulumi up`` and under offline synthesis.
"""

from __future__ import annotations

from typing import Any

MANDATORY_TAGS = ("system-id", "owner", "environment", "data-classification", "cost-centre")


def register_mandatory_tags(tags: dict[str, str]) -> None:
    import pulumi

    missing = [k for k in MANDATORY_TAGS if not tags.get(k)]
    if missing:
        raise ValueError(f"mandatory tags missing: {', '.join(missing)}")
    pulumi.runtime.register_stack_transformation(lambda args: add_tags(args, tags))


def add_tags(args: Any, tags: dict[str, str]) -> Any:
    import pulumi

    if not args.type_.startswith("azure-native:") or "tags" not in args.props:
        return None
    own = args.props.get("tags")
    if own is None:
        merged: Any = dict(tags)
    else:
        merged = pulumi.Output.from_input(own).apply(lambda current: {**(current or {}), **tags})
    return pulumi.ResourceTransformationResult(props={**args.props, "tags": merged}, opts=args.opts)
