"""The allowed moves and the guards on them, as plain data: one table that the lifecycle
enforces, ``borough inventory move --help`` prints and the README shows.

Plain strings only (no pydantic, no enums), so the command-line help can print it without
importing the model. :mod:`inventory.register.lifecycle` reads these rows; nothing else defines a move.
"""

from __future__ import annotations

MOVING = ("rehost", "relocate", "repurchase", "replatform", "refactor")
"""Strategies that move a system somewhere new (the other two: retain stays, retire is switched off)."""
ACTIVE = ("discovered", "assessed", "planned", "migrating")

ANY = "any"
WHO: dict[str, tuple[str, ...] | None] = {
    ANY: None,
    "moving": MOVING,
    "moving or retire": (*MOVING, "retire"),
    "retire": ("retire",),
}
"""The strategies each row allows (None: any, or none set)."""
SAID = {
    ANY: "any",
    "moving": "a moving strategy (rehost, relocate, repurchase, replatform, refactor)",
    "moving or retire": "a moving strategy, or retire (the retirement is under way)",
    "retire": "retire",
}

HELD_FROM = "the state it was held from"
MOVES: tuple[tuple[str, str, str], ...] = (
    ("discovered", "assessed", ANY),
    ("assessed", "planned", ANY),
    ("planned", "migrating", "moving or retire"),
    ("planned", "decommissioned", "retire"),
    ("migrating", "migrated", "moving"),
    ("migrating", "decommissioned", "retire"),
    ("migrated", "decommissioned", ANY),
    ("discovered, assessed, planned, migrating", "on-hold", ANY),
    ("on-hold", HELD_FROM, ANY),
)
"""(from, to, which strategies may take the move). A system put on hold returns to the state it
was held from; one registered on hold (no history) to any active state."""

REQUIREMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("planned, migrating", "strategy", "a strategy", ANY),
    ("planned, migrating", "wave", "a wave", "moving"),
    ("planned, migrating", "target", "a target: target_hosting, or target_stack (a stack, subscription or SaaS product)", "moving"),
    ("migrated", "landing", "where it now runs: target_hosting, or a target_stack that is a bundled stack (Azure)", ANY),
    ("decommissioned", "dependents", "no live system depending on it (or --force with --reason)", ANY),
)
"""(entering which states, key, what must be true, for which strategies): checked on every path
into the state, a return from on-hold included."""

EFFECTS: tuple[tuple[str, str], ...] = (
    ("migrated", "hosting becomes the target hosting; the old platform's support_end is cleared (kept in the history)"),
)


IMPORT_RULES: tuple[str, ...] = (
    "import is a path into a state, not a move from the stored one: the table of moves does not apply, the guards do",
    "each row's system, as the import leaves it, must meet the guards of the state its row gives (a row that keeps the state is not checked)",
    "a row that fails is refused at its file and row, naming what is missing, and nothing is imported",
    "a migrated row with hosting and no target has landed on that hosting (target_hosting is set from it)",
    "a migrated row whose hosting contradicts its target is refused",
    "a system decommissioned by the import must have no live dependents once the whole import is in (import has no --force)",
)
"""How ``inventory import`` applies the guards (``inventory.register.lifecycle.land_by_import``)."""


def moves_text() -> str:
    """The table as plain lines for --help (Click keeps lines after a \\b paragraph marker)."""
    lines = ["\b", "Allowed moves (from -> to: strategies):"]
    lines += [f"  {a} -> {b}: {SAID[who]}" for a, b, who in MOVES]
    lines += ["", "\b", "Guards (checked on every path into the state):"]
    lines += [f"  {states}: {what}" + ("" if who == ANY else f" [{SAID[who]}]") for states, _, what, who in REQUIREMENTS]
    lines += ["", "\b", "On arrival:"]
    lines += [f"  {state}: {what}" for state, what in EFFECTS]
    lines += ["", "\b", "On import:"]
    lines += [f"  {rule}" for rule in IMPORT_RULES]
    return "\n".join(lines)


def moves_markdown() -> str:
    """The same table for the README."""
    rows = ["| from | to | strategies |", "|---|---|---|"]
    rows += [f"| {a} | {b} | {SAID[who]} |" for a, b, who in MOVES]
    rows += ["", "| entering | needs | strategies |", "|---|---|---|"]
    rows += [f"| {states} | {what} | {SAID[who]} |" for states, _, what, who in REQUIREMENTS]
    rows += ["", "| on reaching | what changes |", "|---|---|"]
    rows += [f"| {state} | {what} |" for state, what in EFFECTS]
    rows += ["", "On import (`borough inventory import`):", ""]
    rows += [f"- {rule}" for rule in IMPORT_RULES]
    return "\n".join(rows)
