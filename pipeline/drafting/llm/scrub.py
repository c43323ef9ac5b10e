"""The secret scrub applied to every reply body (and every model error message) before
openai, LangChain, the cache, the trail or a terminal sees it.

The rule: no stretch of MIN_FRAGMENT or more characters of the configured key, in any of
the forms a server may echo it in, survives; nor does the value after Authorization,
api-key, Bearer or Basic, whoever's key it is. "Any form" is

- the key as is, or a fragment of it (its last 8 characters, a half);
- split by spaces, line breaks or invisible characters, or by JSON/URL/HTML escapes of
  them, escaped once or several times (\\n, \\\\u0073, %73, &#115;): the body is read
  with these taken out or decoded, and a match masks the whole stretch it came from;
- the key's base64 at each of the three byte alignments (so "Bearer KEY" or "user:KEY"
  in base64 are caught), URL-safe base64 too, and its hex.

A short key (under MIN_FRAGMENT characters) is masked only whole. Finding a fragment is
linear in the body: every 8-character stretch of a form contains one of the form's
4-character anchors at a multiple of 4, so the body is searched for those few anchors
(str.find, in C) and only around a hit is the match grown character by character.
"""

from __future__ import annotations

import base64
import re
from bisect import bisect_right
from functools import lru_cache

MASK = b"***"
MIN_FRAGMENT = 8  # characters of the key in a row that count as the key
_ANCHOR = 4

_SECRET_PATTERNS = [
    re.compile(rb"(?i)(bearer)(\s+|\\[nrt]|%20)+[A-Za-z0-9._~+/=-]{4,}"),
    re.compile(rb"(Basic)(\s+|\\[nrt]|%20)+[A-Za-z0-9+/]{12,}=*"),
    re.compile(rb"(?i)((?:proxy-)?(?:authorization|x-api-key|api[-_]?key|openai_api_key|access[-_]token)"
               rb"\\*(?:[\"']|%22)?\s*(?:[:=]|%3[aAdD])\s*(?:%20)*\\*(?:[\"']|%22)?)(?!\*\*\*)[^\s\"'\\,;}&%]{4,}"),
]
_HEADER_WORDS = (b"bearer", b"basic", b"authorization", b"api-key", b"api_key", b"apikey", b"access-token",
                 b"access_token")
# What a reader of the body does not see as a character of the key: white space and
# invisible characters (dropped), and escapes of a character (decoded). Escapes of
# non-ASCII characters are left alone: a key is ASCII, and a JSON body written with
# ensure_ascii would otherwise be decoded character by character.
_UNSEEN = re.compile(r"(?:\s|\\+[nrtfbv]|\\+u00(?:0[9a-dA-D]|20)|%(?:0[9aAdD]|20)|[\u00ad\u200b-\u200f\u2060\ufeff])+"
                     r"|\\+u00([2-7][0-9a-fA-F])|%([2-7][0-9a-fA-F])|&#(\d{2,3});|&#[xX]([2-7][0-9a-fA-F]);|\\+(/)")


@lru_cache(maxsize=8)
def _forms(key: str) -> tuple[str, ...]:
    """The key and the stretches of its encodings that depend on the key's bytes alone."""
    raw = key.encode("utf-8")
    forms = [key, raw.hex(), raw.hex().upper()]
    for pad in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * pad + raw).decode("ascii")
            forms.append(text[4 if pad else 0:len(text) - 4])  # the ends mix with neighbouring bytes
    return tuple(dict.fromkeys(f for f in forms if len(f) >= MIN_FRAGMENT))


class _Seen:
    """`text` with the unseen taken out, and the way back to `text`'s offsets: the seen
    text is pieces, each a run copied from `text` or one decoded escape."""

    def __init__(self, text: str) -> None:
        parts: list[str] = []
        self.starts: list[int] = []  # where each piece starts in the seen text
        self.origin: list[tuple[int, int, bool]] = []  # its (start, end) in text, and whether copied
        n = last = 0
        for m in _UNSEEN.finditer(text):
            pieces = [(text[last:m.start()], last, m.start(), True)] if m.start() > last else []
            if m.lastindex and _decode(m).strip():
                pieces.append((_decode(m), m.start(), m.end(), False))
            for piece, start, end, copied in pieces:
                parts.append(piece)
                self.starts.append(n)
                self.origin.append((start, end, copied))
                n += len(piece)
            last = m.end()
        if last < len(text):
            parts.append(text[last:])
            self.starts.append(n)
            self.origin.append((last, len(text), True))
        self.text = "".join(parts)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The offsets in the original text of seen characters a..b-1."""
        return self._at(a)[0], self._at(b - 1)[1]

    def _at(self, i: int) -> tuple[int, int]:
        j = bisect_right(self.starts, i) - 1
        start, end, copied = self.origin[j]
        if copied:
            pos = start + i - self.starts[j]
            return pos, pos + 1
        return start, end


def _decode(m: re.Match) -> str:
    value = m.group(m.lastindex)
    if m.lastindex == 5:
        return "/"
    return chr(int(value, 10 if m.lastindex == 3 else 16))


def _fragments(seen: str, form: str) -> list[tuple[int, int]]:
    """Stretches of `seen` (start, end) that are MIN_FRAGMENT or more characters of `form`."""
    found: list[tuple[int, int]] = []
    for k in range(0, len(form) - _ANCHOR + 1, _ANCHOR):
        anchor = form[k:k + _ANCHOR]
        at = seen.find(anchor)
        while at != -1:
            a, b, i, j = at, at + _ANCHOR, k, k + _ANCHOR
            while a > 0 and i > 0 and seen[a - 1] == form[i - 1]:
                a, i = a - 1, i - 1
            while b < len(seen) and j < len(form) and seen[b] == form[j]:
                b, j = b + 1, j + 1
            if b - a >= MIN_FRAGMENT:
                found.append((a, b))
            at = seen.find(anchor, max(b - _ANCHOR + 1, at + 1))
    return found


# The cheap pass: white space, invisible characters and backslashes deleted (str.translate,
# in C), whitespace escapes first; escapes of ASCII characters decoded only when present.
_DELETE = dict.fromkeys(map(ord, " \t\n\r\v\f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000\\\u00ad\u2060\ufeff"))
_DELETE.update(dict.fromkeys(range(0x2000, 0x2010)))
_ESCAPED = re.compile(r"\\u00[0-7][0-9a-fA-F]|%[0-7][0-9a-fA-F]|&#")
_ASCII_ESCAPE = re.compile(r"u00([0-7][0-9a-fA-F])|%([0-7][0-9a-fA-F])|&#(\d{1,3});|&#[xX]([0-7][0-9a-fA-F]);")


def _maybe(text: str, forms: tuple[str, ...]) -> bool:
    """Whether any form's anchor stands in the text as roughly seen: a pass in C that
    spares the offsets map for a body without one. It finds every stretch _Seen finds
    (it deletes no less and decodes no less), and some more."""
    rough = text
    for esc in ("\\n", "\\r", "\\t", "\\f", "\\b", "\\v"):
        if esc in rough:
            rough = rough.replace(esc, "")
    if _ESCAPED.search(rough):
        rough = _ASCII_ESCAPE.sub(lambda m: chr(int(m.group(m.lastindex), 10 if m.lastindex == 3 else 16)), rough)
    rough = rough.translate(_DELETE)
    return any(anchor in rough for anchor in _anchors(forms))


@lru_cache(maxsize=8)
def _anchors(forms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f[k:k + _ANCHOR] for f in forms for k in range(0, len(f) - _ANCHOR + 1, _ANCHOR)))


def _mask_fragments(text: str, key: str) -> str:
    forms = _forms(key)
    if not forms or not _maybe(text, forms):
        return text
    seen = _Seen(text)
    spans = sorted(seen.span(a, b) for form in forms for a, b in _fragments(seen.text, form))
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for s, e in spans:
        if e <= last:
            continue
        out.append(text[last:max(s, last)] + "***")
        last = e
    return "".join(out) + text[last:]


def scrub(data: bytes, key: str | None) -> bytes:
    """`data` without the key (whole, in fragments, split or encoded) or any
    credential-looking value."""
    if key and len(key) >= 4:
        data = data.replace(key.encode("utf-8"), MASK)
        if len(key) >= MIN_FRAGMENT:
            text = data.decode("utf-8", "surrogateescape")
            clean = _mask_fragments(text, key)
            if clean is not text:
                data = clean.encode("utf-8", "surrogateescape")
    lower = data.lower()
    if not any(word in lower for word in _HEADER_WORDS):
        return data
    for pattern in _SECRET_PATTERNS:
        data = pattern.sub(lambda m: m.group(1) + (b" " if m.group(1).lower() in (b"bearer", b"basic") else b"")
                           + MASK, data)
    return data


def scrub_text(text: str, key: str | None) -> str:
    return scrub(text.encode("utf-8", "surrogatepass"), key).decode("utf-8", "replace")
