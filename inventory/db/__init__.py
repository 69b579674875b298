"""The register's SQL side: engine and database URLs, table definitions and the mapping between rows and records."""
