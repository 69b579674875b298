"""Bad configuration files (issue 9 items 4, 10, 12, 15): Pulumi project and stack files, policy and
suppression files, each refused with exit 2 naming the file and line or key, no traceback; and a
bad ``--config`` value blamed on ``--config``, not on the stack file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bad_input_helpers import ROOT, assert_refused, borough, snapshot

PROJECT = "name: borough\nruntime: python\nmain: stacks/\n"
STACK = "config:\n  borough:environment: platform\n  borough:location: uksouth\n"
BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi")
)

# (id, Pulumi.yaml bytes, Pulumi.dev.yaml bytes, what the error must name)
STACK_FILES = [
    ("project-binary", b"\x7fELF\x02\x01\x01\x00\x00", STACK.encode(), ("Pulumi.yaml", "binary")),
    ("project-utf16", PROJECT.encode("utf-16"), STACK.encode(), ("Pulumi.yaml", "UTF-16")),
    ("project-config-is-a-list", (PROJECT + "config: [location, stage]\n").encode(), STACK.encode(),
     ("Pulumi.yaml:4", "key 'config'", "not a list")),
    ("project-is-a-list", b"- name: borough\n", STACK.encode(), ("Pulumi.yaml", "not a Pulumi project file")),
    ("project-duplicate-key", (PROJECT + "name: other\n").encode(), STACK.encode(), ("Pulumi.yaml:4", "duplicate key 'name'")),
    ("stack-config-is-a-list", PROJECT.encode(), b"config:\n  - borough:location\n", ("Pulumi.dev.yaml:1", "key 'config'", "not a list")),
    ("stack-is-a-string", PROJECT.encode(), b"just words\n", ("Pulumi.dev.yaml", "not a Pulumi stack file")),
    ("stack-duplicate-key", PROJECT.encode(), (STACK + "  borough:location: ukwest\n").encode(),
     ("Pulumi.dev.yaml:4", "duplicate key 'borough:location'")),
    ("stack-billion-laughs", PROJECT.encode(), BILLION_LAUGHS.encode(), ("Pulumi.dev.yaml:", "aliases expand")),
    ("stack-latin1", PROJECT.encode(), (STACK + "  borough:owner: Zoë\n").encode("latin-1"), ("Pulumi.dev.yaml:4", "not UTF-8")),
    ("stack-key-is-a-list", PROJECT.encode(), b"config:\n  ? [borough:location]\n  : uksouth\n", ("Pulumi.dev.yaml:2", "key that is a list")),
]


@pytest.mark.parametrize(("project", "stack", "needles"), [c[1:] for c in STACK_FILES], ids=[c[0] for c in STACK_FILES])
def test_bad_stack_files_are_refused_naming_file_and_line(project: bytes, stack: bytes, needles: tuple[str, ...], tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_bytes(project)
    (tmp_path / "Pulumi.dev.yaml").write_bytes(stack)
    before = snapshot(paths=[tmp_path])
    assert_refused(borough("stacks", "list", env={"BOROUGH_ROOT": str(tmp_path)}), *needles)
    assert snapshot(paths=[tmp_path]) == before


def test_inventory_validate_refuses_a_bad_stack_file(seeded_db_url: str, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  borough:systemId: a\n  borough:systemId: b\n", encoding="utf-8")
    before = snapshot(seeded_db_url)
    run = borough("inventory", "validate", "--root", str(tmp_path), "--db", seeded_db_url)
    assert_refused(run, "Pulumi.dev.yaml:3", "duplicate key 'borough:systemId'")
    assert snapshot(seeded_db_url) == before


POLICY_FILES = [
    ("baseline-duplicate-key", "baseline.yaml", None, ("baseline.yaml:", "duplicate key")),
    ("baseline-billion-laughs", "baseline.yaml", BILLION_LAUGHS.encode(), ("baseline.yaml:", "aliases expand")),
    ("baseline-binary", "baseline.yaml", b"\x00\x01\x02", ("baseline.yaml", "binary")),
]


@pytest.mark.parametrize(("name", "content", "needles"), [c[1:] for c in POLICY_FILES], ids=[c[0] for c in POLICY_FILES])
def test_bad_policy_files_are_refused_naming_the_file(name: str, content: bytes | None, needles: tuple[str, ...], tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies, ignore=shutil.ignore_patterns("__pycache__"))
    path = policies / name
    if content is None:  # repeat the file's first key at its end
        text = path.read_text(encoding="utf-8")
        first = next(line for line in text.splitlines() if line and not line.startswith(("#", " ", "-")))
        content = (text + "\n" + first + (" {}" if first.endswith(":") else "") + "\n").encode()
    path.write_bytes(content)
    assert_refused(borough("policies", "list", "--policies", str(policies)), *needles)


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (b"suppressions:\n  - check: CKV_AZURE_1\n    check: CKV_AZURE_2\n", ("supp.yaml:3", "duplicate key 'check'")),
        ("suppressions: []\n".encode("utf-16"), ("supp.yaml", "UTF-16")),
        (BILLION_LAUGHS.encode(), ("supp.yaml:", "aliases expand")),
    ],
    ids=["duplicate-key", "utf16", "billion-laughs"],
)
def test_bad_suppressions_file_is_refused_before_any_check(content: bytes, needles: tuple[str, ...], tmp_path: Path) -> None:
    template = tmp_path / "template.json"
    template.write_text('{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", '
                        '"contentVersion": "1.0.0.0", "resources": []}', encoding="utf-8")
    suppressions = tmp_path / "supp.yaml"
    suppressions.write_bytes(content)
    report = tmp_path / "report.json"
    run = borough("check", "--template", str(template), "--suppressions", str(suppressions), "--format", "json", "--output", str(report))
    assert_refused(run, *needles)
    assert not report.exists() and not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("given", ["borough:location=eastus", "location=eastus"])
def test_a_bad_config_override_is_blamed_on_config_not_the_stack_file(given: str) -> None:
    run = borough("stacks", "synth", "platform-prod", "--config", given)
    line = assert_refused(run, "--config borough:location:", "uksouth")
    assert "Pulumi.platform-prod.yaml: key" not in line


def test_a_bad_stack_file_value_is_still_blamed_on_the_stack_file(tmp_path: Path) -> None:
    """The counterpart: with no --config, the stack file is the one to fix."""
    stack = (ROOT / "Pulumi.platform-prod.yaml").read_text(encoding="utf-8").replace("borough:location: uksouth", "borough:location: eastus")
    assert "eastus" in stack
    (tmp_path / "Pulumi.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "Pulumi.platform-prod.yaml").write_text(stack, encoding="utf-8")
    shutil.copytree(ROOT / "stacks", tmp_path / "stacks", ignore=shutil.ignore_patterns("__pycache__"))
    run = borough("stacks", "synth", "platform-prod", "--program", str(tmp_path / "stacks"))
    assert_refused(run, "Pulumi.platform-prod.yaml: key 'borough:location'", "uksouth")
