"""visible() (the compiler-style report shows every finding's line through it) finds control
characters with one regex pass; it must show exactly the characters of category Cc, less
tab and line feed, as their codes, as the per-character reference did."""

from __future__ import annotations

import sys
import unicodedata

from pipeline.text.chars import visible


def _reference(text: str) -> str:
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) == "Cc" and ch not in "\n\t" else ch
                   for ch in text)


def test_every_character_shown_as_the_category_reference_shows_it():
    everything = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    assert visible(everything) == _reference(everything)


def test_text_without_controls_comes_back_as_the_same_object():
    text = "青龙镇组织宣讲12场，\t参与群众1.2万人次\n"
    assert visible(text) is text


def test_escape_sequence_in_a_draft_line_is_shown_as_codes():
    assert visible("\x1b[31m35个\x9b") == "\\u001b[31m35个\\u009b"
