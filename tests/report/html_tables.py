"""Read the HTML estate report's tables back as a person sees them: caption -> rows of cell text."""

from __future__ import annotations

from html.parser import HTMLParser


class PageTables(HTMLParser):
    """Every <table> on the page by its caption; each row as the stripped text of its cells."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.headers: dict[str, list[str]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_head = False
        self._name = ""
        self.summary: dict[str, str] = {}
        """The headline figures (a <dl>): key -> value."""
        self._term: list[str] | None = None
        self._value: list[str] | None = None
        self._key = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows, self._name = [], ""
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "dt":
            self._term = []
        elif tag == "dd":
            self._value = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "dt" and self._term is not None:
            self._key, self._term = " ".join("".join(self._term).split()), None
        elif tag == "dd" and self._value is not None:
            self.summary[self._key], self._value = " ".join("".join(self._value).split()), None
        elif tag == "table" and self._rows is not None:
            rows = [r for r in self._rows if r]
            self.headers[self._name], body = rows[0], rows[1:]
            self.tables[self._name] = [r for r in body if r != ["None."]]
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        elif self._term is not None:
            self._term.append(data)
        elif self._value is not None:
            self._value.append(data)

    def records(self, caption: str) -> list[dict[str, str]]:
        """A table's rows as {header: cell}."""
        return [dict(zip(self.headers[caption], row)) for row in self.tables[caption]]


def number(text: str) -> int:
    """A count as the page prints it ("1,234")."""
    return int(text.replace(",", ""))


def pounds(text: str) -> int:
    """Money as the page prints it ("£1,234", whole pounds)."""
    return int(text.replace("£", "").replace(",", ""))
