"""The city at a glance: filters, two panels of figures and every unit with its evaluation score (worst first).

Enter on a unit opens its page (``UnitScreen``). The data comes from a ``CitySource`` (the CLI gives one over
the hub's PostgreSQL); this module only lays out snapshots.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Select, Static

from gradesec.hub.city import CitySnapshot, conclusion_label, district_label
from gradesec.i18n import t
from gradesec.tui.hub.source import CitySource
from gradesec.tui.widgets.footer import LocalFooter

ALL = "*"


def level_lines(snap: CitySnapshot) -> list[str]:
    """One line per level: the count of systems for each conclusion of its latest inspection."""
    levels: dict[int, list[str]] = {}
    for (level, code), n in snap.by_level_and_conclusion().items():
        levels.setdefault(level, []).append(f"{conclusion_label(code)} {n}")
    if not levels:
        return [t("hubdash.none")]
    return [
        t("hubdash.line", label=t("hubdash.panel.level", level=lv), value=" · ".join(parts))
        for lv, parts in sorted(levels.items())
    ]


def work_lines(snap: CitySnapshot) -> list[str]:
    units = snap.units
    expired = sum(u.figures.filings_expired for u in units)
    return [
        t("hubdash.panel.units", units=len(units), systems=len(snap.systems)),
        t("hubdash.fig.graded", n=len(snap.due)),
        t("hubdash.fig.overdue", n=len(snap.overdue_inspections())),
        t("hubdash.fig.due_soon", n=len(snap.due_within(90))),
        t("hubdash.fig.held", n=sum(u.inspections_held for u in units)),
        t("hubdash.fig.expired", n=expired),
        t("hubdash.fig.expiring", n=len(snap.filings) - expired),
        t("hubdash.fig.high_risk", n=sum(u.figures.high_risk for u in units)),
        t("hubdash.fig.overdue_rem", n=snap.overdue_remediation()),
        t("hubdash.fig.drills", n=sum(u.figures.drills for u in units)),
    ]


def unit_cells(snap: CitySnapshot) -> list[tuple[str, list[str]]]:
    """(unit id, row cells) of every unit, lowest score first, then by id."""
    out = []
    for u in sorted(snap.units, key=lambda r: (r.score, r.id)):
        f = u.figures
        inspected = [c for c in f.conclusions if c != "none"]
        full = sum(1 for c in inspected if snap.policy.conclusions.get(c, 0.0) >= 1.0)
        out.append(
            (
                u.id,
                [
                    u.name,
                    district_label(u.district),
                    str(u.systems),
                    str(u.inspections_held),
                    str(f.overdue_inspections),
                    f"{full}/{len(inspected)}",
                    str(f.high_risk),
                    str(f.overdue_remediation),
                    str(f.filings_expired + f.filings_expiring),
                    str(f.drills),
                    f"{u.score:.1f}",
                ],
            )
        )
    return out


UNIT_COLUMNS = (
    "hubdash.col.unit",
    "hubdash.col.district",
    "hubdash.col.systems",
    "hubdash.col.held",
    "hubdash.col.overdue",
    "hubdash.col.conclusions",
    "hubdash.col.high_risk",
    "hubdash.col.overdue_rem",
    "hubdash.col.filings",
    "hubdash.col.drills",
    "hubdash.col.score",
)


class HubDashboardApp(App[None]):
    CSS_PATH = "dashboard.tcss"
    ENABLE_COMMAND_PALETTE = False  # Textual's own commands are English only
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "hubdash.key.quit", id="app.quit", priority=True),
        Binding("q", "quit", "hubdash.key.quit", show=False),
        Binding("r", "reload", "hubdash.key.reload"),
        Binding("f", "focus_filter", "hubdash.key.filter"),
    ]

    def __init__(self, source: CitySource) -> None:
        from gradesec.tui import cjk

        cjk.install()  # keep two-cell characters whole where widgets overlap (see tui/cjk.py)
        super().__init__()
        self.source = source
        self.city: CitySnapshot = source.snapshot()
        self.shown: CitySnapshot = self.city
        self.title = t("hubdash.title")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="hd-filters"):
            yield Select(self._district_options(), id="hd-district", allow_blank=False, value=ALL)
            yield Input(placeholder=t("hubdash.filter.department"), id="hd-department")
        with Horizontal(id="hd-panels"):
            yield Static(id="hd-levels", classes="hd-panel")
            yield Static(id="hd-work", classes="hd-panel")
        yield DataTable(id="hd-units", cursor_type="row", zebra_stripes=True)
        yield LocalFooter()

    def _district_options(self) -> list[tuple[str, str]]:
        return [(t("hubdash.filter.all"), ALL)] + [
            (district_label(d), "d:" + d) for d in self.city.districts()
        ]

    def on_mount(self) -> None:
        table = self.query_one("#hd-units", DataTable)
        for key in UNIT_COLUMNS:
            table.add_column(t(key), key=key)
        self.refilter()
        table.focus()

    def refilter(self) -> None:
        choice = self.query_one("#hd-district", Select).value
        district = str(choice)[2:] if isinstance(choice, str) and choice.startswith("d:") else None
        department = self.query_one("#hd-department", Input).value
        self.shown = self.city.filtered(district=district, department=department)
        self.sub_title = t(
            "hubdash.subtitle", day=self.city.today.isoformat(), policy=Path(self.city.policy.source).name
        )
        levels = self.query_one("#hd-levels", Static)
        levels.border_title = t("hubdash.panel.levels")
        levels.update("\n".join(level_lines(self.shown)))
        work = self.query_one("#hd-work", Static)
        work.border_title = t("hubdash.panel.work")
        work.update("\n".join(work_lines(self.shown)))
        table = self.query_one("#hd-units", DataTable)
        table.clear()
        for unit_id, cells in unit_cells(self.shown):
            table.add_row(*cells, key=unit_id)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refilter()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refilter()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "hd-units" or event.row_key.value is None:
            return
        from gradesec.tui.hub.unit import UnitScreen

        self.push_screen(UnitScreen(self.source.unit_page(self.city, event.row_key.value)))

    def action_reload(self) -> None:
        self.city = self.source.snapshot()
        select = self.query_one("#hd-district", Select)
        current = select.value
        select.set_options(self._district_options())
        options = [v for _, v in self._district_options()]
        select.value = current if current in options else ALL
        self.refilter()

    def action_focus_filter(self) -> None:
        self.query_one("#hd-department", Input).focus()
