"""Where a SARIF result points, and what keeps its identity when code moves.

Code scanning resolves a result's file against the checked-out repository, so locations are
relative to the repository root (``uriBaseId`` ``SRCROOT``, declared in ``originalUriBaseIds``),
never the absolute path of the machine that ran the check. An alert keeps its identity across
runs through ``partialFingerprints``: a hash of what the finding is about (check and Pulumi URN,
or check, file and resource for a template), never of a line number or a machine's path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from policies.output.report import Finding

SRCROOT = "SRCROOT"
FINGERPRINT_KEY = "boroughFinding/v1"


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) holding ``.git``
    (a folder, or a file in a worktree or submodule); else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


@dataclass(frozen=True)
class SarifLocations:
    root: Path

    def original_uri_base_ids(self) -> dict[str, Any]:
        return {SRCROOT: {"uri": self.root.as_uri().rstrip("/") + "/",
                          "description": {"text": "The repository root the result paths are relative to."}}}

    def relative(self, file: str) -> str | None:
        """``file`` (relative to the working directory, or absolute) as a POSIX path relative to
        the root; None when it lies outside the root."""
        try:
            return Path(file).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def artifact_location(self, file: str) -> dict[str, Any]:
        relative = self.relative(file)
        if relative is None:
            return {"uri": Path(file).resolve().as_uri()}
        return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}

    def fingerprint(self, finding: Finding) -> dict[str, str]:
        """Stable across runs, machines and lines added above the resource: the check and the
        resource's identity (its URN; for a template without one, the file and ARM resource id)."""
        if finding.urn:
            identity = finding.urn
        else:
            where = self.relative(finding.file) if finding.file else None
            identity = f"{where or (Path(finding.file).name if finding.file else '')}\0{finding.resource}"
        digest = hashlib.sha256(f"{finding.check_id}\0{identity}".encode("utf-8")).hexdigest()
        return {FINGERPRINT_KEY: digest}
