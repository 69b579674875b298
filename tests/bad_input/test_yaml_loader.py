"""The project's one YAML loader (yamlsafe): what it refuses, where, and what it still reads."""

from __future__ import annotations

import pytest

from yamlsafe import MAX_ALIAS_NODES, YamlInputError, decode, line_of, loads


def refusal(text: str) -> YamlInputError:
    with pytest.raises(YamlInputError) as caught:
        loads(text, "f.yaml")
    assert caught.value.exit_code == 2
    return caught.value


def test_a_repeated_key_is_refused_at_its_line_naming_the_first() -> None:
    error = refusal("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert (error.line, error.key) == (4, "c")
    assert str(error) == "f.yaml:4: not valid YAML: found duplicate key 'c' (first on line 3)"


def test_merge_keys_may_be_overridden_by_the_mapping_itself() -> None:
    data = loads("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  x: 5\n", "f.yaml")
    assert data["use"] == {"x": 5, "y": 2}
    assert line_of(data, "use") == 2 and line_of(data["use"], "x") == 4


def test_aliases_are_counted_by_what_they_expand_to() -> None:
    width = 10
    small = "a: &a [" + ", ".join(["x"] * width) + "]\nb: [" + ", ".join(["*a"] * 50) + "]\n"
    assert len(loads(small, "f.yaml")["b"]) == 50  # 50 x 11 nodes: within the limit
    uses = MAX_ALIAS_NODES // (width + 1) + 2  # the first use is not an expansion
    big = "a: &a [" + ", ".join(["x"] * width) + "]\nb: [" + ", ".join(["*a"] * uses) + "]\n"
    error = refusal(big)
    assert error.line == 2 and "aliases expand to more than" in error.message


def test_a_self_referencing_alias_is_refused() -> None:
    assert refusal("a: &a {b: *a}\n").line == 1


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("a: 1\n".encode("utf-16"), "UTF-16 text"),
        ("a: 1\n".encode("utf-32"), "UTF-32 text"),
        (b"a: 1\nb: \x00\n", "binary"),
        ("a: 1\nb: café\n".encode("latin-1"), "not UTF-8"),
    ],
    ids=["utf16", "utf32", "nul", "latin1"],
)
def test_text_that_is_not_utf8_is_named_as_such(raw: bytes, words: str) -> None:
    with pytest.raises(YamlInputError) as caught:
        decode(raw, "f.yaml")
    assert words in caught.value.message and caught.value.hint == ("give a text file saved as UTF-8" if words == "binary" else "save it as UTF-8")


def test_a_byte_order_mark_and_windows_1252_fallback_are_read() -> None:
    assert decode("\ufeffa: 1\n".encode("utf-8"), "f.yaml") == "a: 1\n"
    assert decode("£5".encode("cp1252"), "f.csv", fallback="cp1252") == "£5"
