"""Wave months as the register keeps them: what ``waves --apply`` planned, so reports can say when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inventory.db import tables as t

if TYPE_CHECKING:
    from sqlalchemy import Connection


def store_months(conn: Connection, months: dict[int, str]) -> None:
    """Replace the month of each wave given (other waves keep theirs)."""
    from sqlalchemy import delete

    if not months:
        return
    conn.execute(delete(t.wave_months).where(t.wave_months.c.wave.in_(sorted(months))))
    conn.execute(t.wave_months.insert(), [{"wave": w, "month": m} for w, m in sorted(months.items())])


def read_months(conn: Connection) -> dict[int, str]:
    from sqlalchemy import select

    return {row.wave: row.month for row in conn.execute(select(t.wave_months).order_by(t.wave_months.c.wave))}
