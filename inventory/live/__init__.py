"""Live readers: what actually runs in Azure and AWS (get -> transform, see docs/architecture.md)."""
