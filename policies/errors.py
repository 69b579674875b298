"""Errors of the policies package. ``exit_code`` tells the CLI how to exit (see docs/architecture.md)."""


class PoliciesError(Exception):
    exit_code = 2
    hint: str | None = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class PolicyFileError(PoliciesError):
    """A baseline, framework, check metadata or suppressions file is invalid: never a pass."""


class CheckovError(PoliciesError):
    """checkov itself failed (parse error, crash): the run is incomplete."""

    exit_code = 3
