"""The register's core records and the rules on changing them: model, edits, lifecycle and its moves, names, dates and limits."""
