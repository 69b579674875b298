"""A system named the way people name it: by id, or by the name the council's sheet uses.

``inventory show "Finance ERP"`` should find ``finance-erp``. An id is taken as it is; otherwise
the text is compared with every name, case and spacing ignored (the importer's rule), and must
fit exactly one system. A name that fits several is refused with their ids; one that fits none
is refused with the closest names and ids ("did you mean").
"""

from __future__ import annotations

import difflib

from inventory.errors import InventoryError, NotFoundError
from inventory.importing.slugs import name_key


def resolve_id(names: dict[str, str], text: str) -> str:
    """The id ``text`` means, given every registered id -> name."""
    given = text.strip()
    if given in names:
        return given
    key = name_key(given)
    matches = sorted(system_id for system_id, name in names.items() if name_key(name) == key or system_id == key.replace(" ", "-"))
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InventoryError(f"'{given}' is the name of {len(matches)} systems: {', '.join(matches)}", hint="give the id instead")
    candidates = {name_key(name): system_id for system_id, name in names.items()}
    candidates.update({system_id: system_id for system_id in names})
    close = difflib.get_close_matches(key, list(candidates), n=3, cutoff=0.6)
    suggestions: dict[str, str] = {}
    for match in close:
        system_id = candidates[match]
        suggestions.setdefault(system_id, system_id if match == system_id else f"{names[system_id]} ({system_id})")
    hint = f"did you mean: {'; '.join(suggestions.values())}?" if suggestions else "borough inventory list shows the ids and names"
    raise NotFoundError(f"no system '{given}' in the register (by id or name)", hint=hint)


def find_id(store: object, text: str) -> str:
    """:func:`resolve_id` against the register in ``store`` (a :class:`inventory.store.Store`)."""
    return resolve_id(store.names(), text)  # type: ignore[attr-defined]
