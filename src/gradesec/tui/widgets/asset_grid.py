"""The assets the selected item applies to, one row each, with the current result, risk, note and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from gradesec.i18n import t
from gradesec.textwidth import clip
from gradesec.tui.workspace_model import WorkspaceModel

COLUMNS = ("asset", "kind", "result", "risk", "note", "evidence")


class AssetGrid(DataTable[Text | str]):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "asset-grid--compliant",
        "asset-grid--partial",
        "asset-grid--noncompliant",
        "asset-grid--na",
        "asset-grid--todo",
        "asset-grid--high",
        "asset-grid--disputed",
    }

    @dataclass
    class AssetChosen(Message):
        asset_id: str | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.widths: dict[str, int] = {}
        self.model: WorkspaceModel | None = None
        self.item_id: str | None = None
        self.lang = "en"

    def on_mount(self) -> None:
        self._columns()

    def _widths(self) -> dict[str, int]:
        """Column widths for the current size: the note takes what the fixed columns leave."""
        total = max(self.size.width - 2, 40) if self.size.width else 80
        asset = max(14, min(30, total * 3 // 10))
        fixed = {"asset": asset, "kind": 9, "result": 10, "risk": 7, "evidence": 3}
        note = max(total - sum(fixed.values()) - 2 * len(COLUMNS), 6)
        return {**fixed, "note": note}

    def _columns(self) -> None:
        self.widths = self._widths()
        for key in COLUMNS:
            self.add_column(t(f"tui.grid.{key}"), key=key, width=self.widths[key])

    def on_resize(self) -> None:
        if self._widths() != getattr(self, "widths", None):
            self.relabel()

    def show_item(
        self, model: WorkspaceModel, item_id: str | None, lang: str, keep: str | None = None
    ) -> None:
        ids = model.applies.get(item_id, []) if item_id is not None else []
        same_rows = model is self.model and lang == self.lang and [k.value for k in self.rows] == ids
        self.model, self.item_id, self.lang = model, item_id, lang
        if same_rows and ids:
            # Consecutive items usually apply to the same assets: change the cells, keep the rows.
            for asset_id in ids:
                self.update_asset(asset_id)
        else:
            self.clear()
            if item_id is None:
                return
            self.add_rows_keyed(ids)
        if keep is not None and keep in ids:
            self.move_cursor(row=ids.index(keep), animate=False)
        else:
            self.move_cursor(row=0, animate=False)

    def add_rows_keyed(self, ids: list[str]) -> None:
        for asset_id in ids:
            self.add_row(*self._cells(asset_id), key=asset_id)

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"asset-grid--{name}", partial=True))

    def _cells(self, asset_id: str) -> list[Text | str]:
        assert self.model is not None and self.item_id is not None
        asset = self.model.asset_by_id[asset_id]
        finding = self.model.findings.get((self.item_id, asset_id))
        issue = self.model.issues.get((self.item_id, asset_id))
        kind = asset.kind
        if self.model.catalog is not None and kind in self.model.catalog.object_kinds:
            kind = self.model.catalog.object_kinds[kind].name.get(self.lang)
        if (self.item_id, asset_id) in self.model.disputes:
            result = Text(t("tui.result.disputed"), style=self._style("disputed"))
        elif finding is None:
            result = Text(t("tui.result.none"), style=self._style("todo"))
        else:
            result = Text(t(f"tui.result.{finding.result}"), style=self._style(finding.result))
        risk: Text | str = ""
        if issue is not None and issue.effective is not None:
            risk = Text(
                t(f"tui.risk.{issue.effective}"),
                style=self._style("high") if issue.effective == "high" else "",
            )
            if issue.risk is None:
                risk.append("?")
        w = self.widths
        note = (
            clip((finding.note or finding.na_reason).replace("\n", " "), w["note"])
            if finding is not None
            else ""
        )
        evidence = str(len(finding.evidence)) if finding is not None and finding.evidence else ""
        name = self.model.asset_labels(w["asset"])[asset_id]  # never two alike (cut in the middle)
        return [name, clip(kind, w["kind"]), result, risk, note, evidence]

    def update_asset(self, asset_id: str) -> None:
        if self.model is None or self.item_id is None:
            return
        if asset_id not in self.rows:
            return
        current = self.get_row(asset_id)
        for key, old, value in zip(COLUMNS, current, self._cells(asset_id), strict=True):
            if old != value:
                self.update_cell(asset_id, key, value)

    def current_asset(self) -> str | None:
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    def select_asset(self, asset_id: str) -> None:
        if asset_id in self.rows:
            self.move_cursor(row=self.get_row_index(asset_id), animate=False)

    def next_row(self) -> None:
        if self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1, animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.AssetChosen(str(event.row_key.value) if event.row_key.value else None))

    def relabel(self) -> None:
        from gradesec.i18n import get_lang

        self.lang = get_lang()
        keep = self.current_asset()
        self.clear(columns=True)
        self._columns()
        if self.model is not None:
            self.show_item(self.model, self.item_id, self.lang, keep)
