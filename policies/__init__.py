"""The council's security baseline, checked with checkov.

``policies.engine.run.run_checks(targets)`` runs the enforced checks on rendered templates and returns
a ``CheckReport`` (pure data); ``policies.request.check`` turns CLI inputs into targets first;
``policies.output.formats`` renders SARIF, JUnit and tables. Policy data lives beside the code:
``baseline.yaml``, ``checks/``, ``frameworks/``, ``suppressions.yaml``.
"""
