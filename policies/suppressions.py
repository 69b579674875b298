"""Suppressions as data: which finding, on which resource, why, who approved it, until when.

One without a justification is refused (the file is bad input). An expired one no longer
suppresses, and the report lists it so someone renews or removes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from policies.catalog import read_yaml
from policies.model import Suppression, SuppressionFile
from policies.output.report import ExpiredSuppression, Finding


def load_suppressions(path: Path) -> list[Suppression]:
    return read_yaml(path, SuppressionFile).suppressions


@dataclass
class SuppressionSet:
    active: list[Suppression]
    expired: list[Suppression]

    @classmethod
    def split(cls, suppressions: list[Suppression], today: dt.date) -> "SuppressionSet":
        return cls(active=[s for s in suppressions if s.expires >= today],
                   expired=[s for s in suppressions if s.expires < today])

    def match(self, finding: Finding, arm_name: str) -> Suppression | None:
        names = [n for n in (finding.urn, finding.resource, arm_name, finding.resource_name) if n]
        for suppression in self.active:
            if suppression.check == finding.check_id and any(fnmatchcase(n, suppression.resource) for n in names):
                return suppression
        return None

    def expired_report(self) -> list[ExpiredSuppression]:
        return [ExpiredSuppression(s.check, s.resource, s.approver, s.expires) for s in self.expired]
