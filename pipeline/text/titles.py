"""《》 titles of documents, books and programmes as a draft cites them."""

from __future__ import annotations

import re

# Group 1 is the title without the marks. A 《 left open is no title, and of nested
# marks only the innermost pair counts; the length bound stops a match running through
# a paragraph between two unrelated marks.
TITLE = re.compile(r"《([^《》]{1,120})》")


def titles(text: str) -> list[tuple[int, int, str]]:
    """(start, end, title) of every 《…》 in text; start and end include the marks."""
    return [(m.start(), m.end(), m.group(1)) for m in TITLE.finditer(text)]
