"""A version counter per system (optimistic concurrency) and a history index per system.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("systems") as batch:
        batch.add_column(sa.Column("version_no", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_events_system_id", "events", ["system_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_events_system_id", "events")
    with op.batch_alter_table("systems") as batch:
        batch.drop_column("version_no")
