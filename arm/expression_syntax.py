"""The ARM template expression language's syntax: ``[concat('st', parameters('name'))]`` parsed
into calls, member accesses (``.location``, ``[0]``) and literals, for ``expressions`` to evaluate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class ExpressionSyntaxError(ValueError):
    """An expression that is not valid ARM expression syntax."""


TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][\w]*)|(?P<punct>[(),.\[\]]))")


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Member:
    target: Any
    key: Any
    """A property name (str) or an index expression."""


@dataclass(frozen=True)
class Literal:
    value: Any


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = TOKEN.match(text, pos)
        if match is None:
            raise ExpressionSyntaxError(f"unexpected {text[pos:pos + 10]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise ExpressionSyntaxError("expression ends early")
        token = self.tokens[self.at]
        if expected is not None and token[1] != expected:
            raise ExpressionSyntaxError(f"expected {expected!r}, found {token[1]!r}")
        self.at += 1
        return token

    def parse(self) -> Any:
        node = self.expression()
        if self.at != len(self.tokens):
            raise ExpressionSyntaxError(f"unexpected {self.tokens[self.at][1]!r}")
        return node

    def expression(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            node: Any = Literal(text[1:-1].replace("''", "'"))
        elif kind == "num":
            node = Literal(int(text))
        elif kind == "name":
            self.take("(")
            args = []
            while self.peek() != ")":
                args.append(self.expression())
                if self.peek() != ")":
                    self.take(",")
                    if self.peek() == ")":
                        raise ExpressionSyntaxError("an argument is missing after ','")
            self.take(")")
            node = Call(text.lower(), tuple(args))
        else:
            raise ExpressionSyntaxError(f"unexpected {text!r}")
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                node = Member(node, self.take()[1])
            else:
                key = self.expression()
                self.take("]")
                node = Member(node, key)
        return node


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")
