"""Bad files handed to `borough check` (issue 9, item 12, the check side): each is refused with
exit 2 and one line naming the file (and the key or line), no traceback, and no report written.

A state export or ARM template is read by a reviewer's CI from whatever a pipeline produced, so a
binary file, the wrong encoding, a hostile nesting depth or the wrong shape must be bad input,
never an internal error and never a pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest
from bad_input_helpers import assert_refused, borough, snapshot

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
STORAGE = {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "st", "location": "uksouth"}


def _state(resources: object, deployment: object = None) -> dict:
    return {"version": 3, "deployment": deployment if deployment is not None else {"resources": resources}}


def _deep(depth: int) -> str:
    return '{"$schema": "%s", "contentVersion": "1.0.0.0", "resources": [%s%s]}' % (SCHEMA, "[" * depth, "]" * depth)


def _bytes(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


LATIN1_TEMPLATE = json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                              "resources": [{**STORAGE, "tags": {"owner": "Services à la personne"}}]},
                             ensure_ascii=False)
UTF16_STATE = json.dumps(_state([{"urn": "urn:pulumi:dev::p::azure-native:storage:StorageAccount::st",
                                  "type": "azure-native:storage:StorageAccount"}]))

# (case id, option, file name, contents, words the one error line must hold besides the file name)
CASES: list[tuple[str, str, str, Callable[[], bytes], tuple[str, ...]]] = [
    ("template-nested-100k-deep", "--template", "deep.json", lambda: _deep(100_000).encode(), ("nested too deeply",)),
    ("template-binary", "--template", "image.json", lambda: bytes(range(256)) * 8, ("not a UTF-8",)),
    ("template-utf16", "--template", "utf16.json", lambda: _bytes(LATIN1_TEMPLATE, "utf-16"), ("UTF-16",)),
    ("template-latin1", "--template", "latin1.json", lambda: _bytes(LATIN1_TEMPLATE, "latin-1"), ("not a UTF-8", ":1:")),
    ("template-resources-not-objects", "--template", "strings.json",
     lambda: json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": ["st"]}).encode(), ("resources[0]",)),
    ("template-variables-a-list", "--template", "vars.json",
     lambda: json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "variables": [1],
                         "resources": [STORAGE]}).encode(), ("'variables'",)),
    ("template-parameter-not-an-object", "--template", "param.json",
     lambda: json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": {"location": 5},
                         "resources": [STORAGE]}).encode(), ("parameters.location",)),
    ("state-binary", "--state", "state.json", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ("not a UTF-8",)),
    ("state-nested-100k-deep", "--state", "deep-state.json", lambda: ("[" * 100_000 + "]" * 100_000).encode(),
     ("nested too deeply",)),
    ("state-deployment-a-list", "--state", "list.json", lambda: json.dumps(_state(None, deployment=[1, 2])).encode(),
     ("deployment", "expected an object")),
    ("state-resources-an-object", "--state", "obj.json", lambda: json.dumps(_state({"urn": "x"})).encode(),
     ("deployment.resources",)),
    ("state-urn-a-number", "--state", "numbers.json",
     lambda: json.dumps(_state([{"urn": 12345, "type": "azure-native:storage:StorageAccount"}])).encode(),
     ("deployment.resources[0]", "urn")),
    ("state-type-a-number", "--state", "type.json",
     lambda: json.dumps(_state([{"urn": "urn:pulumi:dev::p::x::y", "type": 7}])).encode(),
     ("deployment.resources[0]",)),
    ("state-inputs-a-string", "--state", "inputs.json",
     lambda: json.dumps(_state([{"urn": "urn:pulumi:dev::p::azure-native:storage:StorageAccount::st",
                                 "type": "azure-native:storage:StorageAccount", "inputs": "x"}])).encode(),
     ("deployment.resources[0].inputs",)),
    ("state-utf16", "--state", "utf16-state.json", lambda: _bytes(UTF16_STATE, "utf-16"), ("UTF-16",)),
    ("parameters-binary", "--parameters", "params.json", lambda: bytes(range(256)) * 2, ("not a UTF-8",)),
    ("parameters-not-a-parameters-file", "--parameters", "params2.json", lambda: b'["uksouth"]',
     ("not an ARM parameters file",)),
]


@pytest.mark.parametrize("option,name,contents,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_check_input_is_refused_at_its_file_and_key(tmp_path: Path, option: str, name: str,
                                                          contents: Callable[[], bytes], words: tuple[str, ...]) -> None:
    bad = tmp_path / name
    bad.write_bytes(contents())
    report = tmp_path / "out" / "report.json"
    args = [option, str(bad)]
    if option == "--parameters":
        template = tmp_path / "ok.json"
        template.write_text(json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [STORAGE]}))
        args = ["--template", str(template), *args]
    before = snapshot(paths=[tmp_path / "out"])
    run = borough("check", *args, "--format", "json", "--output", str(report))
    line = assert_refused(run, name, *words)
    assert len(line) < 400
    assert run.stdout == ""
    assert snapshot(paths=[tmp_path / "out"]) == before  # no report, no *.tmp left behind
