"""Read a JSON input file (template, parameters, state export) as bad input is read everywhere:
a one-line error naming the file and line, never a traceback, whatever the bytes are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from synth.errors import StacksError


def read_json(path: Path, error: type[StacksError] = StacksError, kind: str = "template") -> Any:
    """A JSON file, or ``error`` with a one-line message naming the file (and line) when it is
    missing, not a regular file or over ``kind``'s size bound (yamlsafe.inputs), not UTF-8 text
    (binary, UTF-16, Latin-1), not JSON, or nested too deeply to read."""
    from yamlsafe.inputs import InputFileError, read_input, shown_path

    try:
        raw = read_input(path, kind)
    except InputFileError as exc:
        raise error(exc.message, exc.hint) from None
    path = Path(shown_path(path))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise error(f"{path}: not a UTF-8 text file (binary or UTF-16)", "save it as UTF-8 JSON") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise error(f"{path}:{line}: not a UTF-8 text file (byte 0x{raw[exc.start]:02x})", "save it as UTF-8 JSON") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise error(f"{path}: nested too deeply to read (more than ~1,000 levels)") from None
