"""Bounds on paged reads: a continuation that repeats, or pages without end, stops the read.

Resource Graph continues a query with ``$skipToken`` and ARM list calls with ``nextLink``. An API
that answers the same token again (or cycles through a few) would keep a reader asking forever,
its memory growing with every page; so would one that hands out fresh tokens without end. A
``PageGuard`` remembers every continuation of one query and counts its pages, and raises
``LiveReadError`` naming the query and page as soon as either goes wrong, so the run ends in
exit 3 within seconds instead of never.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from inventory.live.errors import LiveReadError
from inventory.live.model import Cloud

MAX_PAGES = 5000
"""More pages than any real scope needs: at 1,000 rows a page, five million resources; ARM list
calls page by 100 to 1,000. A query past it is looping, not reading."""


@dataclass
class PageGuard:
    """Checks each continuation of one paged read before it is followed."""

    scope: str
    label: str
    """Names the read in the error: ``Resource Graph query 'resources'``, ``ARM list ... at <id>``."""
    max_pages: int = MAX_PAGES
    seen: set[str] = field(default_factory=set)
    pages: int = 1

    def follow(self, continuation: str, total: object = None, per_page: int | None = None) -> None:
        """Accept ``continuation`` as the next page's, or raise naming the loop.

        ``total`` (Resource Graph's ``totalRecords``) and ``per_page`` bound the pages a query can
        honestly have: a query asking for more than that (plus one for a total that grew while
        reading) is looping too.
        """
        where = f"{self.label} page {self.pages}"
        if continuation in self.seen:
            raise LiveReadError(Cloud.azure, self.scope, where,
                                "the API returned a continuation token it had already returned (a paging loop); stopped")
        bound = self.max_pages
        if isinstance(total, int) and not isinstance(total, bool) and per_page:
            bound = min(bound, max(1, math.ceil(total / per_page)) + 1)
        if self.pages >= bound:
            raise LiveReadError(Cloud.azure, self.scope, where,
                                f"still more pages after {self.pages} (at most {bound} expected); stopped")
        self.seen.add(continuation)
        self.pages += 1
