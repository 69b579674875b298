"""The council's security baseline, checked with checkov.

``policies.request.check`` turns CLI inputs into targets; ``policies.engine`` runs the enforced checks
on rendered templates and words their findings; ``policies.output`` holds the ``CheckReport`` records
(pure data) and renders SARIF, JUnit and tables; ``policies.compliance`` says what the findings
evidence (initiatives, coverage, the CAF pack). Policy data lives beside the code: ``baseline.yaml``,
``checks/``, ``frameworks/``, ``suppressions.yaml``.
"""
