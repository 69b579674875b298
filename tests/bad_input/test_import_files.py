"""Bad import files: each refused at its place, exit 2, nothing imported (issue 9)."""

from __future__ import annotations

from pathlib import Path

from bad_input_helpers import SEEDED_IDS, assert_refused, borough, snapshot


def test_a_missing_import_file_is_refused_and_nothing_changes(seeded_db_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    before = snapshot(seeded_db_url, [tmp_path / "out"])
    run = borough("inventory", "import", str(missing), "--db", seeded_db_url)
    assert_refused(run, "absent.csv", "no such file")
    after = snapshot(seeded_db_url, [tmp_path / "out"])
    assert after == before and after.counts()["systems"] == len(SEEDED_IDS)
