"""Errors of synthesis, stack config and input files. ``exit_code`` tells the CLI how to exit (see docs/architecture.md)."""


class StacksError(Exception):
    exit_code = 2
    hint: str | None = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class ConfigError(StacksError):
    """A stack file or config value is invalid; the message names the file and key."""


class ProgramError(StacksError):
    """The Pulumi program raised; the message carries its own error and file/line."""


class StateError(StacksError):
    """A state export file cannot be read."""


class UnansweredEngineCall(StacksError):
    """The program's Pulumi SDK called an engine method borough does not answer (exit 3: an SDK
    newer than borough, never the program's fault)."""

    exit_code = 3


class UnsupportedSdk(StacksError):
    """The program's Pulumi SDK is older than borough's engine can run (exit 3: nothing was checked)."""

    exit_code = 3
