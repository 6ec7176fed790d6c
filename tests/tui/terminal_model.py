"""A tiny model of a terminal's cell grid, enough to check what Textual's output leaves on screen.

It understands what Textual writes: cursor moves (``ESC[row;colH``), SGR styles (ignored), newlines and text.
Like a real terminal, a two-cell character takes two cells, and writing over either half of one erases it.
"""

from __future__ import annotations

import re

from rich.cells import get_character_cell_size

_CSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")
_WIDE_TAIL = "\0"  # the right half of a two-cell character


class TerminalModel:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.cells = [[" "] * width for _ in range(height)]
        self.x = 0
        self.y = 0

    def feed(self, data: str) -> None:
        pos = 0
        while pos < len(data):
            match = _CSI.match(data, pos)
            if match:
                params, final = match.groups()
                if final == "H":
                    row, _, col = params.partition(";")
                    self.y = int(row or 1) - 1
                    self.x = int(col or 1) - 1
                pos = match.end()
                continue
            ch = data[pos]
            pos += 1
            if ch == "\n":
                self.y += 1
                self.x = 0
            elif ch == "\r":
                self.x = 0
            elif ch >= " ":
                self._put(ch)

    def _erase_at(self, x: int) -> None:
        row = self.cells[self.y]
        if not 0 <= x < self.width:
            return
        if row[x] == _WIDE_TAIL and x > 0:
            row[x - 1] = " "
            row[x] = " "
        elif x + 1 < self.width and row[x + 1] == _WIDE_TAIL:
            row[x] = " "
            row[x + 1] = " "

    def _put(self, ch: str) -> None:
        if not 0 <= self.y < self.height:
            return
        size = get_character_cell_size(ch)
        if size == 0:
            return
        row = self.cells[self.y]
        for x in range(self.x, self.x + size):
            self._erase_at(x)
        if self.x < self.width:
            row[self.x] = ch
        if size == 2 and self.x + 1 < self.width:
            row[self.x + 1] = _WIDE_TAIL
        self.x += size

    def lines(self) -> list[str]:
        return ["".join(c for c in row if c != _WIDE_TAIL) for row in self.cells]

    def text(self) -> str:
        return "\n".join(self.lines())
