"""CKV_BOROUGH_042: Azure Machine Learning computes have local (key/SSH) authentication disabled."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class MlComputeLocalAuthDisabled(CouncilCheck):
    id = "CKV_BOROUGH_042"
    supported_resources = ("Microsoft.MachineLearningServices/workspaces/computes",)
    reads = ("properties/disableLocalAuth",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(str(props(conf).get("disableLocalAuth")).lower() == "true")


check = MlComputeLocalAuthDisabled()
