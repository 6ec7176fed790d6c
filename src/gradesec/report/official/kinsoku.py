"""Chinese line breaking for the PDF: kinsoku (禁则) and unbroken tokens.

reportlab's CJK wrapping breaks between any two characters and only knows a short list of characters that may
not start a line (no full-width comma, semicolon, colon or closing quotes), so a line may start with "，" or
"；", and ids such as ``TCE-01-a`` or ``10.1.1.10`` are cut in the middle. ``break_lines`` does it properly:

- break opportunities are between two CJK characters, after a space, and around a run of Latin letters and
  digits (a *token*: an id, a name, an address, a number), never inside a token unless the token alone is wider
  than the line;
- a character of ``NO_START`` (closing punctuation) never starts a line: it is pulled up onto the line before
  (hanging slightly, as Chinese typesetting allows), or the previous character moves down with it;
- a character of ``NO_END`` (opening brackets and quotes) never ends a line: it moves down to the next line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NO_START = (
    "，。、；：？！）」』】〕〉》”’〗〙〛｝］｠｡､"
    ",.;:?!)]}%"
    "·・ー々〻ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
)
NO_END = "（「『【〔〈《“‘〖〘〚｛［｟([{"
# A token: letters, digits and the joiners ids, addresses and versions use.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@:/\-+#%]*")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")

Measure = Callable[[str], float]


def tidy(text: str) -> str:
    """Drop the spaces that YAML line folding puts between two Chinese characters."""
    return _CJK_GAP.sub("", text)


def _units(text: str) -> list[str]:
    """The unbreakable pieces of one paragraph line: tokens, spaces and single other characters."""
    units: list[str] = []
    pos = 0
    for match in TOKEN.finditer(text):
        units.extend(text[pos : match.start()])
        units.append(match.group())
        pos = match.end()
    units.extend(text[pos:])
    return units


def _split_long(unit: str, width: float, measure: Measure) -> list[str]:
    """A token wider than the line, cut into pieces that fit (the only case a token is broken)."""
    pieces: list[str] = []
    current = ""
    for ch in unit:
        if current and measure(current + ch) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def break_lines(text: str, width: float, measure: Measure) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (``measure`` gives a string's width)."""
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(_break_one(para, width, measure))
    return out


def _break_one(text: str, width: float, measure: Measure) -> list[str]:
    if not text:
        return [""]
    units: list[str] = []
    for unit in _units(text):
        if len(unit) > 1 and measure(unit) > width:
            units.extend(_split_long(unit, width, measure))
        else:
            units.append(unit)
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for unit in units:
        w = measure(unit)
        if line and used + w > width and not unit.isspace():
            if unit[0] in NO_START:
                # Hang the closing punctuation at the end of this line when it is narrow enough, else carry
                # the previous unit down with it.
                if used + w <= width * 1.04 or len(line) == 1:
                    line.append(unit)
                    used += w
                    continue
                carried = [line.pop()]
                while len(line) > 1 and carried[0][0] in NO_START:
                    carried.insert(0, line.pop())
                lines.append(line)
                line = [*carried, unit]
                used = sum(measure(u) for u in line)
                continue
            moved: list[str] = []
            while len(line) > 1 and line[-1] and line[-1][-1] in NO_END:
                moved.insert(0, line.pop())
            lines.append(line)
            line = [*moved, unit]
            used = sum(measure(u) for u in line)
            continue
        if not line and unit.isspace():
            continue  # no line starts with a space
        line.append(unit)
        used += w
    if line:
        lines.append(line)
    return ["".join(parts).rstrip() for parts in lines]


def bad_starts(lines: list[str]) -> list[str]:
    """Lines that start with a character that may not start a line (for the tests and the bench)."""
    return [line for line in lines if line.strip() and line.strip()[0] in NO_START]
