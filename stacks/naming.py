"""CAF-style resource names, and Azure's naming rules checked before anything is declared.

Names follow the Cloud Adoption Framework abbreviations (``rg-``, ``vnet-``, ``kv-``, ``st``...)
with the app code, stage and region, e.g. ``kv-res-prod-uks``, ``stresprod``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGION_CODES = {"uksouth": "uks", "ukwest": "ukw"}

# (pattern, human rule) per kind of name; from Azure's published naming rules.
RULES: dict[str, tuple[str, str]] = {
    "storage": (r"^[a-z0-9]{3,24}$", "3-24 lowercase letters and digits"),
    "key_vault": (r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", "3-24 letters, digits and single hyphens, starting with a letter"),
    "resource_group": (r"^[\w\-.()]{1,89}[\w\-()]$", "1-90 letters, digits, _-.()"),
    "generic": (r"^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}[a-zA-Z0-9]$", "2-64 letters, digits and hyphens"),
    "postgres": (r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", "3-63 lowercase letters, digits and hyphens"),
    "registry": (r"^[a-zA-Z0-9]{5,50}$", "5-50 letters and digits"),
    "web_app": (r"^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$", "2-60 letters, digits and hyphens"),
}


@dataclass(frozen=True)
class Names:
    app: str
    stage: str
    region: str

    def _suffix(self) -> str:
        return f"{self.app}-{self.stage}-{self.region}"

    def resource_group(self, purpose: str) -> str:
        return f"rg-{self.app}-{purpose}-{self.stage}-{self.region}"

    def of(self, abbreviation: str, purpose: str | None = None) -> str:
        """``<abbr>-<app>[-<purpose>]-<stage>-<region>``, the CAF pattern for hyphenated names."""
        middle = f"{self.app}-{purpose}" if purpose else self.app
        return f"{abbreviation}-{middle}-{self.stage}-{self.region}"

    def key_vault(self) -> str:
        return f"kv-{self.app}-{self.stage}-{self.region}"

    def storage(self, purpose: str = "") -> str:
        """Storage names allow no hyphens: ``st<app><purpose><stage><region>``."""
        return f"st{self.app}{purpose}{self.stage}{self.region}"

    def compact(self, abbreviation: str, purpose: str = "") -> str:
        """Names that allow no hyphens (container registries): ``<abbr><app><purpose><stage><region>``."""
        return f"{abbreviation}{self.app}{purpose}{self.stage}{self.region}"

    def all_names(self) -> dict[str, tuple[str, str]]:
        """Every name a stack may use, with the rule kind it must satisfy."""
        return {
            "storage": (self.storage("data"), "storage"),
            "log storage": (self.storage("log"), "storage"),
            "container registry": (self.compact("cr"), "registry"),
            "key vault": (self.key_vault(), "key_vault"),
            "resource group": (self.resource_group("network"), "resource_group"),
            "virtual network": (self.of("vnet"), "generic"),
            "web app": (self.of("app"), "web_app"),
            "postgres": (self.of("psql"), "postgres"),
        }

    def first_illegal(self) -> str | None:
        for what, (name, kind) in self.all_names().items():
            pattern, rule = RULES[kind]
            if not re.match(pattern, name):
                return f"the {what} name '{name}' is not legal in Azure ({rule})"
        return None
