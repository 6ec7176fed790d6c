"""The inspection report and the remediation plan as PDF (reportlab platypus).

Both builders are pure: they read a ``ReportData`` and a ``ReportTemplate`` and write one file.

- ``kit``: page geometry, colours, text helpers and the one-pass layout machinery (deferred pages, headings,
  table-of-contents lines, the ``Story`` every text goes through);
- ``common``: the sections both documents share (cover, contents, signatures, integrity) and ``build``;
- ``inspection``: the inspection report's sections and ``build_inspection_pdf``;
- ``plan``: the remediation plan's sections and ``build_plan_pdf``.
"""

from gradesec.report.pdf.inspection import build_inspection_pdf
from gradesec.report.pdf.kit import (
    FRAME_W,
    GRID,
    HEAD_BG,
    HIGH_BG,
    MARGIN,
    PAGE,
    RISK_COLOURS,
    Progress,
    fmt_score,
    fmt_size,
    group4,
    organisation,
    report_number,
    tidy,
)
from gradesec.report.pdf.plan import build_plan_pdf

__all__ = [
    "FRAME_W",
    "GRID",
    "HEAD_BG",
    "HIGH_BG",
    "MARGIN",
    "PAGE",
    "RISK_COLOURS",
    "Progress",
    "build_inspection_pdf",
    "build_plan_pdf",
    "fmt_score",
    "fmt_size",
    "group4",
    "organisation",
    "report_number",
    "tidy",
]
