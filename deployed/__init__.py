"""The deployed side: Pulumi state exports, live Azure posture read and transformed to ARM, and drift between what a stack declares and what runs (get, transform, compare)."""
