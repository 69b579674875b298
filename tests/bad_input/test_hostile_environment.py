"""The environment's faults (issue 20): one clear line, never "internal error".

A read-only folder with no ``--db``, a damaged SQLite file, over-long paths, a locale that is
not UTF-8, a closed or broken stdout; and inputs that are not regular files (a FIFO, a device,
a directory) or are over their kind's size bound, with a path holding control characters
shown escaped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_input_helpers import ROOT, assert_refused, borough, snapshot

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
TEMPLATE = {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
            "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "st",
                           "location": "uksouth"}]}


def _register(tmp_path: Path, name: str = "register.db", systems: int = 3) -> tuple[str, Path]:
    path = tmp_path / name
    url = f"sqlite:///{path}"
    from inventory.register.model import System
    from inventory.store import open_store

    with open_store(url) as store:
        store.import_estate([System(id=f"sys-{i}", name=f"System {i} — Zürich ✓") for i in range(systems)], [], actor="seed")
    return url, path


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write: a read-only tmpfs as root, a mode-0555 folder otherwise."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    if os.geteuid() == 0:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("cannot mount a read-only tmpfs here")
        try:
            yield folder
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


@pytest.mark.parametrize("args", [("inventory", "list"), ("inventory", "add", "crm", "CRM"), ("inventory", "waves")])
def test_no_db_in_a_read_only_folder_is_one_line_naming_the_folder(read_only_dir, args):
    run = borough(*args, subprocess=True, cwd=read_only_dir, env={"BOROUGH_DB": "", "PYTHONPATH": str(ROOT)})
    assert_refused(run, ".borough", "cannot make the folder")
    assert "--db" in run.stderr  # the hint says how to go on


def _damage(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        for offset in range(2 * 4096, size, 4096):
            handle.seek(offset + 100)
            handle.write(b"\xa5" * 2000)


@pytest.mark.parametrize("args", [("inventory", "list"), ("inventory", "waves"), ("inventory", "add", "crm", "CRM"),
                                  ("inventory", "history")])
def test_a_damaged_register_is_named_as_damaged(tmp_path, args):
    url, path = _register(tmp_path, systems=400)
    _damage(path)
    run = borough(*args, "--db", url)
    assert_refused(run, str(path), "not a borough register, or a damaged one")
    assert "SELECT" not in run.stderr and "sqlalche.me" not in run.stderr


def test_a_file_that_is_no_database_is_named(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"Minutes of the board, not a database. " * 40)
    run = borough("inventory", "list", "--db", f"sqlite:///{junk}")
    assert_refused(run, str(junk), "not a borough register, or a damaged one")


LONG_NAME = "n" * 300 + ".json"
LONG_PATH = "/tmp/" + "/".join(["d" * 200] * 25) + "/template.json"


@pytest.mark.parametrize(("args", "needle"), [
    (("check", "--template", f"/tmp/{LONG_NAME}"), "nnnn.json"),
    (("check", "--template", LONG_PATH), "/template.json"),
    (("check", "--state", LONG_PATH), "/template.json"),
    (("inventory", "import", f"/tmp/{LONG_NAME}", "--db", "sqlite:////tmp/borough-never-made.db"), "nnnn.json"),
    (("inventory", "list", "--db", f"sqlite:///{LONG_PATH}"), "/template.json"),
])
def test_an_over_long_path_is_one_short_line(args, needle):
    run = borough(*args)
    line = assert_refused(run, needle, "File name too long")
    assert len(line) < 700
    assert not Path("/tmp/borough-never-made.db").exists()


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_a_locale_that_is_not_utf8_prints_with_replacement(tmp_path, encoding):
    url, _ = _register(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        done = subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, timeout=120, check=False,
                              env={**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "200"})
        return done.returncode, done.stdout.decode(encoding, "replace"), done.stderr.decode(encoding, "replace")

    code, out, err = run("inventory", "list", "--db", url)
    assert code == 0, err
    assert "sys-0" in out and "sys-2" in out and "Traceback" not in err
    assert "System 0" in out
    code, out, err = run("inventory", "show", "crm—✓", "--db", url)
    assert code == 2 and "borough: error: no system 'crm" in err and "Traceback" not in err, err


def _shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["sh", "-c", command], cwd=ROOT, capture_output=True, timeout=120, check=False,
                          env={**os.environ, "PY": sys.executable})


def test_a_closed_stdout_ends_quietly_and_an_output_file_is_still_written(tmp_path):
    url, _ = _register(tmp_path)
    closed = _shell(f'"$PY" -m cli inventory list --db {url} >&-', tmp_path)
    assert closed.returncode == 141, closed.stderr
    assert closed.stderr == b""
    report = tmp_path / "list.json"
    written = _shell(f'"$PY" -m cli inventory list --db {url} --format json --output {report} >&-', tmp_path)
    assert written.returncode == 0, written.stderr
    assert len(json.loads(report.read_text())) == 3


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    url, _ = _register(tmp_path, systems=3000)
    done = _shell(f'"$PY" -m cli inventory list --db {url} --format csv | head -c 10 >/dev/null; echo "$?" >&2', tmp_path)
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr, done.stderr
    assert b"Exception ignored" not in done.stderr, done.stderr


# Only regular files are inputs.

def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(("case", "make", "words"), [
    ("fifo-template", lambda d: ["check", "--template", str(_fifo(d, "t.json"))], ("t.json", "named pipe")),
    ("fifo-parameters", lambda d: ["check", "--template", str(_ok(d)), "--parameters", str(_fifo(d, "p.json"))], ("p.json", "named pipe")),
    ("fifo-state", lambda d: ["check", "--state", str(_fifo(d, "s.json"))], ("s.json", "named pipe")),
    ("fifo-import", lambda d: ["inventory", "import", str(_fifo(d, "systems.csv")), "--db", f"sqlite:///{d}/r.db"], ("systems.csv", "named pipe")),
    ("fifo-mapping", lambda d: ["inventory", "import", str(_csv(d)), "--mapping", str(_fifo(d, "m.yaml")), "--db", f"sqlite:///{d}/r.db"], ("m.yaml", "named pipe")),
    ("dev-zero-template", lambda d: ["check", "--template", "/dev/zero"], ("/dev/zero", "device")),
    ("dev-zero-import", lambda d: ["inventory", "import", str(_link(d, "/dev/zero", "zero.csv")), "--db", f"sqlite:///{d}/r.db"], ("zero.csv", "device")),
    ("directory-template", lambda d: ["check", "--template", str(_dir(d, "templates"))], ("templates", "directory")),
    ("directory-import", lambda d: ["inventory", "import", str(_dir(d, "sheet.csv")), "--db", f"sqlite:///{d}/r.db"], ("sheet.csv", "directory")),
])
def test_an_input_that_is_not_a_regular_file_is_refused_at_once(tmp_path, case, make, words):
    args = make(tmp_path)
    before = snapshot(f"sqlite:///{tmp_path}/r.db")
    run = borough(*args, subprocess=True, timeout=60)  # a FIFO read would hang past the timeout
    assert_refused(run, *words)
    assert snapshot(f"sqlite:///{tmp_path}/r.db") == before


def _ok(folder: Path) -> Path:
    path = folder / "ok.json"
    path.write_text(json.dumps(TEMPLATE))
    return path


def _csv(folder: Path) -> Path:
    path = folder / "ok.csv"
    path.write_text("id,name\ncrm,CRM\n")
    return path


def _link(folder: Path, target: str, name: str) -> Path:
    path = folder / name
    path.symlink_to(target)
    return path


def _dir(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir()
    return path


@pytest.mark.parametrize(("option", "kind"), [("--template", "TEMPLATE"), ("--state", "STATE")])
def test_an_input_over_its_bound_says_the_bound_and_how_to_raise_it(tmp_path, option, kind):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({**TEMPLATE, "padding": "x" * (2 * 1024 * 1024)}))
    run = borough("check", option, str(big), env={f"BOROUGH_MAX_{kind}_MB": "1"})
    assert_refused(run, "big.json", "over the 1 MB bound")
    assert f"BOROUGH_MAX_{kind}_MB=" in run.stderr


def test_a_sheet_over_its_bound_is_refused_before_it_is_read(tmp_path):
    sheet = tmp_path / "huge.csv"
    sheet.write_text("id,name\n" + "".join(f"s{i},System {i}\n" for i in range(120_000)))
    run = borough("inventory", "import", str(sheet), "--db", f"sqlite:///{tmp_path}/r.db", env={"BOROUGH_MAX_SHEET_MB": "1"})
    assert_refused(run, "huge.csv", "over the 1 MB bound", "BOROUGH_MAX_SHEET_MB=")
    assert not (tmp_path / "r.db").exists()


@pytest.mark.parametrize("name", ["a\nb.json", "tab\there.json", "bell\a.json", "rtl\u202egnp.json"])
def test_a_path_with_control_characters_is_shown_escaped_on_one_line(tmp_path, name):
    run = borough("check", "--template", str(tmp_path / name))
    escaped = name.replace("\n", "\\n").replace("\t", "\\t").replace("\a", "\\x07").replace("\u202e", "\\u202e")
    assert_refused(run, escaped, "no such file")
    assert len([line for line in run.stderr.splitlines() if line.startswith("borough: error:")]) == 1
    assert not any(ch in run.stderr for ch in "\a\u202e\t")
