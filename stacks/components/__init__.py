"""Secure building blocks: each a ``ComponentResource`` that sets every security property itself."""
