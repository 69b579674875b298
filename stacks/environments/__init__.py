"""Environments composed from the components; ``build`` picks one from ``borough:environment``."""

from __future__ import annotations


def build() -> None:
    """The whole program: parse config once, tag everything in one place, build, export."""
    import pulumi

    from stacks.stackconfig import EnvironmentKind, load_from_pulumi
    from stacks.tagging import register_mandatory_tags

    config = load_from_pulumi()
    register_mandatory_tags(config.mandatory_tags())
    if config.environment is EnvironmentKind.platform:
        from stacks.environments.platform import build_platform as builder
    elif config.environment is EnvironmentKind.resident_services:
        from stacks.environments.resident_services import build_resident_services as builder
    else:
        from stacks.environments.data_platform import build_data_platform as builder
    for key, value in sorted(builder(config).items()):
        pulumi.export(key, value)
