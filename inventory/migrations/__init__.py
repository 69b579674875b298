"""Alembic migrations of the register's schema (loaded by Alembic, not imported)."""
