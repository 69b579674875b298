"""The first schema: systems, dependencies and the history.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "systems",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("service_area", sa.String(200), nullable=False),
        sa.Column("business_owner", sa.String(200), nullable=False),
        sa.Column("technical_owner", sa.String(200), nullable=False),
        sa.Column("supplier", sa.String(200), nullable=False),
        sa.Column("product", sa.String(200), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("hosting", sa.String(40), nullable=False),
        sa.Column("criticality", sa.String(40), nullable=False),
        sa.Column("data_classification", sa.String(40), nullable=False),
        sa.Column("personal_data", sa.Boolean, nullable=False),
        sa.Column("users", sa.Integer),
        sa.Column("annual_cost", sa.BigInteger),
        sa.Column("contract_end", sa.Date),
        sa.Column("support_end", sa.Date),
        sa.Column("strategy", sa.String(20)),
        sa.Column("time_category", sa.String(20)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("target_hosting", sa.String(40)),
        sa.Column("target_stack", sa.String(200)),
        sa.Column("wave", sa.Integer),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_table(
        "dependencies",
        sa.Column("source", sa.String(100), sa.ForeignKey("systems.id"), primary_key=True),
        sa.Column("target", sa.String(100), sa.ForeignKey("systems.id"), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
    )
    op.create_index("ix_dependencies_target", "dependencies", ["target"])
    op.create_table(
        "events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("system_id", sa.String(100), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("events")
    op.drop_index("ix_dependencies_target", "dependencies")
    op.drop_table("dependencies")
    op.drop_table("systems")
