"""The official report as a list of neutral blocks: headings, paragraphs, tables, images, page breaks and the
table of contents. ``content`` builds the list once from the data; ``docx_out`` and ``pdf_out`` render the same
list, so the Word and PDF reports carry the same content in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ParaStyle = Literal["body", "draft", "missing", "note", "title", "subtitle", "centre", "edition"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 chapter, 2 section, 3 sub-section
    toc: bool = True
    new_page: bool = False


@dataclass(frozen=True)
class Para:
    text: str
    style: ParaStyle = "body"


@dataclass(frozen=True)
class Table:
    """A table with a numbered caption (``表5-1 …``) and a header row repeated on every page it runs onto.

    ``widths`` are relative column widths. A ``pairs`` table has no header: its first column holds labels.
    """

    caption: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]
    pairs: bool = False
    # A numbered caption in parts: the text before the number, the number, the text after it, and the chapter
    # (``表5-``, ``1``, `` 安全问题风险分析``, ``5``). The DOCX writes the number as a SEQ field.
    numbered: tuple[str, int, str, str] | None = None


@dataclass(frozen=True)
class Image:
    data: bytes
    caption: str


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Toc:
    title: str


Block = Heading | Para | Table | Image | PageBreak | Toc


@dataclass
class Document:
    """The whole report: its blocks and what the running header and the file's properties say."""

    title: str
    edition: str
    lang: str
    number: str
    system: str
    blocks: list[Block] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every text the document prints (for the font-coverage check and the tests)."""
        out: list[str] = [self.title, self.number, self.system]
        for b in self.blocks:
            if isinstance(b, (Heading, Para)):
                out.append(b.text)
            elif isinstance(b, Table):
                out.append(b.caption)
                out.extend(b.header)
                for row in b.rows:
                    out.extend(row)
            elif isinstance(b, (Image, Toc)):
                out.append(b.caption if isinstance(b, Image) else b.title)
        return out

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
