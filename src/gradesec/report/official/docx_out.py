"""The official report as a Word document (python-docx), from the same blocks as the PDF.

Real Word styles carry the structure: Title, Heading 1–3 (so Word's navigation pane and the TOC field work),
Caption for numbered table titles, "Table Grid" tables whose header row repeats on every page (``w:tblHeader``),
and two styles of our own for drafts and missing fields. Every style names its East Asian font
(``w:rFonts/@w:eastAsia``: 宋体 for text, 黑体 for headings) so Word and WPS set the Chinese in the intended
face instead of falling back. The table of contents is a TOC field that Word fills in when the document is
opened (``w:updateFields``); LibreOffice fills it on conversion.

Table rows are written as WordprocessingML directly: python-docx's cell API re-reads the whole table for every
cell, which makes a 6,000-row appendix take minutes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from gradesec.report.official.blocks import Document, Heading, Image, PageBreak, Para, Table, Toc

Progress = Callable[[int, int], None]

BODY_FONT = ("Times New Roman", "宋体")
HEAD_FONT = ("Arial", "黑体")
TEXT_WIDTH_CM = 16.0
TWIPS_PER_CM = 567


def _fonts(style: Any, latin: str, east: str) -> None:
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.attrib.pop(qn("w:asciiTheme"), None)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    fonts.attrib.pop(qn("w:hAnsiTheme"), None)


def _styles(doc: Any, lang: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal, *BODY_FONT)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    # Word's own kinsoku and East Asian line breaking for the body text.
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:kinsoku", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "1")
        ppr.append(el)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = styles[name]
        _fonts(style, *HEAD_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    _fonts(caption, *HEAD_FONT)
    caption.font.size = Pt(9.5)
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, colour, italic in (
        ("Draft", RGBColor(0x55, 0x55, 0x55), True),
        ("Missing", RGBColor(0xB3, 0x26, 0x1E), False),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.color.rgb = colour
        style.font.italic = italic
    note = styles.add_style("Report Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9)
    for name in ("Table Cell", "Table Head"):
        cell = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        cell.font.size = Pt(9)
        cell.paragraph_format.space_after = Pt(0)
        cell.paragraph_format.line_spacing = 1.1
        if name == "Table Head":
            cell.font.bold = True
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-GB"


def _toc(doc: Any, title: str, entries: list[Heading]) -> None:
    """A TOC field whose current result already lists the headings (LibreOffice shows it as is; Word
    refreshes it with page numbers when the document opens, ``w:updateFields``)."""
    heading = doc.add_paragraph(title, style="Title")
    heading.paragraph_format.page_break_before = True
    first = doc.add_paragraph()
    run = first.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    run._r.append(_el("w:fldChar", fldCharType="begin"))
    run._r.append(instr)
    run._r.append(_el("w:fldChar", fldCharType="separate"))
    last = first
    for n, entry in enumerate(entries):
        para = first if n == 0 else doc.add_paragraph()
        para.add_run(entry.text)
        para.paragraph_format.left_indent = Cm(0.75 * (entry.level - 1))
        para.paragraph_format.space_after = Pt(1)
        last = para
    last.add_run()._r.append(_el("w:fldChar", fldCharType="end"))
    settings = doc.settings.element
    settings.append(_el("w:updateFields", val="true"))


def _el(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _cell(text: str, width: int, head: bool, shade: bool = False) -> Any:
    tc = _el("w:tc")
    pr = _el("w:tcPr")
    pr.append(_el("w:tcW", w=str(width), type="dxa"))
    if shade:
        pr.append(_el("w:shd", val="clear", color="auto", fill="E8EDF3"))
    tc.append(pr)
    style = "TableHead" if head else "TableCell"
    for line in text.split("\n") or [""]:
        p = _el("w:p")
        ppr = _el("w:pPr")
        ppr.append(_el("w:pStyle", val=style))
        p.append(ppr)
        if line:
            r = _el("w:r")
            t = _el("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = line
            r.append(t)
            p.append(r)
        tc.append(p)
    return tc


def _caption(doc: Any, block: Table, lang: str) -> None:
    """The table's caption; a numbered one carries its number as a SEQ field with the number gradesec computed as
    the field's current result. Each chapter has its own sequence (``表5``, ``表A``): LibreOffice ignores the
    chapter-restart switch ``\\s``, so one sequence per chapter is what numbers alike in Word and LibreOffice."""
    para = doc.add_paragraph(style="Caption")
    if block.numbered is None:
        para.add_run(block.caption)
        return
    before, number, after, chapter = block.numbered
    para.add_run(before)
    run = para.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" SEQ {'表' if lang == 'zh' else 'Table'}{chapter} \\* ARABIC "
    run._r.append(_el("w:fldChar", fldCharType="begin"))
    run._r.append(instr)
    run._r.append(_el("w:fldChar", fldCharType="separate"))
    shown = para.add_run(str(number))
    shown._r.append(_el("w:fldChar", fldCharType="end"))
    para.add_run(after)


def _table(doc: Any, block: Table, lang: str) -> None:
    if block.caption:
        _caption(doc, block, lang)
    cols = len(block.header) if block.header else len(block.rows[0]) if block.rows else 2
    weights = list(block.widths[:cols]) + [1.0] * max(0, cols - len(block.widths))
    total = sum(weights)
    widths = [int(TEXT_WIDTH_CM * TWIPS_PER_CM * w / total) for w in weights]
    table = doc.add_table(rows=0, cols=cols)
    table.style = doc.styles["Table Grid"]
    tbl = table._tbl
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(width))
    rows: list[tuple[tuple[str, ...], bool]] = []
    if block.header:
        rows.append((block.header, True))
    rows.extend((row, False) for row in block.rows)
    for n, (values, head) in enumerate(rows):
        tr = _el("w:tr")
        trpr = _el("w:trPr")
        trpr.append(_el("w:cantSplit"))
        if head:
            trpr.append(_el("w:tblHeader"))
        tr.append(trpr)
        for i, width in enumerate(widths):
            value = values[i] if i < len(values) else ""
            label = block.pairs and i == 0
            tr.append(_cell(value, width, head or label, shade=head or label))
        tbl.append(tr)
        del n
    doc.add_paragraph()


def _header(doc: Any, document: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = f"{document.number}    {document.title}"
    header.style = doc.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run()
    begin = _el("w:fldChar", fldCharType="begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = "PAGE"
    end = _el("w:fldChar", fldCharType="end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


PARA_STYLES = {
    "body": "Normal",
    "draft": "Draft",
    "missing": "Missing",
    "note": "Report Note",
    "title": "Title",
    "subtitle": "Subtitle",
    "centre": "Normal",
    "edition": "Normal",
}


def build_docx(document: Document, out: Path, progress: Progress | None = None) -> int:
    """Write ``document`` to ``out`` (atomically: a ``.part`` file renamed into place); returns the table count."""
    from gradesec.report.simpledoc import atomic_target

    doc = new_docx()
    _styles(doc, document.lang)
    _header(doc, document)
    doc.core_properties.title = document.title
    doc.core_properties.subject = document.system
    doc.core_properties.author = ""
    doc.core_properties.comments = document.number
    total = max(len(document.blocks), 1)
    break_next = False
    for n, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            para = doc.add_heading(block.text, level=min(block.level, 3))
            para.paragraph_format.page_break_before = block.new_page or break_next
            break_next = False
        elif isinstance(block, Para):
            para = doc.add_paragraph(block.text, style=PARA_STYLES[block.style])
            if block.style in ("title", "subtitle", "centre", "edition"):
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if block.style == "edition":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if break_next:
                para.paragraph_format.page_break_before = True
                break_next = False
        elif isinstance(block, Table):
            _table(doc, block, document.lang)
        elif isinstance(block, Image):
            doc.add_picture(io.BytesIO(block.data), width=Cm(15))
            doc.add_paragraph(block.caption, style="Caption")
        elif isinstance(block, PageBreak):
            break_next = True
        elif isinstance(block, Toc):
            entries = [h for h in document.headings() if h.toc and h.level <= 2]
            _toc(doc, block.title, entries)
            break_next = True
        if progress is not None and n % 20 == 0:
            progress(n, total)
    with atomic_target(out) as part:
        doc.save(str(part))
    if progress is not None:
        progress(total, total)
    return len(document.tables())
