"""Reading YAML (and JSON) that a person or a hostile program wrote, safely, with every refusal located.

One implementation for the whole project: inventory import and mapping files, Pulumi project and
stack files, policy and suppression files all read YAML through :func:`load`, and each package
turns :class:`YamlInputError` into its own error type (or lets it through: it carries
``exit_code = 2`` like every domain error, so the CLI shows it as one line). On top of PyYAML's
safe loader it refuses what the safe loader lets through:

- a mapping that repeats a key (YAML says keys are unique; PyYAML silently keeps the last one);
- alias expansion beyond :data:`MAX_ALIAS_NODES` nodes ("billion laughs"), and an alias to
  itself, before anything is constructed, so such a file fails at once rather than after
  minutes or in ``MemoryError``;
- a mapping key that is a list or a mapping (unhashable: a Python ``TypeError`` otherwise);
- text that is not UTF-8 (binary, UTF-16/32, Latin-1): named as such, never an internal error.

Mappings come back as :class:`LinedDict`, which remembers the line of each key so callers can
name the line of a bad value too.
"""

from yamlsafe.loader import MAX_ALIAS_NODES, LinedDict, YamlInputError, decode, line_of, load, loads, read_text

__all__ = ["MAX_ALIAS_NODES", "LinedDict", "YamlInputError", "decode", "line_of", "load", "loads", "read_text"]
