"""Output file names from place names: readable Chinese kept, nothing that can leave the
output folder, no collisions."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u2028\u2029]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
MAX_CHARS = 60  # well inside 255 bytes for CJK in UTF-8


def safe_name(name: str) -> str:
    """云岭县 → 云岭县; ../../etc/passwd → etc_passwd; '' → 未命名."""
    text = unicodedata.normalize("NFC", name).strip()
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"_*\.\.+_*", "_", text)  # no '..' anywhere: it could climb out
    text = text.strip(" ._")
    text = re.sub(r"_+", "_", text)
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    return text[:MAX_CHARS] or "未命名"


def safe_names(names: list[str]) -> list[str]:
    """Safe names for a list of places, in order; repeats get -2, -3 … (case-insensitively,
    for file systems that fold case)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = safe_name(name)
        candidate, n = base, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate.lower())
        out.append(candidate)
    return out
