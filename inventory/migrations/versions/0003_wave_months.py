"""The month each wave happens in, as ``waves --apply`` planned it (adds a table; nothing else changes).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wave_months",
        sa.Column("wave", sa.Integer, primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("wave_months")
