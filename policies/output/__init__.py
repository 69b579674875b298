"""A compliance run's report as records, and the formats it is written in (SARIF, JUnit, tables)."""
