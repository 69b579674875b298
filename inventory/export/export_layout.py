"""How an XLSX export looks to the people who open it: their own headings, a bold frozen header
row with filters, and columns wide enough to read.

A council that imports its register through a mapping file wants the export back under its own
headings ("App Ref", "Hosted Where"), so the sheet can go back to the people who keep it and be
imported again through the same mapping. Values stay borough's canonical words, which every
import reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MAX_WIDTH = 60


def council_headings(mapping: Path) -> tuple[dict[str, str], str | None, str | None]:
    """field -> the first heading the mapping gives it, and the mapping's sheet names.

    Read by the importer's own loader, so a broken file is refused the same way it would be on import."""
    from inventory.importing.mapping import load_mapping

    rules = load_mapping(mapping)
    return dict(rules.headings), rules.systems_sheet, rules.dependencies_sheet


def lay_out(sheet: Any) -> None:
    """Bold frozen header row, a filter over every column, and widths that fit the text (within reason)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if sheet.max_row < 1 or sheet.max_column < 1:
        return
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 1000)), start=1):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=4)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), MAX_WIDTH)
