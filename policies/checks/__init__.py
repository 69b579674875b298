"""The council's own checks: one rule per module, metadata in the YAML file of the same name."""
