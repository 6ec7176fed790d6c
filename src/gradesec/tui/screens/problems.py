"""All open problems of an inspection on one page: every issue (partial or non-compliant result) with its risk,
whether it is rated, the item and the asset. Enter jumps to it in the workspace; ``U`` to the next unrated."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from gradesec.i18n import get_lang, t
from gradesec.textwidth import clip
from gradesec.tui.widgets.text import TLabel

if TYPE_CHECKING:
    from gradesec.tui.workspace_model import WorkspaceModel

RISK_ORDER = {"high": 0, "medium": 1, "low": 2, None: 3}


class ProblemsScreen(ModalScreen[tuple[str, str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "tui.key.back", id="problems.back"),
        Binding("U", "next_unrated", "tui.key.next_unrated", id="problems.next_unrated"),
    ]

    def __init__(self, model: WorkspaceModel, order: list[str]) -> None:
        super().__init__()
        self.model = model
        self.order = order
        self.rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="problems-box"):
            yield TLabel("tui.problems.title", classes="dialog-title")
            yield Label("", id="problems-summary", markup=False)
            yield DataTable(id="problems-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        model, lang = self.model, get_lang()
        position = {iid: n for n, iid in enumerate(self.order)}
        issues = sorted(
            model.issues.values(),
            key=lambda i: (RISK_ORDER.get(i.effective, 3), position.get(i.item_id, 10**6), i.asset_id),
        )
        table = self.query_one(DataTable)
        table.add_columns(
            t("tui.grid.risk"), t("tui.problems.rated"), t("tui.grid.result"), t("tui.problems.item"),
            t("tui.grid.asset"),
        )  # fmt: skip
        for issue in issues:
            ri = model.resolved.get(issue.item_id)
            wording = clip(ri.text.get(lang).replace("\n", " "), 48) if ri is not None else ""
            asset = model.asset_by_id.get(issue.asset_id)
            table.add_row(
                t(f"tui.risk.{issue.effective}") if issue.effective else "-",
                t("word.yes") if issue.risk is not None else t("tui.problems.unrated"),
                t(f"tui.result.{issue.result}"),
                f"{issue.item_id} {wording}",
                asset.name if asset is not None else issue.asset_id,
            )
            self.rows.append((issue.item_id, issue.asset_id))
        unrated = sum(1 for i in issues if i.risk is None)
        self.query_one("#problems-summary", Label).update(
            t("tui.problems.summary", n=len(issues), unrated=unrated)
        )
        table.focus()

    @on(DataTable.RowSelected, "#problems-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.rows[event.cursor_row] if self.rows else None)

    def action_next_unrated(self) -> None:
        table = self.query_one(DataTable)
        n = len(self.rows)
        for step in range(1, n + 1):
            row = (table.cursor_row + step) % n
            issue = self.model.issues.get(self.rows[row])
            if issue is not None and issue.risk is None:
                table.move_cursor(row=row, animate=False)
                return
        self.notify(t("tui.ws.all_rated"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
