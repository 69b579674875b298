"""Bad options, refused before any work (issue 9 items 5, 6, 7, 11, 12, 13; issue 10 item 7).

Each class of bad option a user can give (an --output that cannot be written, a date outside
the window, a number beyond its range, a --db that is no register, a credential in a URL, an id
or directory that does not exist) is exit 2 with one line naming the option, the path or the id,
no traceback, nothing written to the database or beside the output, and no credential echoed.
The store-facing cases run on SQLite and on PostgreSQL (``scripts/with-postgres``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input_helpers import ROOT, SEEDED_IDS, Run, assert_no_secret, assert_refused, borough, snapshot

EXAMPLES = ROOT / "inventory" / "examples"
SHEETS = [str(EXAMPLES / "westmoor-applications.csv"), str(EXAMPLES / "westmoor-interfaces.csv"),
          "--mapping", str(EXAMPLES / "westmoor-mapping.yaml")]
SECRET = "Hunter2-s3cret"
UNREACHABLE_PG = "127.0.0.1:1"
BIG = "100000000000000000000"  # 10^20


# --output: checked before the command runs, so nothing is imported, applied or left behind.

def _output_cases(tmp_path: Path) -> dict[str, Path]:
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "a-dir").mkdir()
    return {
        "existing directory": tmp_path / "a-dir",
        "parent is a file": a_file / "report.json",
        "unwritable place": Path("/proc/borough-no-such/report.json"),
    }


OUTPUT_COMMANDS = {
    "inventory import": ["inventory", "import", *SHEETS],
    "inventory waves --apply": ["inventory", "waves", "--apply", "--include", "discovered", "--start", "2027-01"],
    "inventory list": ["inventory", "list", "--format", "json"],
    "inventory export xlsx": ["inventory", "export", "--format", "xlsx"],
    "report risk": ["report", "risk", "--today", "2027-01-15"],
}


@pytest.mark.parametrize("case", ["existing directory", "parent is a file", "unwritable place"])
@pytest.mark.parametrize("command", list(OUTPUT_COMMANDS))
def test_an_unwritable_output_is_refused_before_any_work(seeded_db_url: str, tmp_path: Path, command: str, case: str) -> None:
    output = _output_cases(tmp_path)[case]
    if command == "inventory waves --apply":
        assert borough("inventory", "import", *SHEETS, "--db", seeded_db_url).code == 0, "a register waves --apply would change"
    before = snapshot(seeded_db_url, [tmp_path])
    run = borough(*OUTPUT_COMMANDS[command], "--db", seeded_db_url, "--output", str(output))
    assert_refused(run, "--output", str(output))
    assert snapshot(seeded_db_url, [tmp_path]) == before, "nothing imported, applied or left beside the output"


EVERY_OUTPUT = {
    "check": ["check", "--all"], "stacks list": ["stacks", "list"], "stacks synth": ["stacks", "synth", "platform-prod"],
    "policies list": ["policies", "list"], "inventory waves": ["inventory", "waves"], "inventory show": ["inventory", "show", "gis"],
    "inventory list": ["inventory", "list"], "inventory history": ["inventory", "history"],
    "inventory import": ["inventory", "import", "estate.csv"], "inventory export": ["inventory", "export"],
    "inventory validate": ["inventory", "validate"], "report portfolio": ["report", "portfolio"], "report progress": ["report", "progress"],
    "report risk": ["report", "risk"], "report waves": ["report", "waves"], "report caf": ["report", "caf"], "report time": ["report", "time"],
    "report outlook": ["report", "outlook"], "inventory mapping": ["inventory", "mapping", "--template"],
    "report html": ["report", "html"], "report caf-evidence": ["report", "caf-evidence"],
    "policies coverage": ["policies", "coverage"], "check-changed": ["check-changed", "README.md"],
    "policies evaluate-stack": ["policies", "evaluate-stack", "--input", "-"], "drift stack": ["drift", "stack"], "drift inventory": ["drift", "inventory", "--aws-region", "eu-west-2"],
}


def _commands_with_output() -> set[str]:
    from typer.main import get_command

    from cli.main import app

    def walk(command, path):  # noqa: ANN001, ANN202
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        elif any("--output" in (getattr(p, "opts", None) or []) for p in command.params):
            yield " ".join(path)

    return set(walk(get_command(app), []))


# --output names a directory to write (the pack), refused as a file elsewhere: tests/policies/test_policy_pack_cli.py
OUTPUT_IS_A_DIRECTORY = {"policies pack"}


def test_every_command_with_an_output_is_in_the_catalogue() -> None:
    assert _commands_with_output() == set(EVERY_OUTPUT) | OUTPUT_IS_A_DIRECTORY, "a new --output command: add it to EVERY_OUTPUT"


@pytest.mark.parametrize("command", list(EVERY_OUTPUT))
def test_every_command_checks_its_output_before_anything_else(tmp_path: Path, command: str) -> None:
    """Before synthesis, the register (here missing: that error would come first otherwise) or a cloud."""
    before = snapshot(None, [tmp_path])
    run = borough(*EVERY_OUTPUT[command], "--output", str(tmp_path), env={"BOROUGH_DB": f"sqlite:///{tmp_path / 'missing.db'}"})
    assert_refused(run, "--output", str(tmp_path), "is a directory")
    assert snapshot(None, [tmp_path]) == before


def test_a_failed_write_leaves_neither_a_temporary_file_nor_a_half_written_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from cli.common import OutputPathError, write_output

    target = tmp_path / "report.json"
    target.write_text("the previous report\n", encoding="utf-8")

    def no_space(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OutputPathError, match="report.json: cannot write: No space left on device"):
        write_output("{}\n", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    assert target.read_text(encoding="utf-8") == "the previous report\n"


def test_a_writable_output_in_a_new_directory_is_written(seeded_db_url: str, tmp_path: Path) -> None:
    output = tmp_path / "reports" / "list.json"
    run = borough("inventory", "list", "--format", "json", "--db", seeded_db_url, "--output", str(output))
    assert run.code == 0, run.stderr
    assert all(system_id in output.read_text(encoding="utf-8") for system_id in SEEDED_IDS)
    assert sorted(p.name for p in output.parent.iterdir()) == ["list.json"]


# Dates: months and days outside 2000-01 .. 2100-12 are typing mistakes, refused naming the option.

DATE_CASES = {
    "waves --start year 0 --apply": (["inventory", "waves", "--start", "0000-01", "--apply"], "--start", "2000-01 .. 2100-12"),
    "waves --start 9999-12": (["inventory", "waves", "--start", "9999-12"], "--start", "2000-01 .. 2100-12"),
    "report --today 9999-12-31": (["report", "risk", "--today", "9999-12-31"], "--today", "2000-01-01 .. 2100-12-31"),
    "report --today UK form, 1999": (["report", "progress", "--today", "31/12/1999"], "--today", "2000-01-01 .. 2100-12-31"),
}


@pytest.mark.parametrize("case", list(DATE_CASES))
def test_a_date_outside_the_window_is_refused(seeded_db_url: str, case: str) -> None:
    args, option, window = DATE_CASES[case]
    assert borough("inventory", "update", SEEDED_IDS[0], "--set", "strategy=rehost", "--db", seeded_db_url).code == 0
    before = snapshot(seeded_db_url)
    assert_refused(borough(*args, "--db", seeded_db_url), option, window)
    assert snapshot(seeded_db_url) == before


# Numbers: every numeric option is bounded; beyond its range is exit 2 naming it, at once.

NUMBER_CASES = {
    "progress --months 10^8": (["report", "progress", "--months", "100000000"], "--months", "600"),
    "risk --months 1e8": (["report", "risk", "--months", "1e8"], "--months", "integer"),
    "risk --months -1": (["report", "risk", "--months", "-1"], "--months", "0"),
    "waves --capacity 10^20": (["inventory", "waves", "--capacity", BIG], "--capacity", "100000"),
    "waves --capacity 0": (["inventory", "waves", "--capacity", "0"], "--capacity", "1"),
    "list --wave 10^20": (["inventory", "list", "--wave", BIG], "--wave", "10000"),
    "update --expected-version 10^20": (["inventory", "update", SEEDED_IDS[0], "--set", "notes=x", "--expected-version", BIG],
                                        "--expected-version", "2147483647"),
    "drift --retries 10^20": (["drift", "inventory", "--aws-region", "eu-west-2", "--retries", BIG], "--retries", "20"),
    "drift --timeout 1e300": (["drift", "inventory", "--aws-region", "eu-west-2", "--timeout", "1e300"], "--timeout", "600"),
    "check --live --retry-backoff 1e20": (["check", "--live", "--retry-backoff", "1e20"], "--retry-backoff", "60"),
}


@pytest.mark.parametrize("case", list(NUMBER_CASES))
def test_a_number_beyond_its_range_is_refused(seeded_db_url: str, case: str) -> None:
    args, option, bound = NUMBER_CASES[case]
    before = snapshot(seeded_db_url)
    assert_refused(borough(*args, "--db", seeded_db_url), option, bound)
    assert snapshot(seeded_db_url) == before


def test_a_library_caller_gets_the_same_bounds() -> None:
    import datetime as dt

    from inventory.planning import Month, PlanOptions, PlanningError
    from inventory.reports import ReportError, ReportParams

    with pytest.raises(ReportError, match="--months 100000000 is outside 0 .. 600"):
        ReportParams(today=dt.date(2027, 1, 1), months=100_000_000)
    with pytest.raises(ReportError, match="--today 9999-12-31 is outside"):
        ReportParams(today=dt.date(9999, 12, 31))
    with pytest.raises(PlanningError, match="--capacity .* is outside 1 .. 100000"):
        PlanOptions(start=Month(2027, 1), capacity=10**20)
    with pytest.raises(PlanningError, match="--start 0001-01 is outside 2000-01 .. 2100-12"):
        PlanOptions(start=Month(1, 1))


# Credentials: never echoed, whatever form they take and wherever the URL comes from.

CREDENTIAL_URLS = {
    "query password": f"postgresql+psycopg://borough@{UNREACHABLE_PG}/register?password={SECRET}&connect_timeout=2",
    "userinfo password": f"postgresql+psycopg://borough:{SECRET}@{UNREACHABLE_PG}/register?connect_timeout=2",
    "percent-encoded userinfo": f"postgresql+psycopg://borough:{SECRET}%40x@{UNREACHABLE_PG}/register?connect_timeout=2",
    "sslpassword": f"postgresql+psycopg://borough@{UNREACHABLE_PG}/register?sslpassword={SECRET}&connect_timeout=2",
    "unsupported backend": f"mysql://borough:{SECRET}@db.example/register?password={SECRET}",
    "not a URL": f"borough:{SECRET}@db.example register password={SECRET}",
    "scheme forgotten": f"borough:{SECRET}@db.example/register",
}


@pytest.mark.parametrize("via", ["--db", "BOROUGH_DB"])
@pytest.mark.parametrize("case", list(CREDENTIAL_URLS))
def test_no_credential_is_echoed(case: str, via: str) -> None:
    url = CREDENTIAL_URLS[case]
    args, env = (["--db", url], None) if via == "--db" else ([], {"BOROUGH_DB": url})
    run = borough("--debug", "inventory", "list", *args, env=env)
    assert run.code in (2, 3), run
    assert "Traceback" not in run.stdout
    assert_no_secret(run, SECRET, SECRET.replace("-", "%2D"))
    if case in ("unsupported backend", "not a URL", "scheme forgotten"):
        assert_refused(borough("inventory", "list", *args, env=env), "BOROUGH_DB" if via == "BOROUGH_DB" else "--db")
    else:
        assert "[secret]" in run.stderr and UNREACHABLE_PG in run.stderr, "the database is named, its password masked"


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("absent", ["database", "role"])
def test_no_credential_is_echoed_by_a_real_server(db_url: str, absent: str) -> None:
    """A database or user that does not exist on a reachable server, a password in the URL: bad input."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if absent == "database":
        url = url.set(database="no_such_register").update_query_dict({"password": SECRET})
    else:
        url = url.set(username="no_such_role", password=SECRET)
    run = borough("inventory", "list", "--db", url.render_as_string(hide_password=False))
    assert_refused(run, "--db", f"no_such_{'register' if absent == 'database' else 'role'}", "does not exist")
    assert_no_secret(run, SECRET)


def test_the_masking_function_covers_every_form() -> None:
    from inventory.db.urls import mask_secrets

    assert mask_secrets(f"postgresql://u:{SECRET}@h/db?password={SECRET}&sslpassword={SECRET}&passfile=/home/u/.pgpass") == (
        "postgresql://u:[secret]@h/db?password=[secret]&sslpassword=[secret]&passfile=/home/u/.pgpass"
    )
    assert mask_secrets(f"host=h user=u password='{SECRET} x' dbname=d") == "host=h user=u password=[secret] dbname=d"
    assert mask_secrets(f"FATAL: authentication failed with {SECRET}", f"postgresql://u:{SECRET}@h/db") == (
        "FATAL: authentication failed with [secret]"
    ), "a driver echoing the bare password"


# Database URLs: not a URL, empty, in memory, URI filenames, a directory, a missing file for a reader.

def _bad_urls(tmp_path: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    (tmp_path / "a-dir").mkdir(exist_ok=True)
    return {
        "not a URL": ("notaurl", ("--db", "notaurl", "is not a database URL")),
        "empty": ("", ("--db is empty",)),
        "in memory": ("sqlite://", ("--db", "in-memory")),
        "SQLite URI filename": (f"sqlite:///file:{tmp_path}/junk/a/b.db?mode=rwc&uri=true", ("--db", "URI filenames")),
        "a directory": (f"sqlite:///{tmp_path / 'a-dir'}", ("--db", "a-dir", "is a directory")),
        "unsupported backend": ("mysql://u@db.example/register", ("--db", "not 'mysql'")),
        "a port that is no number": ("postgresql+psycopg://db.example:notaport/register", ("--db", "is not a database URL")),
        "SQLite URL parameters": (f"sqlite:///{tmp_path / 'x.db'}?mode=ro", ("--db", "SQLite URL parameters (mode)")),
        "missing directory, creating": (f"sqlite:///{tmp_path / 'no-such-dir' / 'inventory.db'}", ("--db", "no-such-dir", "does not exist")),
    }


@pytest.mark.parametrize("case", ["not a URL", "empty", "in memory", "SQLite URI filename", "a directory", "unsupported backend",
                                  "a port that is no number", "SQLite URL parameters", "missing directory, creating"])
def test_a_database_url_that_names_no_register_is_refused_and_creates_nothing(tmp_path: Path, case: str) -> None:
    url, needles = _bad_urls(tmp_path)[case]
    work = tmp_path / "cwd"
    work.mkdir()
    before = snapshot(None, [tmp_path])
    run = borough("inventory", "import", *SHEETS, "--db", url, cwd=work)
    assert_refused(run, *needles)
    assert snapshot(None, [tmp_path]) == before, "no file, no junk directory tree, no .borough/"


READERS = {
    "inventory list": ["inventory", "list"],
    "inventory show": ["inventory", "show", "council-tax"],
    "inventory history": ["inventory", "history"],
    "inventory export": ["inventory", "export"],
    "inventory validate": ["inventory", "validate"],
    "inventory update": ["inventory", "update", "council-tax", "--set", "notes=x"],
    "inventory move": ["inventory", "move", "council-tax", "assessed"],
    "inventory waves --apply": ["inventory", "waves", "--apply"],
    "report risk": ["report", "risk"],
    "report progress": ["report", "progress"],
    "drift inventory": ["drift", "inventory", "--aws-region", "eu-west-2", "--aws-endpoint-url", "http://127.0.0.1:1"],
}


@pytest.mark.parametrize("command", list(READERS))
def test_a_reader_refuses_a_database_that_does_not_exist(db_url: str, tmp_path: Path, command: str) -> None:
    """A mistyped --db must not become an empty register that reports nothing (or every resource unknown)."""
    before = snapshot(db_url, [tmp_path])
    run = borough(*READERS[command], "--db", db_url, env={"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    line = assert_refused(run, "--db")
    assert "no inventory database at" in line or "holds no inventory register" in line
    assert snapshot(db_url, [tmp_path]) == before, "nothing created: no file, no tables"


def test_a_reader_refuses_a_missing_database_named_by_borough_db(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    run = borough("report", "portfolio", env={"BOROUGH_DB": f"sqlite:///{missing}"})
    assert_refused(run, "BOROUGH_DB", str(missing))
    assert not missing.exists()


def test_import_creates_a_new_register_and_readers_then_read_it(db_url: str) -> None:
    assert borough("inventory", "import", *SHEETS, "--db", db_url).code == 0
    run = borough("inventory", "list", "--format", "csv", "--db", db_url)
    assert run.code == 0 and "ctax" in run.stdout


@pytest.mark.parametrize("case", ["refused import", "dry run"])
def test_a_first_import_that_stores_nothing_leaves_no_new_database(tmp_path: Path, case: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,users\ngis,GIS,many\n", encoding="utf-8")
    new = tmp_path / "new.db"
    if case == "refused import":
        assert_refused(borough("inventory", "import", str(bad), "--db", f"sqlite:///{new}"), "bad.csv:2:users")
    else:
        assert borough("inventory", "import", *SHEETS, "--dry-run", "--db", f"sqlite:///{new}").code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"], "no empty register (nor its -wal/-shm) left behind"


def test_the_default_database_is_still_made_on_first_use(tmp_path: Path) -> None:
    run = borough("inventory", "list", cwd=tmp_path, env={"BOROUGH_DB": ""})
    assert run.code == 0, run
    assert (tmp_path / ".borough" / "inventory.db").is_file()


# Names that do not exist: a system id, a stack directory.

UNKNOWN = {
    "history": (["inventory", "history", "no-such-system"], ("no system 'no-such-system'",)),
    "show": (["inventory", "show", "no-such-system"], ("no system 'no-such-system'",)),
    "move": (["inventory", "move", "no-such-system", "assessed"], ("no system 'no-such-system'",)),
    "update": (["inventory", "update", "no-such-system", "--set", "notes=x"], ("no system 'no-such-system'",)),
    "link from": (["inventory", "link", "no-such-system", SEEDED_IDS[1]], ("no system 'no-such-system'",)),
    "link to": (["inventory", "link", SEEDED_IDS[0], "no-such-system"], ("no system 'no-such-system'",)),
    "unlink": (["inventory", "unlink", SEEDED_IDS[1], "no-such-system"], ("does not depend on no-such-system",)),
    "validate --root": (["inventory", "validate", "--root", "/no/such/repository"], ("--root", "/no/such/repository", "not a directory")),
}


@pytest.mark.parametrize("case", list(UNKNOWN))
def test_an_unknown_name_is_refused_and_changes_nothing(seeded_db_url: str, case: str) -> None:
    args, needles = UNKNOWN[case]
    before = snapshot(seeded_db_url)
    run: Run = borough(*args, "--db", seeded_db_url)
    assert_refused(run, *needles)
    assert snapshot(seeded_db_url) == before


@pytest.mark.parametrize(
    "option, value, needle",
    [("--actor", "a" * 1000, "actor"), ("--reason", "r" * 10_001, "reason"), ("--reason", "x\x01y", "reason")],
    ids=["actor too long", "reason too long", "reason with a control character"],
)
def test_history_actor_and_reason_are_bounded_on_every_database(seeded_db_url: str, option: str, value: str,
                                                               needle: str) -> None:
    """An event's actor and reason are text like any record field: refused the same on SQLite and
    PostgreSQL (whose actor column holds 200 characters), and the change they came with is not made."""
    before = snapshot(seeded_db_url)
    run = borough("inventory", "link", SEEDED_IDS[1], SEEDED_IDS[0], "--db", seeded_db_url, option, value)
    assert_refused(run, needle)
    assert snapshot(seeded_db_url) == before
