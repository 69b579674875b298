"""The council's Pulumi program (pulumi-azure-native): the platform hub, resident services and data platform environments.

- ``__main__.py``, ``environments/``, ``components/``: what each environment builds, from secure
  building blocks.
- ``stackconfig``, ``naming``, ``tagging``: typed config, CAF names, the one tag transform.

Synthesizing it (or any program) offline is ``synth``'s job; the bundled stacks' list is
``synth.catalog``. Nothing in borough imports this package: ``synth`` runs it as a program.
"""
