"""`borough demo`: the estate at a glance, on the bundled stacks and sample estate."""

from __future__ import annotations


def demo() -> None:
    """Synthesize and check every bundled stack, load the sample estate and report on it."""
