"""The council's Pulumi stacks and what reads them.

- ``__main__.py``, ``environments/``, ``components/``: the Pulumi program (pulumi-azure-native).
- ``stackconfig``, ``naming``, ``tagging``: typed config, CAF names, the one tag transform.
- ``synth`` (with ``mocks``, ``project``): offline synthesis of any Pulumi Python program.
- ``catalog``: the bundled stacks; ``graph``/``state``: the resource graph hand-off format.
"""
