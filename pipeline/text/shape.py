"""Record text that would give a draft structure of its own: a sentence end inside a name,
a heading mark at its start, an HTML tag, an item number (二是) inside a clause, and the
look-alike characters (⼆ U+2F06 for 二) that pass every check while a reader sees the
real one. Each helper says what it found, for a message naming the field."""

from __future__ import annotations

import re
import unicodedata

from pipeline.text.numerals import CN_NUMERAL

# A numbering mark or a Markdown heading mark at the start of a line (一、 （二） 3. （4） # ＃):
# a name that starts with one opens a heading wherever it starts a line (the signature,
# an opening without basis). A digit after the dot is a decimal (1.5公里), no mark.
_LEAD_MARK = re.compile(
    rf"^\s*(?:[#＃]+|{CN_NUMERAL}[、.．](?!\d)|[（(](?:{CN_NUMERAL}|\d{{1,2}})[）)]|\d{{1,2}}[.．、](?!\d))")
_SENTENCE_END = re.compile(r"[。！？!?]")
# <h2>, </p>, <br/>, <script …>, <!-- : a Markdown viewer renders them as HTML.
_HTML = re.compile(r"<\s*(?:[A-Za-z][A-Za-z0-9-]*|/\s*[A-Za-z][A-Za-z0-9-]*|!--)(?=[\s/>]|$)[^<>]*>?")
# An item number of a run-in list where a clause starts (一是/二是 …), as the check reads
# them: not the 一 of a word (统一是) nor the tail of a larger numeral (十一是).
_ITEM = re.compile(rf"(?:^|(?<=[，,；;：:、。！？!?\s]))\s*(?P<n>{CN_NUMERAL})是")
# Kangxi radicals, CJK radical supplement and kanbun marks: each looks like an ordinary
# ideograph (⼀ ⼆ ⼗, ㆒ ㆓) and NFKC maps most of them to it.
_LOOKALIKE = re.compile("[\u2e80-\u2fdf\u3190-\u319f]")


def fold_lookalikes(text: str) -> str:
    """`text` with each look-alike ideograph replaced by the ideograph a reader sees."""
    if not _LOOKALIKE.search(text):
        return text
    return _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def lead_mark(text: str) -> str | None:
    """The heading or numbering mark `text` starts with (“一、”“##”), or None."""
    m = _LEAD_MARK.match(text)
    return m.group().strip() if m else None


def sentence_end(text: str) -> str | None:
    """The first sentence end (。！？) inside `text`, or None."""
    m = _SENTENCE_END.search(text)
    return m.group() if m else None


def html_tag(text: str) -> str | None:
    """The first HTML tag in `text` (“<h2>”), or None. 《》 and a lone < are no tag."""
    if "<" not in text:
        return None
    m = _HTML.search(text)
    return m.group() if m else None


# A list item's own number or bullet where it starts (一是 二、 (3) 4. • -), which the draft
# writes itself: a clerk types them out of habit. A digit after the dot is a decimal.
_ITEM_START = re.compile(r"^\s*(?:[（(]?\d{1,2}[)）、]|\d{1,2}[.．](?!\d)|[（(]\d{1,2}[.．](?!\d)"
                         rf"|(?:{CN_NUMERAL})[是、.．]|[（(](?:{CN_NUMERAL})[）)]|[•·\-])\s*")


def drop_item_start(text: str) -> str:
    """`text` without the number or bullet it starts with (二是部分村… → 部分村…)."""
    return _ITEM_START.sub("", text, count=1)


def item_number(text: str) -> str | None:
    """The first run-in item number (“二是”) at the start of a clause of `text`, or None."""
    if "是" not in text:
        return None
    m = _ITEM.search(text)
    return m.group("n") + "是" if m else None
