"""Pulumi -> ARM rendering, shared by compliance checks, drift, live posture and the live Azure reader.

``render_graph`` turns a resource graph into one ARM template; ``render_resource`` renders one
resource (drift compares it with the live ARM resource); ``TYPE_TABLE`` maps type tokens to ARM
types and API versions.
"""

from arm.render import NotRendered, RenderResult, URN_KEY, arm_name, render_graph, render_resource
from arm.template import TemplateError, dump_template, load_template
from arm.types import ARM_TYPES, TYPE_TABLE, ArmType

__all__ = [
    "ARM_TYPES",
    "TYPE_TABLE",
    "URN_KEY",
    "ArmType",
    "NotRendered",
    "RenderResult",
    "TemplateError",
    "arm_name",
    "dump_template",
    "load_template",
    "render_graph",
    "render_resource",
]
