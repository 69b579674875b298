"""`borough inventory waves`: plan migration waves from the dependency graph."""

from __future__ import annotations


def waves() -> None:
    """Plan migration waves from the dependency graph (--apply writes them)."""
