"""A starter mapping file: every field a column can feed and every value a word can mean.

A council's register has its own headings and words; the mapping file says what they mean. A
person writing one needs the list of fields and values, so ``borough inventory mapping --template``
writes a mapping that names them all, ready to edit (it loads as it is: each heading and word is
the field's or value's own name until changed).
"""

from __future__ import annotations

from inventory.importing.mapping import DEPENDENCY_COLUMNS, SYSTEM_COLUMNS
from inventory.importing.values import ENUMS, SCALARS

KIND_OF = {
    "parse_date": "a date: 2027-03-31 or 31/03/2027",
    "parse_money": "GBP a year: 12500, £12,500",
    "parse_bool": "yes or no",
    "parse_int": "a whole number",
    "parse_id": "an id (lower-case words joined by hyphens); or leave it out and ids are made from names",
}
SAID = {
    "name": "required",
    "depends_on": "systems this one depends on, by id or name, separated by list_separator; 'name (kind: description)'",
    "state_on": "the date the state was reached (dates the state change in the history)",
    "target_stack": "a bundled stack, any other stack or subscription, or a SaaS product",
    "source": "dependencies sheet: the system that depends (id or name)",
    "target": "dependencies sheet: the system depended on (id or name)",
    "description": "free text (on a dependencies sheet: what flows)",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _what(field: str) -> str:
    if field in ENUMS:
        return "one of the values listed under values:"
    parser = SCALARS.get(field)
    if field in SAID:
        return SAID[field]
    if parser is not None:
        return KIND_OF.get(parser.__name__, "")
    return "text"


def mapping_template() -> str:
    lines = [
        "# A starter mapping for: borough inventory import SHEET --mapping THIS-FILE",
        "# Change each heading on the left of columns: to your sheet's heading; delete the fields you do not keep.",
        "# Under values:, change each word on the left to the word your sheet uses (add more lines for more words).",
        "systems_sheet: Systems          # the worksheet holding systems (XLSX); delete for CSV",
        "dependencies_sheet: Interfaces  # a worksheet of dependencies, one per row; delete if none",
        'list_separator: ";"             # what separates several systems in one Depends On cell',
        "columns:",
    ]
    for field in dict.fromkeys((*SYSTEM_COLUMNS, *DEPENDENCY_COLUMNS)):
        heading = field.replace("_", " ").title()
        if field in ("source", "target"):
            heading = {"source": "From System", "target": "To System"}[field]
        lines.append(f"  {_quote(heading)}: {field}  # {_what(field)}")
    lines.append("values:")
    for field, parse in sorted(ENUMS.items()):
        members = [m.value for m in parse.enum]  # type: ignore[attr-defined]
        lines.append(f"  {field}:")
        lines.extend(f"    {_quote(value)}: {_quote(value)}" for value in members)
    return "\n".join(lines) + "\n"
