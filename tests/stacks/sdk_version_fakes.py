"""An interpreter that runs borough's own SDK but reports another ``pulumi`` version: the synthesis
child then takes the SDK's own code path (``synth.sdk.sdk_versions``), for comparisons with the fast path."""

from __future__ import annotations

import stat
import sys
from pathlib import Path


def interpreter_reporting(version: str, tmp_path: Path) -> Path:
    """A ``python`` that imports the same SDK but whose ``pulumi`` metadata says ``version``."""
    meta = tmp_path / "fake-meta" / f"pulumi-{version}.dist-info"
    meta.mkdir(parents=True)
    (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: pulumi\nVersion: {version}\n", encoding="utf-8")
    wrapper = tmp_path / "python"
    wrapper.write_text(f"#!/bin/sh\nPYTHONPATH={meta.parent} exec {sys.executable} \"$@\"\n", encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper
