"""The extension-set tables of the inspection report (安全扩展要求测评结果): one table per set, by control point.

Extension items carry no weight in the 2019 score unless the policy says so, so the report lists them apart from
the general categories: per control point the number of items and the results recorded, and the control point's
score when the chosen policy scored it.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from gradesec.catalog.models import EXTENSIONS
from gradesec.report.data import RESULTS, ReportData
from gradesec.report.pdf.kit import FRAME_W, Story, fmt_score


def extension_results(s: Story, data: ReportData) -> None:
    """Add one heading and table per extension set present in the inspection (nothing when there is none)."""
    items = {i.id: i for i in data.items if i.extension}
    if not items:
        return
    scores = {c.id: c.score for c in data.controls}
    counts: dict[str, dict[str, int]] = {}
    for row in data.results:
        item = items.get(row.item_id)
        if item is None or row.result is None:
            continue
        per = counts.setdefault(item.control, {})
        per[row.result] = per.get(row.result, 0) + 1
    header = [
        s.label("report.col.control"),
        s.label("report.col.items"),
        *(s.label(f"report.result.{r}") for r in RESULTS),
        s.label("report.col.score10"),
    ]
    widths = [FRAME_W - 121 * mm, 15 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm, 18 * mm]
    present = {i.extension for i in items.values()}
    s.add(s.heading(s.label("report.ext.section"), 1))
    for ext in (e for e in EXTENSIONS if e in present):
        name = s.label(f"catalog.ext.name.{ext}")
        s.add(s.heading(name, 1))
        s.add(s.para(s.label("report.ext.intro", name=name)))
        controls: dict[str, tuple[str, str, int]] = {}
        for item in (i for i in items.values() if i.extension == ext):
            category, label, n = controls.get(item.control, (item.category, item.control_name, 0))
            controls[item.control] = (category, label, n + 1)
        rows = [
            [
                s.cell_text(f"{category} {label}"),
                str(n),
                *(str(counts.get(control, {}).get(r, 0)) for r in RESULTS),
                fmt_score(scores.get(control)),
            ]
            for control, (category, label, n) in controls.items()
        ]
        s.add(s.table(header, rows, widths))
