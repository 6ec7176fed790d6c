"""The remediation progress report (整改进度报告) as PDF: figures, the score and conclusion before and after each
re-test round, and every item with its owner, deadline and status (overdue items marked).

The data comes from ``gradesec.usecases.remediation.progress_report_data``; this module only lays it out with
reportlab platypus in a font that sets Chinese (``gradesec.report.fonts``), written beside the target and
renamed into place so a failed build never leaves half a report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors

from gradesec.remedy.lifecycle import effective_status, is_overdue
from gradesec.remedy.model import STATUSES
from gradesec.report.fonts import FontInfo, find_font
from gradesec.report.simpledoc import SimpleStory, write_simple_pdf

if TYPE_CHECKING:
    from gradesec.usecases.remediation import ProgressData

LATE_BG = colors.HexColor("#fde2e1")


def _conclusion(s: SimpleStory, side: dict[str, Any]) -> str:
    concl = side.get("conclusion") or {}
    return str(concl.get(s.lang) or concl.get("code") or "-")


def _issues(side: dict[str, Any]) -> str:
    counts = side.get("issues") or {}
    return " / ".join(str(counts.get(r, 0)) for r in ("high", "medium", "low"))


def build_progress_pdf(
    data: ProgressData,
    out_path: Path | str,
    lang: str,
    *,
    invariant: bool = False,
    font: FontInfo | None = None,
) -> int:
    """Write the progress report to ``out_path`` in ``lang``; return the page count."""
    out_path = Path(out_path)
    font = font or find_font()
    s = SimpleStory(font, lang)
    fig = data.figures
    s.flow.append(s.para(s.label("remedy.report.title"), s.title))
    s.flow.append(
        s.para(
            f"{s.label('remedy.report.inspection', id=data.title)} · "
            f"{s.label('remedy.report.as_of', date=data.today)}",
            s.subtitle,
        )
    )
    front = [
        (s.label("official.cover.unit"), data.unit),
        (s.label("official.cover.system"), data.system),
        (s.label("official.progress.number"), data.number or "-"),
    ]
    s.table(["", ""], [list(row) for row in front if row[1]], [0.3, 0.7])
    s.heading("remedy.report.summary")
    s.flow.append(
        s.para(
            s.label("remedy.report.closed_pct", pct=round(fig.closed_ratio * 100))
            + "  ·  "
            + s.label("remedy.report.overdue_n", n=fig.overdue)
        )
    )
    s.table(
        [s.label("remedy.report.by_status"), s.label("remedy.report.count")],
        [[s.label(f"remedy.status.{st}"), str(fig.by_status.get(st, 0))] for st in STATUSES],
        [0.6, 0.4],
    )

    s.heading("remedy.report.before_after")
    if not data.rounds:
        s.flow.append(s.para(s.label("remedy.report.no_round")))
    else:
        first, last = data.rounds[0]["before"], data.rounds[-1]["after"]
        rows = [
            [s.label("remedy.report.score"), str(first.get("score")), str(last.get("score"))],
            [s.label("remedy.report.conclusion"), _conclusion(s, first), _conclusion(s, last)],
            [s.label("remedy.report.issues"), _issues(first), _issues(last)],
        ]
        s.table(["", s.label("remedy.report.before"), s.label("remedy.report.after")], rows, [0.4, 0.3, 0.3])

    s.heading("remedy.report.items")
    rows, marked = [], []
    for n, item in enumerate(data.items):
        status = s.label(f"remedy.status.{effective_status(item, data.today)}")
        if is_overdue(item, data.today):
            status += f" ({s.label('remedy.overdue')})"
            marked.append(n)
        owner = " / ".join(x for x in (item.owner_dept, item.owner_person) if x) or "-"
        rows.append(
            [
                item.id,
                s.label(f"remedy.risk.{item.risk}"),
                item.title(lang),
                data.measures.get(item.id, "") or "-",
                owner,
                item.deadline or "-",
                status,
            ]
        )
    s.table(
        [
            *(s.label(f"remedy.cli.col.{c}") for c in ("id", "risk", "problem")),
            s.label("official.progress.measure"),
            *(s.label(f"remedy.cli.col.{c}") for c in ("owner", "deadline", "status")),
        ],
        rows,
        [0.1, 0.06, 0.26, 0.24, 0.12, 0.1, 0.12],
        [("BACKGROUND", (0, r + 1), (-1, r + 1), LATE_BG) for r in marked],
    )
    return write_simple_pdf(s, out_path, font, title=s.label("remedy.report.title"), invariant=invariant)
