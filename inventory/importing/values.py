"""Lenient but explicit cell parsing: each parser accepts the listed forms and names the rest.

A parser returns the value or raises ``ValueError`` with a message fit for
``file:row:column: message``; it never guesses (an ambiguous date is an error, not a coin toss).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Callable

from inventory.importing import synonyms
from inventory.importing.slugs import id_form
from inventory.importing.synonyms import normal
from inventory.register.model import (
    SLUG,
    Classification,
    Criticality,
    Dependency,
    DependencyKind,
    INT_MAX,
    Hosting,
    State,
    Strategy,
    System,
    TimeCategory,
    check_text,
)

_UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
_MONEY = re.compile(r"^(?:£|gbp)?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:gbp)?$", re.IGNORECASE)
_INT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return parse_date(value).isoformat()
    return str(value).strip()


def parse_id(value: Any) -> str:
    slug = id_form(text(value))
    if not SLUG.match(slug):
        raise ValueError(f"'{text(value)}' is not a system id (lower-case letters, digits and single hyphens, e.g. council-tax)")
    return slug


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(f"'{value}' has a time of day; expected a date")
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    try:
        match = _ISO_DATE.match(raw)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _UK_DATE.match(raw)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise ValueError(f"'{raw}' is not a real date") from None
    raise ValueError(f"'{raw}' is not a date (use ISO 2027-03-31 or UK 31/03/2027)")


def parse_money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not an amount in GBP")
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        raw = text(value)
        if raw.startswith("-"):
            raise ValueError(f"'{raw}' is negative; an annual cost is 0 or more")
        match = _MONEY.match(raw)
        if not match:
            raise ValueError(f"'{raw}' is not an amount in GBP (e.g. £12,500 or 12500.00)")
        try:
            amount = Decimal(match[1].replace(",", "") + "." + (match[2] or "0"))
        except InvalidOperation:
            raise ValueError(f"'{raw}' is not an amount in GBP") from None
    if amount < 0:
        raise ValueError(f"'{value}' is negative; an annual cost is 0 or more")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"'{value}' has fractions of a penny")
    return amount.quantize(Decimal("0.01"))


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = text(value)
        if not _INT.match(raw):
            raise ValueError(f"'{raw}' is not a whole number")
        number = int(raw.replace(",", ""))
    if number < 0:
        raise ValueError(f"'{number}' is negative")
    if number > INT_MAX:
        raise ValueError(f"'{number}' is too large (at most {INT_MAX:,})")
    return number


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = normal(text(value))
    if key in synonyms.BOOLEAN:
        return synonyms.BOOLEAN[key]
    raise ValueError(f"'{text(value)}' is not yes or no")


def enum_parser(enum: type[Enum], builtin: dict[str, str]) -> Callable[[Any, dict[str, str]], Enum]:
    """A parser for ``enum`` that accepts its values, the built-in synonyms and the mapping's own."""
    exact = {normal(member.value): member.value for member in enum}

    def parse(value: Any, extra: dict[str, str]) -> Enum:
        key = normal(text(value))
        for table in (extra, exact, builtin):
            if key in table:
                return enum(table[key])
        allowed = ", ".join(member.value for member in enum)
        raise ValueError(f"'{text(value)}' is not one of: {allowed} (add a synonym under values: in the mapping file)")

    parse.enum = enum  # type: ignore[attr-defined]  # what the mapping template lists
    return parse


ENUMS: dict[str, Callable[[Any, dict[str, str]], Enum]] = {
    "hosting": enum_parser(Hosting, synonyms.HOSTING),
    "target_hosting": enum_parser(Hosting, synonyms.HOSTING),
    "criticality": enum_parser(Criticality, synonyms.CRITICALITY),
    "data_classification": enum_parser(Classification, synonyms.CLASSIFICATION),
    "strategy": enum_parser(Strategy, synonyms.STRATEGY),
    "time_category": enum_parser(TimeCategory, synonyms.TIME),
    "state": enum_parser(State, synonyms.STATE),
    "kind": enum_parser(DependencyKind, synonyms.DEPENDENCY_KIND),
}

SCALARS: dict[str, Callable[[Any], Any]] = {
    "id": parse_id,
    "source": parse_id,
    "target": parse_id,
    "personal_data": parse_bool,
    "users": parse_int,
    "wave": parse_int,
    "annual_cost": parse_money,
    "contract_end": parse_date,
    "support_end": parse_date,
}


def parse_value(field: str, value: Any, extra: dict[str, str] | None = None) -> Any:
    """Parse one cell for ``field``; text fields are trimmed and checked against the model's
    bounds (length, no control characters), everything else is parsed strictly."""
    if isinstance(value, (list, dict)):
        raise ValueError(f"expected one value, not a {'list' if isinstance(value, list) else 'mapping'}")
    if field in ENUMS:
        return ENUMS[field](value, extra or {})
    if field in SCALARS:
        return SCALARS[field](value)
    if extra:
        key = normal(text(value))
        if key in extra:
            return extra[key]
    return check_text(System if field in System.model_fields else Dependency, field, text(value))


def warn_formulas(out: Any, file: str, cells: list[tuple[int, str, Any]]) -> None:
    """A warning in ``out.warnings`` for each (row, column, value) a spreadsheet would run as a
    formula: imported as written, but someone should look (OWASP "CSV injection")."""
    from inventory.errors import Problem
    from inventory.formulas import formula_like

    for row, column, value in cells:
        if formula_like(value):
            shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value)[:40])
            out.warnings.append(Problem(file, row, column, f"'{shown}' starts like a spreadsheet formula; "
                                        "it is imported as text and exported with a leading quote"))
