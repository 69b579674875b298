"""What an import refused: the located problems of an ``ImportFileError``, for the import tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from inventory.errors import ImportFileError


def problems_of(call: Callable[[], Any]) -> list[str]:
    """Run ``call``, expect it to refuse the file as bad input (exit 2), and return each problem's
    one-line text (``file:row:column: message``) in the order the import reported them."""
    with pytest.raises(ImportFileError) as caught:
        call()
    assert caught.value.exit_code == 2
    return [str(p) for p in caught.value.problems]
