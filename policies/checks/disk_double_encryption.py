"""CKV_BOROUGH_035: managed disks are encrypted with both platform- and customer-managed keys."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

DOUBLE = "EncryptionAtRestWithPlatformAndCustomerKeys"


class DiskDoubleEncryption(CouncilCheck):
    id = "CKV_BOROUGH_035"
    supported_resources = ("Microsoft.Compute/disks",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        encryption = props(conf).get("encryption")
        kind = encryption.get("type") if isinstance(encryption, dict) else None
        return self.verdict(str(kind) == DOUBLE,
                            f"properties/encryption/type = {kind or 'not set (platform key only)'}, not {DOUBLE}",
                            f"properties/encryption/type = {DOUBLE}")


check = DiskDoubleEncryption()
