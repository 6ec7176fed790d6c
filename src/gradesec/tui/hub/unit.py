"""A unit's page: its score and parts, then its systems, inspections, problems under remediation and drills."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from gradesec.hub.city import UnitPage, conclusion_label, district_label
from gradesec.hub.evaluation import PARTS
from gradesec.hub.queries import DrillRow
from gradesec.i18n import t
from gradesec.tui.widgets.footer import LocalFooter


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _drill_score(drill: DrillRow) -> str:
    if drill.score is None:
        return "—"
    verdict = t("hubdash.drill.passed" if drill.passed else "hubdash.drill.failed")
    return f"{drill.score:.1f} {verdict}"


def _day(value: str | None) -> str:
    return (value or "—")[:10]


class UnitScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "hubdash.key.back"),
        Binding("backspace", "app.pop_screen", "hubdash.key.back", show=False),
    ]

    def __init__(self, page: UnitPage) -> None:
        super().__init__()
        self.page = page

    def compose(self) -> ComposeResult:
        p = self.page
        u = p.unit
        yield Header()
        with VerticalScroll():
            yield Static(
                t(
                    "hubdash.unit.summary",
                    district=district_label(u.district),
                    code=u.code or "—",
                    score=f"{u.score:.1f}",
                ),
                id="hu-head",
            )
            parts = Static(
                "\n".join(
                    t(
                        "hubdash.line",
                        label=t("hubdash.part." + part),
                        value=f"{u.evaluation.parts[part]:.2f} × {p.policy.weights[part]:g}",
                    )
                    for part in PARTS
                ),
                id="hu-parts",
            )
            parts.border_title = t("hubdash.unit.parts")
            yield parts
            for name in ("systems", "inspections", "problems", "drills"):
                yield Static(t(f"hubdash.unit.{name}"), classes="hu-caption")
                yield DataTable(id=f"hu-{name}", classes="hu-table", cursor_type="row", zebra_stripes=True)
        yield LocalFooter()

    def on_mount(self) -> None:
        p = self.page
        self.title = t("hubdash.title")
        self.sub_title = t("hubdash.unit.title", name=p.unit.name, id=p.unit.id)
        fill(
            self.query_one("#hu-systems", DataTable),
            ("system", "level", "filing", "expires", "conclusion", "score"),
            [
                [
                    s.name,
                    str(s.level),
                    s.filing_no or "—",
                    _day(s.filing_expires),
                    conclusion_label(s.conclusion),
                    _score(s.score),
                ]
                for s in p.systems
            ],
        )
        fill(
            self.query_one("#hu-inspections", DataTable),
            ("inspection", "system", "policy", "status", "opened", "closed", "score", "conclusion"),
            [
                [
                    i.id,
                    i.system_id,
                    i.policy,
                    i.status,
                    _day(i.opened_at),
                    _day(i.closed_at),
                    _score(i.score),
                    conclusion_label(i.conclusion) if i.conclusion else "—",
                ]
                for i in p.inspections
            ],
        )
        fill(
            self.query_one("#hu-problems", DataTable),
            ("item", "risk", "status", "deadline", "source"),
            [
                [
                    r.id,
                    t(f"remedy.risk.{r.risk}"),
                    t(f"remedy.status.{r.status}"),
                    r.deadline or "—",
                    r.inspection_id or r.drill_id or "—",
                ]
                for r in p.remediation
            ],
        )
        fill(
            self.query_one("#hu-drills", DataTable),
            ("drill", "scenario", "opened", "closed", "improvements", "drill_score"),
            [
                [
                    d.id,
                    d.scenario,
                    _day(d.started_at),
                    _day(d.closed_at),
                    str(d.improvements),
                    _drill_score(d),
                ]
                for d in p.drills
            ],
        )


def fill(table: DataTable[str], columns: tuple[str, ...], rows: list[list[str]]) -> None:
    for key in columns:
        table.add_column(t(f"hubdash.col.{key}"), key=key)
    for row in rows:
        table.add_row(*row)
