"""JSON Schemas (draft 2020-12) of every command's ``--format json`` output (inventory, report,
stacks list, policies list, check, drift).

The schemas are generated from the record types the commands serialise (pydantic), so the
documentation in ``docs/schemas/`` cannot say one thing while the output does another; a test
checks the committed files are current and validates real outputs against them. Regenerate with::

    python -m cli.schemas docs/schemas
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"

WAVE_PLAN: dict[str, Any] = {
    "type": "object",
    "description": "A proposed wave plan: the options it was made with, then its sections.",
    "properties": {
        "options": {
            "type": "object",
            "properties": {
                "start": {"type": "string", "pattern": r"^\d{4}-\d{2}$", "description": "Month of wave 1, YYYY-MM."},
                "capacity": {"type": ["integer", "null"], "minimum": 1, "description": "Most systems per wave; null for no limit."},
                "blackout_months": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}},
                "include": {"type": "array", "items": {"enum": ["discovered", "on-hold"]},
                            "description": "States left out of waves by default that this plan places (--include)."},
            },
            "required": ["start", "capacity", "blackout_months", "include"],
            "additionalProperties": False,
        },
        "waves": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "wave": {"type": "integer", "minimum": 1},
                    "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                    "systems": {"type": "array", "items": {"type": "string"}},
                    "skipped_blackout": {"type": "array", "items": {"type": "string"}, "description": "Blackout months skipped before this wave."},
                },
                "required": ["wave", "month", "systems", "skipped_blackout"],
                "additionalProperties": False,
            },
        },
        "groups": {
            "type": "array",
            "description": "Move groups (a dependency cycle moves as one), with why each sits where it does.",
            "items": {
                "type": "object",
                "properties": {
                    "wave": {"type": "integer", "minimum": 1},
                    "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                    "systems": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["wave", "month", "systems", "reasons"],
                "additionalProperties": False,
            },
        },
        "cycles": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "systems": {"type": "array", "items": {"type": "string"}, "description": "Every system in the cycle, sorted."},
                    "example": {"type": "array", "items": {"type": "string"}, "description": "One path round it, back to its first system."},
                },
                "required": ["systems", "example"],
                "additionalProperties": False,
            },
        },
        "not_migrating": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"system": {"type": "string"}, "why": {"type": "string"}},
                "required": ["system", "why"],
                "additionalProperties": False,
            },
        },
        "changes": {
            "type": "array",
            "description": "Waves that differ from the register: what --apply writes.",
            "items": {
                "type": "object",
                "properties": {"system": {"type": "string"}, "from": {"type": ["integer", "null"]}, "to": {"type": "integer"}},
                "required": ["system", "from", "to"],
                "additionalProperties": False,
            },
        },
        "applied": {"type": "array", "items": {"type": "string"}, "description": "Only with --apply: systems whose wave was written."},
    },
    "required": ["options", "waves", "groups", "cycles", "not_migrating", "changes"],
    "additionalProperties": False,
}


def _strict(node: Any) -> None:
    """Every property is always written (required) and nothing else is (no additional properties)."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _strict(value)
    elif isinstance(node, list):
        for value in node:
            _strict(value)


def _generated(kind: Any, title: str, description: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = TypeAdapter(kind).json_schema(mode="serialization")
    _strict(schema)
    return {"$schema": DIALECT, "title": title, "description": description, **{k: v for k, v in schema.items() if k not in ("title", "description")}}


def command_schemas() -> dict[str, dict[str, Any]]:
    """File stem (the command, e.g. ``report-risk``) -> its schema."""
    from inventory.export.exporting import ExportRecord
    from inventory.importing.result import ImportResult
    from inventory.reports.caf import CafReport
    from inventory.reports.outlook import OutlookReport
    from inventory.reports.portfolio import PortfolioReport
    from inventory.reports.progress import ProgressReport
    from inventory.reports.risk import RiskReport
    from inventory.reports.time_quadrant import TimeReport
    from inventory.reports.waves import WavesReport
    from inventory.views import EventRecord, ProblemRecord, SystemDetail, SystemRecord

    schemas = {
        "inventory-list": _generated(list[SystemRecord], "borough inventory list", "Every system matching the filters, by id."),
        "inventory-show": _generated(SystemDetail, "borough inventory show", "One system, what it depends on and what depends on it."),
        "inventory-history": _generated(list[EventRecord], "borough inventory history", "History events, oldest first."),
        "inventory-import": _generated(ImportResult, "borough inventory import", "What an import added and changed, and ids it made from names."),
        "inventory-validate": _generated(list[ProblemRecord], "borough inventory validate", "Where the register and the stack files disagree."),
        "inventory-waves": {"$schema": DIALECT, "title": "borough inventory waves", **WAVE_PLAN},
        "inventory-export": _generated(ExportRecord, "borough inventory export --format json",
                                       "The whole register, systems by id and dependencies by source and target, "
                                       "in the form `inventory import` reads back."),
    }
    for name, model, what in (
        ("portfolio", PortfolioReport, "Systems by state and strategy, by service area and by hosting, with annual costs."),
        ("progress", ProgressReport, "Per wave planned against done, and month by month from the history."),
        ("risk", RiskReport, "Risks to live systems, one section per kind of risk."),
        ("waves", WavesReport, "The waves the register holds, their members, and dependency-order problems."),
        ("caf", CafReport, "NCSC CAF scoping: critical systems, their dependencies, and owner gaps."),
        ("time", TimeReport, "The TIME categories with their systems and costs."),
        ("outlook", OutlookReport, "The board pack's first page: figures now and since a day, waves against plan, what moves next."),
    ):
        schemas[f"report-{name}"] = _generated(model, f"borough report {name}", what)
    from inventory.reports.snapshot import OutlookSnapshot

    schemas["report-outlook-snapshot"] = _generated(OutlookSnapshot, "borough report html|outlook --save-snapshot",
                                                    "The headline figures as a report showed them, for a later report's --since FILE.")
    schemas.update(_stack_and_policy_schemas())
    schemas.update(_drift_schemas())
    return schemas


def _drift_schemas() -> dict[str, dict[str, Any]]:
    """``drift stack`` and ``drift inventory``: one report type (:mod:`inventory.live.report`, so no
    import of ``stacks`` here), narrowed per command to the ``kind`` it writes and whether it
    counts matched resources (inventory) or lists managed ones (stack)."""
    from inventory.live.report import DriftReportRecord

    out = {}
    for kind, what, matched in (
        ("stack", "A deployed stack against live Azure: modified, deleted and hand-made resources, and a verdict "
         "per managed resource.", {"type": "null"}),
        ("inventory", "The register against live resources by their system-id tag.", {"type": "integer", "minimum": 0}),
    ):
        schema = _generated(DriftReportRecord, f"borough drift {kind}", what)
        schema["properties"]["kind"] = {"const": kind}
        schema["properties"]["matched_resources"] = {**matched, "description": schema["properties"]["matched_resources"]["description"]}
        if kind == "inventory":
            schema["properties"]["resources"] = {**schema["properties"]["resources"], "maxItems": 0}
        out[f"drift-{kind}"] = schema
    return out


def _stack_and_policy_schemas() -> dict[str, dict[str, Any]]:
    """``stacks list``, ``policies list`` (both modes) and ``check``: generated from their record types too."""
    from policies.compliance.caf_evidence import CafEvidence
    from policies.compliance.coverage import InitiativeCoverage
    from policies.listing import CheckRecord, FrameworkRecord
    from policies.output.report import CheckReport
    from synth.catalog import StackInfo

    check = _generated(CheckReport, "borough check", "A compliance run: one finding record per check and resource "
                       "(passed, failed, suppressed, errored), what was not evaluated, per-target counts and, with "
                       "--framework, the status of each requirement.")
    check["properties"]["incomplete"] = {"type": "array", "items": {"type": "string"},
                                         "description": "Why the run is incomplete (exit 3); empty when it is not."}
    check["required"] = list(check["properties"])
    return {
        "stacks-list": _generated(list[StackInfo], "borough stacks list", "The bundled stacks, by name."),
        "policies-list": _generated(list[CheckRecord], "borough policies list",
                                    "Every check the baseline enforces, by id, with its framework mappings."),
        "policies-list-framework": _generated(FrameworkRecord, "borough policies list --framework",
                                              "One framework's requirements and the checks mapped to each."),
        "check": check,
        "policies-coverage": _generated(list[InitiativeCoverage], "borough policies coverage",
                                        "Per Azure Policy UK initiative: its policies, how many in each evidence class, "
                                        "how many checked ones a check covers, and every policy no check covers."),
        "report-caf-evidence": _generated(CafEvidence, "borough report caf-evidence --format json",
                                          "Per NCSC CAF contributing outcome: the checks that judged it and where, Azure "
                                          "Policy's recorded states, register evidence and what remains for people; "
                                          "principle roll-ups."),
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, schema in command_schemas().items():
        path = directory / f"{stem}.schema.json"
        path.write_text(dumps(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(written_path)
