"""Official report benchmark: the 2025-template report of a level-3 inspection of 30 objects (about 6,000
results) as DOCX and as PDF, each next to a bare build of the same tables measured in the same run.

- DOCX: gradesec's build (every block, styles, TOC field, header) vs a bare python-docx build of the same
  tables (``doc.add_table`` + ``add_row`` + ``cell.text``, the way python-docx is usually used). Target ≤ 1.5×.
- PDF: gradesec's build (Chinese line breaking, contents, running header) vs a bare reportlab build of the same
  tables (Paragraph cells with reportlab's CJK wrap, one ``SimpleDocTemplate.build``). Target ≤ 1.5×.
- Kinsoku: the lines of the zh PDF that start with closing punctuation (pdftotext), for gradesec's PDF and the
  bare one.

The data is ``bench/reports.py``'s level-3 inspection (the shipped checklist's real texts); the report fields
are left empty, so every mandatory field prints its placeholder. No store is needed.

    .venv/bin/python bench/report_docx.py [--assets 30] [--repeat 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).parent))

from gradesec.report.data import ReportData
from gradesec.report.official.blocks import Document, Table
from gradesec.report.official.content import OfficialInputs, build_document
from gradesec.usecases.report_drafts import Problem
from gradesec.usecases.report_fields import ReportModel
from reports import level3_data, timed


def official_inputs(data: ReportData) -> OfficialInputs:
    items = {i.id: i for i in data.items}
    problems = [
        Problem(
            key=f"{i.item_id}@{i.asset_id}",
            no=f"T{n:03d}",
            item_id=i.item_id,
            asset_id=i.asset_id,
            category=items[i.item_id].category,
            cls="technical",
            control_name=i.control_name,
            item_text=i.item_text,
            asset_name=i.asset_name,
            result=i.result,
            note=i.finding,
            risk=i.risk,
            suggested=i.risk,
            cases=(),
            major=False,
        )
        for n, i in enumerate(data.issues, 1)
    ]
    categories = list(dict.fromkeys(i.category for i in data.items))
    model = ReportModel(data.inspection_id, "2025", "zh", {}, categories, problems)
    return OfficialInputs(
        data, model, "2025", "11010099999-20001-26-0421-01", "本报告为基准测试。", "网络安全等级测评报告"
    )


def bare_docx(document: Document, out: Path) -> int:
    """The same tables with python-docx's own API and nothing else."""
    from docx import Document as new_docx

    doc = new_docx()
    for block in document.tables():
        cols = len(block.header) if block.header else 2
        table = doc.add_table(rows=0, cols=cols)
        table.style = doc.styles["Table Grid"]
        rows = ([block.header] if block.header else []) + block.rows
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=False):
                cell.text = value
    doc.save(str(out))
    return len(document.tables())


def bare_pdf(document: Document, out: Path, font: str) -> int:
    """The same tables with reportlab's own Paragraph cells (CJK wrap) and nothing else."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as RLTable

    cell = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=11.5, wordWrap="CJK")
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    width = A4[0] - 40 * mm
    story = []
    for block in document.tables():
        t: Table = block
        cols = len(t.header) if t.header else 2
        weights = list(t.widths[:cols]) + [1.0] * max(0, cols - len(t.widths))
        widths = [width * w / sum(weights) for w in weights]
        rows = ([t.header] if t.header else []) + t.rows
        body = [[Paragraph(escape(v), cell) for v in row] + [""] * (cols - len(row)) for row in rows]
        if body:
            story.append(RLTable(body, colWidths=widths, repeatRows=1, style=style))
    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        invariant=1,
    )
    doc.build(story)
    return int(doc.page)


def bad_lines(path: Path) -> tuple[int, int]:
    from gradesec.report.official.kinsoku import bad_starts

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    return len(lines), len(bad_starts(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--assets", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from gradesec.report.fonts import find_font
    from gradesec.report.official.docx_out import build_docx
    from gradesec.report.official.pdf_out import build_pdf

    data = level3_data(args.assets)
    data.compliance_rate = 80.0
    inputs = official_inputs(data)
    document = build_document(inputs)
    rows = sum(len(t.rows) for t in document.tables())
    print(
        f"data: {len(data.results)} results, {len(data.issues)} problems, {len(document.tables())} tables, {rows} rows"
    )
    font = find_font()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare_d, _ = timed(lambda: bare_docx(document, folder / "bare.docx"), args.repeat)
        ours_d, _ = timed(
            lambda: build_docx(build_document(official_inputs(data)), folder / "ours.docx"), args.repeat
        )
        print(
            f"DOCX  bare python-docx {bare_d:6.2f} s   gradesec {ours_d:6.2f} s   ratio {ours_d / bare_d:.2f}  (target <= 1.5)"
        )
        bare_p, bare_pages = timed(lambda: bare_pdf(document, folder / "bare.pdf", font.name), args.repeat)
        ours_p, pages = timed(
            lambda: build_pdf(
                build_document(official_inputs(data)), folder / "ours.pdf", invariant=True, font=font
            ),
            args.repeat,
        )
        print(
            f"PDF   bare reportlab   {bare_p:6.2f} s ({bare_pages} pages)   gradesec {ours_p:6.2f} s ({pages} pages)"
            f"   ratio {ours_p / bare_p:.2f}  (target <= 1.5)"
        )
        for name in ("bare.pdf", "ours.pdf"):
            lines, bad = bad_lines(folder / name)
            print(f"kinsoku {name}: {bad} of {lines} lines start with closing punctuation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
