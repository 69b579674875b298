"""The Pulumi SDK speed-ups for a synthesis run, fenced to the SDK versions they were verified on."""
