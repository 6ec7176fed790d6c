"""The remediation board: items by status, owner, risk and deadline, filters (overdue, mine, high risk),
progress figures, and an edit form (action, note, evidence) for the selected item.

Reading goes through ``gradesec.usecases.remediation``; every change is one signed event written on the app's
writer thread, after which the board reloads from the store, so what it shows is what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Static

from gradesec.i18n import get_lang, t
from gradesec.tui.screens.form import Field, FormModal
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.text import TLabel

FILTERS = ("all", "overdue", "mine", "high")
SORTS = ("deadline", "risk", "status")
RISK_ORDER = {"high": 0, "medium": 1, "low": 2}
UNIT_ACTIONS = ("note", "assign", "start", "fix", "accept")
RETEST_ACTIONS = ("verified", "partial", "not_fixed")


class RemedyScreen(Screen[None]):
    """The remediation board of the selected inspection (or of the whole store)."""

    CSS_PATH = "remedy.tcss"
    AUTO_FOCUS = "#remedy-items"  # the keys act on the board; / moves to the search box
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back", id="remedy.back"),
        Binding("a", "filter('all')", "remedy.tui.filter.all", id="remedy.all"),
        Binding("o", "filter('overdue')", "remedy.tui.filter.overdue", id="remedy.overdue"),
        Binding("m", "filter('mine')", "remedy.tui.filter.mine", id="remedy.mine"),
        Binding("h", "filter('high')", "remedy.tui.filter.high", id="remedy.high"),
        Binding("e", "edit", "remedy.tui.edit", id="remedy.edit"),
        Binding("s", "cycle_sort", "remedy.tui.key.sort", id="remedy.sort"),
        Binding("slash", "search", "tui.key.search", id="remedy.search"),
        Binding("x", "export", "officer.board.key.export", id="remedy.export"),
    ]

    def __init__(self, nav: Nav) -> None:
        super().__init__()
        self.nav = nav
        self.filter = "all"
        self.sort = "deadline"
        self.search = ""
        self.rows: list[str] = []
        self.items: list[Any] = []  # the rows' items, as shown (what the export writes)
        self.exported = ""  # the last file written by the export (tests read it)
        self.last_warning = ""  # the last deadline warning shown (tests read it)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="remedy-board"):
            yield Label("", id="remedy-figures", markup=False)
            yield Input(placeholder=t("remedy.tui.search"), id="remedy-search", compact=True)
            yield DataTable(id="remedy-items", cursor_type="row", zebra_stripes=True)
            yield TLabel("remedy.cli.show.log", classes="section-title")
            yield Static("", id="remedy-detail", markup=False)
        yield LocalFooter()

    @property
    def ctx(self) -> Any:
        return self.nav.session.ctx

    def on_mount(self) -> None:
        self.sub_title = t("remedy.tui.title")
        self.reload()

    # Reading

    def reload(self) -> None:
        from gradesec.remedy.lifecycle import effective_status, is_overdue
        from gradesec.usecases import remediation as uc

        if self.ctx is None:
            self.query_one("#remedy-figures", Label).update(t("remedy.tui.no_store"))
            return
        today = uc.today_of(self.ctx)
        me = self.nav.session.signer.name if self.nav.session.signer is not None else None
        filters = uc.Filters(
            inspection=self.nav.inspection_id,
            overdue=self.filter == "overdue",
            mine=me if self.filter == "mine" else None,
            high=self.filter == "high",
        )
        items = sort_items(uc.list_items(self.ctx, filters, today), self.sort, today)
        needle = self.search.strip().lower()
        if needle:
            lang = get_lang()
            items = [i for i in items if needle in _haystack(i, lang)]
        fig = uc.progress(self.ctx, self.nav.inspection_id, today)
        label = t(
            "remedy.cli.figures",
            total=fig.total,
            closed=fig.closed,
            pct=round(fig.closed_ratio * 100),
            overdue=fig.overdue,
            high=fig.high_open,
        )
        order = t("remedy.tui.sorted", by=t(f"remedy.tui.sort.{self.sort}"))
        self.query_one("#remedy-figures", Label).update(
            f"[{t(f'remedy.tui.filter.{self.filter}')}] {label}  · {order}"
        )
        table = self.query_one("#remedy-items", DataTable)
        keep = self._selected()  # the cursor stays on the same item after an update
        table.clear(columns=True)
        table.add_columns(
            t("remedy.cli.col.id"),
            t("remedy.cli.col.risk"),
            t("remedy.cli.col.status"),
            t("remedy.tui.col.dept"),
            t("remedy.tui.col.person"),
            t("remedy.cli.col.deadline"),
            t("remedy.cli.col.problem"),
        )
        lang = get_lang()
        self.rows = []
        self.items = list(items)
        for item in items:
            status = t(f"remedy.status.{effective_status(item, today)}")
            if is_overdue(item, today):
                status = f"!! {status} ({t('remedy.overdue')})"
            table.add_row(
                item.id,
                t(f"remedy.risk.{item.risk}"),
                status,
                item.owner_dept or "-",
                item.owner_person or "-",
                item.deadline or "-",
                item.title(lang)[:60],
            )
            self.rows.append(item.id)
        if keep in self.rows:
            table.move_cursor(row=self.rows.index(keep), animate=False)
        self._show_detail()

    def _selected(self) -> str | None:
        table = self.query_one("#remedy-items", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#remedy-items")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        from gradesec.localtime import local_time
        from gradesec.usecases import remediation as uc

        item_id = self._selected()
        detail = self.query_one("#remedy-detail", Static)
        if item_id is None:
            detail.update(t("remedy.cli.empty"))
            return
        item = uc.get_item(self.ctx, item_id)
        lines = [item.title(get_lang())]
        if item.measure:
            lines.append(f"{t('word.label', label=t('remedy.cli.show.measure'))}{item.measure}")
        for e in item.log:
            mark = "" if e.applied else f" [{t('remedy.conflict')}]"
            lines.append(f"{local_time(e.at)}  {t(f'remedy.action.{e.action}')}{mark}  {e.note}")
        detail.update("\n".join(lines))

    # Actions

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#remedy-items", DataTable).focus()
            return
        self.app.pop_screen()

    def action_filter(self, name: str) -> None:
        if name in FILTERS:
            self.filter = name
            self.reload()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_search(self) -> None:
        self.query_one("#remedy-search", Input).focus()

    @on(Input.Changed, "#remedy-search")
    def _searched(self, event: Input.Changed) -> None:
        self.search = event.value
        self.reload()

    @on(Input.Submitted, "#remedy-search")
    def _search_done(self) -> None:
        self.query_one("#remedy-items", DataTable).focus()

    def action_edit(self) -> None:
        from gradesec.remedy.lifecycle import may
        from gradesec.usecases import remediation as uc

        item_id = self._selected()
        if item_id is None or self.nav.session.signer is None:
            return
        role = self.nav.session.signer.role
        item = uc.get_item(self.ctx, item_id)
        choices = [(t(f"remedy.action.{a}"), a) for a in UNIT_ACTIONS if may(role, a)]  # type: ignore[arg-type]
        if item.inspection_id is not None and may(role, "verify"):
            choices += [(t("remedy.retest.note", outcome=a), a) for a in RETEST_ACTIONS]
        if not choices:
            return

        def options() -> list[tuple[str, str]]:
            return choices

        first = choices[0][1]
        fields = [
            Field("action", "remedy.tui.action", kind="select", options=options, required=True, value=first),
            Field("note", "remedy.cli.opt.note", kind="area"),
            Field("person", "remedy.cli.col.owner"),
            Field("deadline", "remedy.cli.col.deadline", placeholder="remedy.error.bad_date.hint"),
            Field("evidence", "remedy.tui.evidence"),
        ]
        inspection = item.inspection_id
        self.app.push_screen(
            FormModal("remedy.tui.edit", fields), lambda v: self._save(item_id, inspection, v)
        )

    def _save(self, item_id: str, inspection: str | None, values: dict[str, str] | None) -> None:
        if not values:
            return
        from gradesec.usecases import remediation as uc

        ctx = self.ctx
        action = values["action"]
        evidence = tuple(p for p in [values.get("evidence", "").strip()] if p)
        note = values.get("note", "")
        work: Callable[[], Any]
        if action in RETEST_ACTIONS and inspection is not None:
            entry = uc.RetestInput(item_id, action, note, evidence)

            def work() -> Any:
                return uc.retest(ctx, inspection, [entry])
        else:
            person = values.get("person", "").strip() or None
            deadline = values.get("deadline", "").strip() or None
            change = uc.Change(action, note, evidence, owner_person=person, deadline=deadline)  # type: ignore[arg-type]

            def work() -> Any:
                item = uc.update_item(ctx, item_id, change)
                # A deadline past the profile's limit for the risk is kept, with a warning.
                return uc.deadline_warning(ctx, item_id, item.deadline) if deadline else None

        def done(warning: Any) -> None:
            self.notify(t("remedy.tui.saved", id=item_id))
            if isinstance(warning, str):
                self.notify(warning, severity="warning", timeout=10, markup=False)
                self.last_warning = warning
            self.reload()

        self.app.writer.submit(self, work, done)  # type: ignore[attr-defined]

    def action_export(self) -> None:
        """Write the board as shown (its filter, order and search) to a PDF or XLSX file."""
        if self.ctx is None:
            return
        from gradesec.tui.screens.doc_export import DocExportForm

        stem = f"gradesec-board-{self.nav.inspection_id or 'all'}"
        self.app.push_screen(DocExportForm("officer.board.export_title", stem), self._export)

    def _export(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        from gradesec.localtime import local_time
        from gradesec.report.board import BoardView, build_board_pdf, build_board_xlsx
        from gradesec.usecases import remediation as uc

        ctx, fmt, lang, path = self.ctx, values["fmt"], values["lang"], values["path"]
        scope = self.nav.inspection_id or t("officer.board.all_inspections", lang=lang)
        view = BoardView(
            tuple(self.items),
            uc.today_of(ctx),
            scope,
            self.filter,
            self.sort,
            self.search,
            local_time(ctx.clock()),
        )

        def work() -> Any:
            try:
                if fmt == "xlsx":
                    return build_board_xlsx(view, path, lang)
                return build_board_pdf(view, path, lang)
            except OSError as exc:
                from gradesec.errors import GradesecError

                raise GradesecError(
                    t("tui.export.write_failed", path=path, detail=exc.strerror or str(exc)),
                    t("tui.export.write_failed.hint"),
                ) from exc

        def done(_n: Any) -> None:
            self.exported = path
            self.notify(t("officer.board.exported", path=path, n=len(view.items)), markup=False, timeout=10)

        self.app.writer.submit(self, work, done)  # type: ignore[attr-defined]


def sort_items(items: list[Any], by: str, today: str) -> list[Any]:
    """Deadline (soonest first, none last), risk (high first) or status (as the lifecycle orders them)."""
    from gradesec.remedy.lifecycle import effective_status

    if by == "risk":
        return sorted(items, key=lambda i: (RISK_ORDER.get(i.risk, 9), i.deadline or "9999", i.id))
    if by == "status":
        return sorted(items, key=lambda i: (effective_status(i, today), i.deadline or "9999", i.id))
    return sorted(items, key=lambda i: (i.deadline or "9999-99-99", RISK_ORDER.get(i.risk, 9), i.id))


def _haystack(item: Any, lang: str) -> str:
    parts = [item.id, item.title(lang), item.owner_dept or "", item.owner_person or "", item.measure or ""]
    return " ".join(parts).lower()
