"""Writing the register out as CSV, XLSX, YAML or JSON, laid out for the people who open it."""
