"""Characters a record must not carry: control characters (ESC would reach the terminal,
NUL breaks Word), and invisible format characters (zero-width, bidi overrides) that make a
name look like another."""

from __future__ import annotations

import re
import unicodedata


def hidden_char(text: str, allow: str = "") -> str | None:
    """The first control or format character of `text` not in `allow`, shown for a
    message (“U+202E”), or None."""
    if text.isprintable():  # no character of category C (Cc, Cf among them): the usual case
        return None
    for ch in text:
        if ch not in allow and unicodedata.category(ch) in ("Cc", "Cf"):
            return f"U+{ord(ch):04X}"
    return None


def drop_format_chars(text: str) -> str:
    """`text` without zero-width and bidi characters (category Cf)."""
    if text.isascii() or text.isprintable():  # a Cf character is never printable
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


# Every control character (C0, DEL, C1) but tab and line feed: ESC and CSI start terminal
# escape sequences, NUL and the rest break Word and XML.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` safe for a terminal: every control character but a line break or tab shown as
    its code (an ESC from a record never reaches the terminal as an escape sequence)."""
    # One regex pass, not a category lookup per character: the compiler-style report calls
    # this twice per finding, and a long line has a finding every few characters.
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(_code, text)


def _code(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


# XML 1.0 also refuses lone surrogates, U+FFFE and U+FFFF; Word will not open a file with them.
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def drop_controls(text: str) -> str:
    """`text` without control characters, tab and line feed kept."""
    return _CONTROLS.sub("", text)


def xml_safe(text: str) -> str:
    """`text` with every character XML cannot carry removed, and line feeds as spaces
    (one paragraph of a document is one line of its draft)."""
    return _NOT_XML.sub("", text).replace("\n", " ")


_BREAKS = "\n\r\v\f\x85\u2028\u2029"
_SENTENCE_ENDS = "。！？!?"
_HEADING_MARK = re.compile(r"^#+\s*")


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef"


def one_line(text: str) -> str:
    """`text` on one line: each line break (with the spaces around it) folded away between
    Chinese characters (a cell wrapped with Alt+Enter) and into one space elsewhere, and a
    Markdown heading mark at the start of a line dropped, so a value can never start a
    line of its own in a draft (“…\\n## 五、…” is no heading)."""
    if not any(b in text for b in _BREAKS) and not text.lstrip().startswith("#"):
        return text
    out: list[str] = []
    for piece in (_HEADING_MARK.sub("", p.strip()) for p in _split_breaks(text)):
        if not piece:
            continue
        if out and not (_cjk(out[-1][-1]) or _cjk(piece[0])):
            out.append(" ")
        out.append(piece)
    return "".join(out)


def _split_breaks(text: str) -> list[str]:
    for b in _BREAKS[1:]:
        text = text.replace(b, "\n")
    return text.split("\n")


def one_clause(text: str) -> str:
    """A one-line value with no sentence end inside it (。！？ become ，): a value fills
    one slot of a sentence and cannot add a sentence of its own. Closing punctuation stays
    for the drafter to strip."""
    text = one_line(text)
    body = text.rstrip(_SENTENCE_ENDS + " ")
    if not any(ch in body for ch in _SENTENCE_ENDS):
        return text
    return "".join("，" if ch in _SENTENCE_ENDS else ch for ch in body) + text[len(body):]


# What a reader of the draft never sees as text: a terminal escape sequence whole (CSI with
# its parameters and final byte; the introducer and parameter of an OSC, DCS …, whose
# payload a Word reader does see), then any other control or format character. A string
# terminator stands between the payload and what follows, as a space. A digit is never
# taken as part of a sequence it may not belong to (ESC 3 is left as 3: better a figure
# read twice than one hidden).
_UNSEEN = re.compile(
    "(?P<csi>(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~])"
    "|(?P<open>(?:\x1b[\\]P^_X]|[\x90\x98\x9d\x9e\x9f])(?:\\d*;)?)"
    "|(?P<end>\x1b\\\\|[\x07\x9c])"
    "|\x1b[ -/]*[:-~]"
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def see_through(text: str) -> tuple[str, list[int]]:
    """`text` as a reader sees it (escape sequences and invisible characters gone, so
    ESC[31m35个 reads 35个, not 31 and m35), and for each of its characters, plus its end,
    the column it stands at in `text`. A text with nothing unseen comes back as is, with
    no columns."""
    if text.isprintable() and "\u00ad" not in text:
        return text, []
    chars: list[str] = []
    cols: list[int] = []
    last = 0
    for m in _UNSEEN.finditer(text):
        chars += text[last:m.start()]
        cols += range(last, m.start())
        if m.group("end"):
            chars.append(" ")
            cols.append(m.start())
        last = m.end()
    if not cols and last == 0:
        return text, []
    chars += text[last:]
    cols += range(last, len(text))
    return "".join(chars), cols + [len(text)]
