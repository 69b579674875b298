"""Base classes for council checks: checkov ARM resource checks, and checks across resources.

checkov swallows an exception raised inside a check (it logs it and drops the result), which
would make a broken check look like a pass. ``CouncilCheck`` records the crash first so the
engine can fail the run (exit 3).
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from typing import Any, ClassVar, Iterable

from checkov.arm.base_resource_check import BaseResourceCheck
from checkov.common.models.enums import CheckCategories, CheckResult

__all__ = ["CheckResult", "CouncilCheck", "CrossResourceCheck", "CrossResult", "Crash", "CRASHES", "MESSAGES",
           "ReferenceIndex", "is_production", "props", "refers_to", "resource_key"]


@dataclass(frozen=True)
class Crash:
    check_id: str
    resource: str
    urn: str | None
    error: str


CRASHES: list[Crash] = []
"""Crashes since the engine last cleared the list (one run at a time per process)."""

MESSAGES: dict[tuple[str, str, int | None], str] = {}
"""(check id, ``type.name``, the resource's first line) -> what the check found there. checkov's
records carry only a verdict, so council checks leave their message here for the engine."""


def resource_key(check_id: str, conf: dict[str, Any]) -> tuple[str, str, int | None]:
    line = conf.get("__startline__")
    return check_id, f"{conf.get('type')}.{conf.get('name')}", line if isinstance(line, int) else None


def props(conf: dict[str, Any]) -> dict[str, Any]:
    value = conf.get("properties")
    return value if isinstance(value, dict) else {}


def _record_crash(check_id: str, conf: dict[str, Any], exc: BaseException) -> None:
    metadata = conf.get("metadata") if isinstance(conf.get("metadata"), dict) else {}
    resource = f"{conf.get('type')}.{conf.get('name')}"
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    CRASHES.append(Crash(check_id, resource, metadata.get("pulumi:urn"), detail))


class CouncilCheck(BaseResourceCheck):
    """One rule on one ARM resource. Subclasses set ``id`` and ``supported_resources``."""

    id: ClassVar[str]
    supported_resources: ClassVar[tuple[str, ...]]
    generic: ClassVar[str] = ""
    """Whether the rule holds for any resource, so it also judges live resources of types borough
    has no mapping for: ``any``, ``located`` (those that take a location) or "" (type-specific)."""
    reads: ClassVar[tuple[str, ...]] = ()
    """Keys the rule reads (``properties/allowSharedKeyAccess``): a finding's message shows their
    values when ``evaluate`` gives none of its own."""

    def __init__(self) -> None:
        super().__init__(name=self.id, id=self.id, categories=(CheckCategories.GENERAL_SECURITY,),
                         supported_resources=self.supported_resources)

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        try:
            verdict = self.evaluate(conf)
        except Exception as exc:  # noqa: BLE001 - recorded, and the run fails with exit 3
            _record_crash(self.id, conf, exc)
            return CheckResult.UNKNOWN
        result, message = verdict if isinstance(verdict, tuple) else (verdict, "")
        if not message and self.reads:
            from policies.engine.messages import evaluated

            message = evaluated(conf, list(self.reads))
        if message:
            MESSAGES[resource_key(self.id, conf)] = message
        return result

    def evaluate(self, conf: dict[str, Any]) -> CheckResult | tuple[CheckResult, str]:
        """The verdict, or (verdict, what was found: "port 22 open to Internet in rule x")."""
        raise NotImplementedError

    @staticmethod
    def verdict(ok: bool, failed: str, passed: str = "") -> tuple[CheckResult, str]:
        return (CheckResult.PASSED, passed) if ok else (CheckResult.FAILED, failed)

    @staticmethod
    def passed_if(condition: bool) -> CheckResult:
        return CheckResult.PASSED if condition else CheckResult.FAILED


@dataclass(frozen=True)
class CrossResult:
    resource: dict[str, Any]
    result: CheckResult
    message: str = ""


class CrossResourceCheck:
    """A rule that needs the whole template (e.g. "every resource has diagnostic settings").

    checkov's single-resource checks cannot see other resources, so the engine runs these
    itself on the rendered template, with the same metadata, findings and crash handling.
    """

    id: ClassVar[str]
    name: str = ""

    def scan(self, resources: list[dict[str, Any]]) -> list[CrossResult]:
        try:
            return list(self.evaluate(resources))
        except Exception as exc:  # noqa: BLE001 - recorded, and the run fails with exit 3
            _record_crash(self.id, {"type": "template", "name": "*"}, exc)
            return []

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        raise NotImplementedError


def refers_to(reference: Any, resource: dict[str, Any], within: bool = False) -> bool:
    """Whether an ARM id (or ``resourceId(...)`` expression) names ``resource`` (or, with
    ``within``, one of its children, e.g. a storage account's blob service)."""
    if not isinstance(reference, str) or not reference:
        return False
    ref = reference.lower()
    metadata = resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
    known_id = metadata.get("pulumi:id")
    if isinstance(known_id, str) and known_id and known_id.lower() == ref:
        return True
    arm_type, name = str(resource.get("type", "")).lower(), str(resource.get("name", "")).lower()
    provider, _, type_path = arm_type.partition("/")
    type_segments = type_path.split("/")
    name_segments = name.split("/")
    if len(type_segments) != len(name_segments):
        return False
    path = "/".join(f"{t}/{n}" for t, n in zip(type_segments, name_segments))
    suffix = f"/providers/{provider}/{path}"
    if ref.rstrip("/").endswith(suffix) or (within and f"{suffix}/" in ref):
        return True
    if ref.startswith("[") and arm_type in ref:
        quoted = re.findall(r"'([^']*)'", ref)
        return quoted[1:] == name_segments or (within and quoted[1:1 + len(name_segments)] == name_segments)
    return False


class ReferenceIndex:
    """Answers "does any of these references name this resource?" in constant time per resource,
    so cross-resource checks stay linear in the size of the template."""

    def __init__(self, references: list[Any], within: bool = False) -> None:
        self.within = within
        self.keys: set[str] = set()
        self.expressions: list[str] = []
        for reference in references:
            if not isinstance(reference, str) or not reference:
                continue
            ref = reference.lower().rstrip("/")
            if ref.startswith("["):
                self.expressions.append(reference)
                continue
            self.keys.add(ref)
            head, marker, tail = ref.rpartition("/providers/")
            if not marker:
                continue
            self.keys.add("/providers/" + tail)
            if within:  # the resource itself or any child of it (a storage account's blob service)
                segments = tail.split("/")
                for end in range(3, len(segments), 2):
                    self.keys.add("/providers/" + "/".join(segments[:end]))

    def names(self, resource: dict[str, Any]) -> bool:
        metadata = resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
        known_id = metadata.get("pulumi:id")
        if isinstance(known_id, str) and known_id.lower().rstrip("/") in self.keys:
            return True
        suffix = _provider_path(resource)
        if suffix is not None and suffix in self.keys:
            return True
        return any(refers_to(e, resource, within=self.within) for e in self.expressions)


def _provider_path(resource: dict[str, Any]) -> str | None:
    arm_type, name = str(resource.get("type", "")).lower(), str(resource.get("name", "")).lower()
    provider, _, type_path = arm_type.partition("/")
    type_segments, name_segments = type_path.split("/"), name.split("/")
    if len(type_segments) != len(name_segments):
        return None
    return f"/providers/{provider}/" + "/".join(f"{t}/{n}" for t, n in zip(type_segments, name_segments))


PRODUCTION = re.compile(r"(^|[-_.])prod(uction)?($|[-_.])")


def is_production(conf: dict[str, Any]) -> bool:
    """Production when the Pulumi stack name or the ``environment`` tag says so."""
    metadata = conf.get("metadata") if isinstance(conf.get("metadata"), dict) else {}
    tags = conf.get("tags") if isinstance(conf.get("tags"), dict) else {}
    candidates = [metadata.get("pulumi:stack"), tags.get("stage"), tags.get("environment")]
    return any(isinstance(c, str) and PRODUCTION.search(c.lower()) for c in candidates)
