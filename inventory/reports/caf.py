"""CAF scoping: the NCSC CAF for local government starts by naming the systems that support the
council's essential functions (mission- and business-critical), who owns them, where they run and
what they lean on; a dependency of a critical system is in scope too, whatever its own rating."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from inventory.register.model import Classification, Criticality, DependencyKind, Estate, Hosting
from inventory.reports.params import ReportParams
from inventory.reports.records import Record, Report
from inventory.reports.table import Table

IN_SCOPE = (Criticality.mission_critical, Criticality.business_critical)
RANK = {c: i for i, c in enumerate(Criticality)}


class CriticalSystem(Record):
    system: str
    name: str
    criticality: Criticality
    service_area: str
    business_owner: str
    technical_owner: str
    hosting: Hosting
    data_classification: Classification
    personal_data: bool
    depends_on: tuple[str, ...]
    used_by: tuple[str, ...]


class CriticalDependency(Record):
    """A critical system's dependency: in CAF scope whatever its own rating."""

    system: str
    depends_on: str
    kind: DependencyKind
    depends_on_criticality: Criticality
    depends_on_hosting: Hosting
    depends_on_in_scope: bool
    """Whether what it depends on is itself mission- or business-critical."""


class MissingOwner(Record):
    system: str
    missing: tuple[Literal["business_owner", "technical_owner"], ...]


class CafReport(Report):
    report: Literal["caf"] = "caf"
    scope: tuple[CriticalSystem, ...]
    """Live mission-critical systems first, then business-critical, each by id."""
    dependencies: tuple[CriticalDependency, ...]
    missing_owners: tuple[MissingOwner, ...]

    def tables(self) -> list[Table]:
        scope = Table(
            "CAF scope: mission- and business-critical systems",
            ("system", "name", "criticality", "service area", "business owner", "technical owner", "hosting",
             "classification", "personal data", "depends on", "used by"),
            tuple(
                (s.system, s.name, s.criticality.value, s.service_area, s.business_owner, s.technical_owner, s.hosting.value,
                 s.data_classification.value, s.personal_data, ", ".join(s.depends_on), ", ".join(s.used_by))
                for s in self.scope
            ),
        )
        dependencies = Table(
            "Dependencies of critical systems",
            ("system", "depends on", "kind", "its criticality", "its hosting", "itself in scope"),
            tuple(
                (d.system, d.depends_on, d.kind.value, d.depends_on_criticality.value, d.depends_on_hosting.value, d.depends_on_in_scope)
                for d in self.dependencies
            ),
        )
        gaps = Table(
            "Critical systems without a named owner",
            ("system", "missing"),
            tuple((m.system, ", ".join(f.replace("_", " ") for f in m.missing)) for m in self.missing_owners),
        )
        return [scope, dependencies, gaps]


def build(estate: Estate, params: ReportParams) -> CafReport:
    by_id = {s.id: s for s in estate.systems}
    depends: dict[str, list[str]] = defaultdict(list)
    used_by: dict[str, list[str]] = defaultdict(list)
    for d in estate.dependencies:
        depends[d.source].append(d.target)
        used_by[d.target].append(d.source)
    critical = sorted((s for s in estate.systems if s.is_live and s.criticality in IN_SCOPE), key=lambda s: (RANK[s.criticality], s.id))
    scope = tuple(
        CriticalSystem(
            system=s.id, name=s.name, criticality=s.criticality, service_area=s.service_area, business_owner=s.business_owner,
            technical_owner=s.technical_owner, hosting=s.hosting, data_classification=s.data_classification, personal_data=s.personal_data,
            depends_on=tuple(sorted(depends[s.id])), used_by=tuple(sorted(used_by[s.id])),
        )
        for s in critical
    )
    critical_ids = {s.id for s in critical}
    edges = []
    for d in estate.dependencies:
        target = by_id.get(d.target)
        if d.source in critical_ids and target is not None:
            edges.append(
                CriticalDependency(
                    system=d.source, depends_on=d.target, kind=d.kind, depends_on_criticality=target.criticality,
                    depends_on_hosting=target.hosting, depends_on_in_scope=d.target in critical_ids,
                )
            )
    edges.sort(key=lambda e: (e.system, e.depends_on))
    missing = []
    for s in critical:
        gaps = tuple(f for f in ("business_owner", "technical_owner") if not getattr(s, f).strip())
        if gaps:
            missing.append(MissingOwner(system=s.id, missing=gaps))  # type: ignore[arg-type]
    return CafReport(today=params.today, scope=scope, dependencies=tuple(edges), missing_owners=tuple(missing))
