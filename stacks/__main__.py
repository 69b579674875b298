"""The borough Pulumi program: ``borough:environment`` in the stack file picks what it builds.

Run it for real with the Pulumi CLI (``pulumi preview``/``pulumi up``) or offline with
``borough stacks synth STACK``.
"""

from stacks.environments import build

build()
