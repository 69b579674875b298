"""CAF scoping: the NCSC CAF for local government starts by naming the systems that support the
council's essential functions (mission- and business-critical), who owns them, where they run and
what they lean on; a dependency of a critical system is in scope too, whatever its own rating."""

from __future__ import annotations

from collections import defaultdict

from inventory.model import Criticality, Estate
from inventory.reports import ReportParams
from inventory.reports.table import Table

IN_SCOPE = (Criticality.mission_critical, Criticality.business_critical)
RANK = {c: i for i, c in enumerate(Criticality)}


def build(estate: Estate, params: ReportParams) -> list[Table]:
    by_id = {s.id: s for s in estate.systems}
    depends: dict[str, list[str]] = defaultdict(list)
    used_by: dict[str, list[str]] = defaultdict(list)
    for d in estate.dependencies:
        depends[d.source].append(d.target)
        used_by[d.target].append(d.source)
    critical = sorted(
        (s for s in estate.systems if s.is_live and s.criticality in IN_SCOPE),
        key=lambda s: (RANK[s.criticality], s.id),
    )
    rows = tuple(
        (
            s.id, s.name, s.criticality.value, s.service_area, s.business_owner, s.technical_owner,
            s.hosting.value, s.data_classification.value, s.personal_data,
            ", ".join(sorted(depends[s.id])), ", ".join(sorted(used_by[s.id])),
        )
        for s in critical
    )
    columns = ("system", "name", "criticality", "service area", "business owner", "technical owner", "hosting",
               "classification", "personal data", "depends on", "used by")
    scope = Table("CAF scope: mission- and business-critical systems", columns, rows)

    critical_ids = {s.id for s in critical}
    edges = []
    for d in estate.dependencies:
        target = by_id.get(d.target)
        if d.source in critical_ids and target is not None:
            edges.append((d.source, d.target, d.kind.value, target.criticality.value, target.hosting.value, d.target in critical_ids))
    edges.sort(key=lambda r: (r[0], r[1]))
    dependencies = Table(
        "Dependencies of critical systems",
        ("system", "depends on", "kind", "its criticality", "its hosting", "itself in scope"),
        tuple(edges),
    )
    missing = tuple(
        (s.id, ", ".join(f for f, v in (("business owner", s.business_owner), ("technical owner", s.technical_owner)) if not v.strip()))
        for s in critical if not s.business_owner.strip() or not s.technical_owner.strip()
    )
    gaps = Table("Critical systems without a named owner", ("system", "missing"), missing)
    return [scope, dependencies, gaps]
