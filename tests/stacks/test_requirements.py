"""Reading what a program declares (requirements.txt, pyproject [project], Poetry) and comparing it
with borough's environment."""

from __future__ import annotations

from importlib.metadata import version

from synth.environment.requirements import declared_requirements, differences, poetry_spec, project_tool, requirement_files


def test_poetry_ranges_read_as_pep_440():
    assert poetry_spec("^2.10.0") == ">=2.10.0,<3"
    assert poetry_spec("^0.3") == ">=0.3,<0.4"
    assert poetry_spec("~1.4.2") == ">=1.4.2,<1.5"
    assert poetry_spec("3.1.0") == "==3.1.0"
    assert poetry_spec(">=1,<2") == ">=1,<2"
    assert poetry_spec("*") == ""


def test_requirements_follow_includes_skip_options_and_markers(tmp_path):
    (tmp_path / "base.txt").write_text("pulumi-random>=99  # far future\n")
    (tmp_path / "requirements.txt").write_text(
        "# platform team\n-r base.txt\n--index-url https://example.invalid/simple\n-e ./vendor/naming\n"
        "pulumi>=3.0.0,<4.0.0\npulumi-azure-native<3 ; python_version < '3'\npulumi-azuread>=5,<6\n")
    declared = declared_requirements(tmp_path)
    assert [(d.name, d.source) for d in declared] == [
        ("pulumi-random", "base.txt:1"), ("pulumi", "requirements.txt:5"), ("pulumi-azuread", "requirements.txt:7")]
    found = {d.declared.name: d.installed for d in differences(declared)}
    assert found == {"pulumi-random": version("pulumi-random"), "pulumi-azuread": version("pulumi-azuread")}
    assert [p.name for p in requirement_files(tmp_path)] == ["requirements.txt", "base.txt"]


def test_the_tool_follows_the_project_lock_file_or_table(tmp_path):
    assert project_tool(tmp_path) == "pip"
    (tmp_path / "pyproject.toml").write_text("[tool.poetry]\nname = 'x'\n")
    assert project_tool(tmp_path) == "poetry"
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\ndependencies = ['nosuchdist-borough>=1']\n")
    (tmp_path / "uv.lock").write_text("version = 1\n")
    assert project_tool(tmp_path) == "uv"
    (missing,) = differences(declared_requirements(tmp_path))
    assert missing.installed is None and missing.describe().endswith("which borough does not ship")
