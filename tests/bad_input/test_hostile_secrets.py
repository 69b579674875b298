"""Secrets and the synthesis child (issue 20, second round of hostile use).

The offline synthesis child needs no cloud access, so it never sees a cloud credential or any
secret-named variable unless ``BOROUGH_SYNTH_PASS_ENV`` names it; and whatever a program prints
or fails with is masked for the values of such variables, so a secret never reaches a CI log.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from bad_input_helpers import assert_no_secret, borough

SECRETS = {
    "ARM_CLIENT_SECRET": "arm-client-secret-0123456789",
    "AZURE_CLIENT_SECRET": "azure-client-secret-abcdef",
    "AWS_SECRET_ACCESS_KEY": "aws-secret-access-key-xyz987",
    "GOOGLE_APPLICATION_CREDENTIALS": "/secure/google-credentials.json",
    "PULUMI_ACCESS_TOKEN": "pul-0123456789abcdef0123456789abcdef",
    "GITHUB_TOKEN": "ghp_notarealtokenbutlongenough",
    "COUNCIL_DB_PASSWORD": "hunter2-council-password",
    "SERVICE_API_KEY": "api-key-77777777",
}


def _program(root: Path, source: str) -> Path:
    root.mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: leaky\nruntime: python\n")
    (root / "Pulumi.dev.yaml").write_text("config: {}\n")
    (root / "__main__.py").write_text(textwrap.dedent(source))
    return root


def test_the_synthesis_child_sees_no_cloud_or_secret_variable(tmp_path):
    seen = tmp_path / "seen.json"
    program = _program(tmp_path / "env", f"""\
        import json, os
        import pulumi
        json.dump(sorted(os.environ), open({str(seen)!r}, "w"))
        print("ENV", dict(os.environ))
        pulumi.export("ok", "yes")
        """)
    run = borough("stacks", "synth", "dev", "--program", str(program), subprocess=True, timeout=180,
                  env={**SECRETS, "COUNCIL_TEAM": "platform"})
    assert run.code == 0, run.stderr
    names = set(json.loads(seen.read_text()))
    assert names.isdisjoint(SECRETS), names & set(SECRETS)
    assert "COUNCIL_TEAM" in names and "PATH" in names  # the rest of the environment is kept
    assert "ENV" in run.stderr  # the program's output is still shown
    assert_no_secret(run, *SECRETS.values())


def test_a_passed_through_secret_reaches_the_program_but_never_the_log(tmp_path):
    program = _program(tmp_path / "fails", """\
        import os
        import pulumi
        secret = os.environ["ARM_CLIENT_SECRET"]
        print("connecting with", secret)
        raise RuntimeError(f"login failed for secret {secret}")
        """)
    run = borough("stacks", "synth", "dev", "--program", str(program), subprocess=True, timeout=180,
                  env={**SECRETS, "BOROUGH_SYNTH_PASS_ENV": "ARM_CLIENT_SECRET"})
    assert run.code == 2, run.stderr
    assert "login failed for secret [secret]" in run.stderr
    assert "connecting with [secret]" in run.stderr
    assert_no_secret(run, *SECRETS.values())
