"""Names that look the same and are not: a Cyrillic 'С' in "СRM", a no-break space, a case.

A council's sheet passed through many hands: a name pasted from a Russian-language supplier's
document, or typed with a trailing no-break space, silently makes a second "CRM" beside the
first. So, once the import's rows are read and given ids, each name is checked:

- its letters come from one script (Latin, Cyrillic, Greek...), else it is reported, naming the
  letters from the other script;
- no two rows with different ids have names that differ only by spaces (any kind, including
  zero-width), case, or a look-alike letter from another script: the later row is reported,
  naming the earlier one.

Names are shown with invisible characters escaped (``\\u00a0``), so two names that print alike
in the message read differently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from yamlsafe.inputs import escape_controls

_LOOKALIKE = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ζ": "z",
})
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


@dataclass(frozen=True, slots=True)
class NamedRow:
    """One row's system: its id, its name and where the name was written."""

    id: str
    name: str
    file: str
    row: int
    derived: bool = False
    """Its id was made from its name (the resolver reports such a name equal to another's)."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.row}"


def shown(name: str) -> str:
    """A name with spaces other than the plain one and invisible characters escaped."""
    out = []
    for char in escape_controls(name):
        if (char.isspace() and char != " ") or char in _INVISIBLE:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def skeleton(name: str) -> str:
    """What a reader sees: case, every kind of space and look-alike letters folded away."""
    if name.isascii():
        return "".join(name.lower().split())
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKE)
    return "".join(ch for ch in folded if not ch.isspace() and ch not in _INVISIBLE and unicodedata.category(ch) != "Cf")


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return None


def mixed_scripts(name: str) -> str | None:
    """A note naming the letters that are not from the name's main script, or ``None``."""
    if name.isascii():
        return None
    letters = [(ch, _script(ch)) for ch in name]
    scripts = [s for _, s in letters if s]
    if len(set(scripts)) < 2:
        return None
    main = max(set(scripts), key=scripts.count)
    odd = sorted({ch for ch, s in letters if s and s != main})
    described = ", ".join(f"'{ch}' ({unicodedata.name(ch, 'U+%04X' % ord(ch))})" for ch in odd[:3])
    return f"its letters mix scripts: {described} among {main.title()} letters; a look-alike letter? retype it"


def problems(rows: Iterable[tuple[int, NamedRow]], row_at: Callable[[int], NamedRow], count: int) -> list[tuple[NamedRow, str]]:
    """(row, message) for each name that mixes scripts or looks like another row's name.

    ``rows`` are (position, row), at most ``count`` of them; ``row_at`` gives the row at a position
    again. The first row of each skeleton is kept as its position (a dict of skeletons to rows
    would cost about 200 bytes a row)."""
    from inventory.importing.compact import PositionTable

    found: list[tuple[NamedRow, str]] = []
    first = PositionTable(count)
    for position, row in rows:
        note = mixed_scripts(row.name)
        if note:
            found.append((row, f"name '{shown(row.name)}': {note}"))
        key = skeleton(row.name)
        key_hash = hash(key)
        other = next((earlier for earlier in map(row_at, first.candidates(key_hash)) if skeleton(earlier.name) == key), None)
        if other is None:
            first.add(key_hash, position)
        elif other.id != row.id and other.name != row.name and not (
                (row.derived or other.derived) and " ".join(row.name.casefold().split()) == " ".join(other.name.casefold().split())):
            found.append((row, f"name '{shown(row.name)}' looks like '{shown(other.name)}' ({other.id}) on {other.where}: "
                               "they differ only by spaces, case or a look-alike letter; make them the same system or tell them apart"))
    return found
