"""Text a spreadsheet would run as a formula ("CSV injection"), handled as OWASP advises.

A system named ``=HYPERLINK("http://evil.example/x","click")`` is data, but Excel or LibreOffice
opening an exported CSV or XLSX would run it. So:

- CSV export writes a text cell starting with ``= + - @ TAB CR`` with a leading single quote
  (:func:`escaped`), which spreadsheets show as text; CSV import takes it off again
  (:func:`unescaped`), so export then import gives the same data. A value that already starts
  with quotes before such a character gets one more, so the pair is exact for every value.
- XLSX export stores such cells as text, never as a formula (see :mod:`inventory.export.exporting`).
- Import keeps such a value but warns (:func:`formula_like`), naming its cell.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _starts_formula(text: str) -> bool:
    return text.lstrip("'")[:1] in FORMULA_START if text else False


def escaped(text: str) -> str:
    """The CSV form of a text cell: a leading single quote when a spreadsheet would run it."""
    return "'" + text if _starts_formula(text) else text


def unescaped(text: str) -> str:
    """The value :func:`escaped` wrote (any other text unchanged)."""
    return text[1:] if text.startswith("'") and _starts_formula(text) else text


def formula_like(value: object) -> bool:
    """True for text a spreadsheet would run as a formula (a lone ``-`` placeholder is not)."""
    if not isinstance(value, str):
        return False
    first = value.lstrip(" ")[:1]
    return first in FORMULA_START and value.strip(" -+\t\r") != ""
