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


def _take(chars: list[str], cols: int) -> list[str]:
    out, used = [], 0
    for ch in chars:
        w = _char_width(ch)
        if used + w > cols:
            break
        out.append(ch)
        used += w
    return out


def clip_middle(text: str, cols: int, head: int | None = None) -> str:
    """Cut ``text`` to at most ``cols`` columns by dropping its middle (``head`` columns kept in front, the
    rest from the end), so a distinguishing ending such as "web-01" stays visible."""
    if width(text) <= cols:
        return text
    if cols <= 1:
        return "…"[:cols]
    room = cols - 1
    front = room // 2 if head is None else max(0, min(head, room))
    start = _take(list(text), front)
    end = _take(list(reversed(text)), room - width("".join(start)))
    return "".join(start) + "…" + "".join(reversed(end))


def distinct(names: list[str], cols: int) -> list[str]:
    """Each name cut to ``cols`` columns so that names that differ still read differently: cut at the end
    when that keeps them apart, else in the middle with as much of the ending as it takes."""
    out = [clip(name, cols) for name in names]
    groups: dict[str, list[int]] = {}
    for i, short in enumerate(out):
        groups.setdefault(short, []).append(i)
    for members in groups.values():
        if len(members) < 2 or len({names[i] for i in members}) < 2:
            continue
        for head in range((cols - 1) // 2, -1, -1):
            tries = [clip_middle(names[i], cols, head) for i in members]
            if len(set(tries)) == len({names[i] for i in members}):
                break
        for i, short in zip(members, tries, strict=True):
            out[i] = short
    return out
