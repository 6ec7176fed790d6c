"""Display width of text in a terminal (CJK characters take two columns, combining marks none).

The same measure as the terminal UI's renderer (Rich's cell widths) for the text we show: wide and fullwidth
characters take two columns, combining marks, zero-width format characters and controls take none. Padding or
clipping with a different measure than the renderer's makes a column one cell too wide, and the renderer then
cuts the last character of the cell in half.
"""

from __future__ import annotations

import unicodedata

_ZERO = frozenset(("Mn", "Me", "Cf", "Cc"))


def _char_width(ch: str) -> int:
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.category(ch) in _ZERO:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - width(text))


def clip(text: str, cols: int) -> str:
    """Cut ``text`` to at most ``cols`` columns, ending in … when cut."""
    if width(text) <= cols:
        return text
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > cols - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"
