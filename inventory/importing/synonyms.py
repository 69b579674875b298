"""The words councils actually write in their registers, and the values they mean.

Keys are compared after :func:`normal` (case, spacing and punctuation ignored). A mapping file
adds its own under ``values:``; these are the ones common enough to ship.
"""

from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[^a-z0-9&]+")


def normal(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


HOSTING = {
    "on prem": "on-premises",
    "on premise": "on-premises",
    "onprem": "on-premises",
    "in house": "on-premises",
    "council data centre": "on-premises",
    "data centre": "on-premises",
    "datacentre": "on-premises",
    "supplier": "supplier-hosted",
    "hosted": "supplier-hosted",
    "supplier hosted": "supplier-hosted",
    "vendor hosted": "supplier-hosted",
    "managed service": "supplier-hosted",
    "amazon web services": "aws",
    "amazon": "aws",
    "microsoft azure": "azure",
    "software as a service": "saas",
    "cloud saas": "saas",
}

CRITICALITY = {
    "mission critical": "mission-critical",
    "business critical": "business-critical",
    "business supporting": "business-supporting",
    "non critical": "non-critical",
    "noncritical": "non-critical",
}

CLASSIFICATION = {
    "official": "OFFICIAL",
    "official sensitive": "OFFICIAL-SENSITIVE",
    "o s": "OFFICIAL-SENSITIVE",
    "os": "OFFICIAL-SENSITIVE",
}

STRATEGY = {
    "lift and shift": "rehost",
    "lift & shift": "rehost",
    "re host": "rehost",
    "rehosting": "rehost",
    "lift tinker and shift": "replatform",
    "lift & tinker": "replatform",
    "re platform": "replatform",
    "replace": "repurchase",
    "re purchase": "repurchase",
    "buy saas": "repurchase",
    "saas replacement": "repurchase",
    "re architect": "refactor",
    "rearchitect": "refactor",
    "rebuild": "refactor",
    "re factor": "refactor",
    "decommission": "retire",
    "switch off": "retire",
    "keep": "retain",
    "keep as is": "retain",
    "leave": "retain",
    "move": "relocate",
}

TIME = {"t": "tolerate", "i": "invest", "m": "migrate", "e": "eliminate"}

STATE = {
    "new": "discovered",
    "identified": "discovered",
    "assessment complete": "assessed",
    "on hold": "on-hold",
    "paused": "on-hold",
    "in progress": "migrating",
    "in flight": "migrating",
    "live in cloud": "migrated",
    "complete": "migrated",
    "done": "migrated",
    "switched off": "decommissioned",
    "retired": "decommissioned",
}

DEPENDENCY_KIND = {
    "feed": "data feed",
    "data": "data feed",
    "interface": "data feed",
    "sso": "authentication",
    "auth": "authentication",
    "single sign on": "authentication",
    "login": "authentication",
    "web service": "api",
    "rest": "api",
    "sftp": "file transfer",
    "ftp": "file transfer",
    "file": "file transfer",
    "database": "shared database",
    "shared db": "shared database",
    "db": "shared database",
}

BOOLEAN = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "none": False,
}

HEADERS = {
    "system id": "id",
    "ref": "id",
    "reference": "id",
    "system": "name",
    "system name": "name",
    "application": "name",
    "service": "service_area",
    "department": "service_area",
    "owner": "business_owner",
    "it owner": "technical_owner",
    "vendor": "supplier",
    "product version": "version",
    "hosted": "hosting",
    "hosting location": "hosting",
    "classification": "data_classification",
    "contains personal data": "personal_data",
    "number of users": "users",
    "cost": "annual_cost",
    "annual cost gbp": "annual_cost",
    "contract end date": "contract_end",
    "support end date": "support_end",
    "end of support": "support_end",
    "migration strategy": "strategy",
    "time": "time_category",
    "status": "state",
    "migration state": "state",
    "target platform": "target_hosting",
    "state date": "state_on",
    "status date": "state_on",
    "date reached": "state_on",
    "state since": "state_on",
    "dependencies": "depends_on",
    "depends": "depends_on",
    "dependency type": "kind",
    "from": "source",
    "to": "target",
}
