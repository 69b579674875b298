"""Ids for registers that keep none: readable slugs made from system names, and how names match.

Councils usually keep their register as a list of system names. The importer gives each one an
id made from its name (``Children's Social Care`` -> ``childrens-social-care``) so that importing
the same sheet again finds the same systems, and shows the ids so the council can add them to its
sheet. The slug is a pure function of the name: no counter, no register state.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 63
"""Long enough for any real system name; short enough for a resource tag value."""

_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """A readable id from a name: ASCII letters and digits joined by single hyphens.

    Apostrophes vanish (``Children's`` -> ``childrens``), ``&`` reads as ``and``, accents are
    dropped (``Café`` -> ``cafe``), everything else separates words. An empty result means the name
    has no letters or digits to make an id from.
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", text.lower()).replace("&", " and ")
    text = _NOT_SLUG.sub("-", text).strip("-")
    if len(text) > MAX_LENGTH:
        cut = text[:MAX_LENGTH + 1].rfind("-")
        text = text[: cut if cut > 0 else MAX_LENGTH].strip("-")
    return text


def name_key(name: str) -> str:
    """How names are compared when a cell names a system: case and spacing ignored, nothing else.

    Punctuation counts (``Childrens`` is not ``Children's``), so two systems whose names differ only
    there are told apart by name, even though their slugs collide.
    """
    return " ".join(name.casefold().split())


def id_form(text: str) -> str:
    """A cell's text read as an id, the way the id column reads it: ``Council Tax`` -> ``council-tax``."""
    return re.sub(r"\s+", "-", text.strip().lower())
