"""Bulk work on whole estates without the garbage collector's full passes.

Building tens of thousands of records that all stay alive makes CPython's cyclic collector run
full passes over an ever larger heap, which turns linear work quadratic (a 10,000-system import
took 18x the time of a 1,000-system one). Nothing these loops build is cyclic garbage, so the
collector is paused for their duration.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
