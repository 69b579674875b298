"""Tables follow the terminal's width (``COLUMNS``) and never cut an id (issue 20).

Before, every table was 160 columns wide whatever the terminal, and ids were cut short with an
ellipsis in a narrow one; now long text wraps and ids stay whole.
"""

from __future__ import annotations

import pytest
from bad_input_helpers import borough

IDS = [f"revenues-and-benefits-document-management-{n:02d}" for n in range(6)] + ["gis"]


@pytest.fixture
def register(tmp_path):
    from inventory.register.model import System
    from inventory.store import open_store

    url = f"sqlite:///{tmp_path}/r.db"
    with open_store(url) as store:
        store.import_estate([System(id=i, name=f"The {i.replace('-', ' ')} system, kept by the revenues service")
                             for i in IDS], [], actor="seed")
    return url


@pytest.mark.parametrize("columns", [70, 100, 240])
def test_a_table_fits_columns_and_never_cuts_an_id(register, columns):
    run = borough("inventory", "list", "--db", register, env={"COLUMNS": str(columns)})
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns
    for system_id in IDS:
        assert any(f" {system_id} " in line for line in lines), system_id  # whole, on one line
    assert "…" not in run.stdout  # long text wraps rather than being cut with an ellipsis


def test_a_wide_terminal_gets_a_wide_table(register):
    wide = borough("inventory", "list", "--db", register, env={"COLUMNS": "240"})
    assert max(len(line.rstrip()) for line in wide.stdout.splitlines()) > 160
