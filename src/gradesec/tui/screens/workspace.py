"""The inspection workspace: walk the items, record results per asset, and watch the score grow.

The screen holds a ``WorkspaceModel`` (headless) and passes it down to its widgets; widgets post messages up.
This module is the layout, the filters and the navigation; the recording keys (every write, through the
app's writer thread, updating the model, the item's row and mark, and the score in place) are in
``screens/workspace_record.py``.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Header, Input, Select

from gradesec.i18n import get_lang, t
from gradesec.tui.screens.base import feature_bindings
from gradesec.tui.screens.workspace_record import RecordingScreen
from gradesec.tui.session import Nav
from gradesec.tui.widgets.asset_filter import AssetFilter
from gradesec.tui.widgets.asset_grid import AssetGrid
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.item_detail import ItemDetail
from gradesec.tui.widgets.item_tree import ItemTree
from gradesec.tui.widgets.repaint import paint_now
from gradesec.tui.widgets.score_panel import ScorePanel
from gradesec.tui.workspace_model import FILTERS, Query, WorkspaceModel

NARROW = 110  # below this width the score panel folds into one line
WIDE = 160  # from this width the tree and the score panel take more room


def load_workspace(ctx: Any, inspection_id: str, policy_id: str | None = None) -> WorkspaceModel:
    """Read one inspection and its live score under ``policy_id`` (default: its own policy; runs in a worker)."""
    from gradesec.usecases.inspections import live_score, load_inspection

    view = load_inspection(ctx, inspection_id)  # reads the catalog too, in this worker
    names = {kid: who.name for kid, who in ctx.store.known_identities().items()}
    if policy_id not in view.inspection.policies:
        policy_id = None
    return WorkspaceModel(view, live_score(ctx, inspection_id, policy_id), ctx.catalog, names)


def freeze_heap() -> None:
    """Leave what is alive now (the catalog, the model, the store's objects) out of the collector's full passes.

    With a level-4 inspection loaded, a full (generation 2) collection walked the whole heap and took 150–200 ms
    on the shared VM, and one came every ~20 item opens: those were the slowest opens (docs/performance.md).
    Frozen objects are skipped; they are unfrozen and collected first, so a model replaced by a reload is freed.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class WorkspaceScreen(RecordingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "record('compliant')", "tui.key.compliant", id="ws.record.compliant"),
        Binding("2", "record('partial')", "tui.key.partial", id="ws.record.partial"),
        Binding("3", "record('noncompliant')", "tui.key.noncompliant", id="ws.record.noncompliant"),
        Binding("4", "record('na')", "tui.key.na", id="ws.record.na"),
        Binding("n", "note", "tui.key.note", id="ws.note"),
        Binding("e", "evidence", "tui.key.evidence", id="ws.evidence"),
        Binding("r", "risk", "tui.key.risk", id="ws.risk"),
        Binding("d", "resolve", "tui.key.resolve", id="ws.resolve", show=False),
        Binding("m", "method", "tui.key.method", id="ws.method", show=False),
        Binding("u", "next_unanswered", "tui.key.next_unanswered", id="ws.next_unanswered"),
        Binding("ctrl+z", "undo", "tui.key.undo", id="ws.undo"),
        Binding("U", "next_unrated", "tui.key.next_unrated", id="ws.next_unrated", show=False),
        Binding("i", "problems", "tui.key.problems", id="ws.problems", show=False),
        Binding("delete,backspace", "retract", "tui.key.retract", id="ws.retract", show=False),
        Binding("h", "history", "tui.key.history", id="ws.history", show=False),
        Binding("x", "export", "tui.key.export", id="ws.export", show=False),
        Binding("w", "import_workbook", "workbook.tui.key", id="ws.import_workbook", show=False),
        Binding("right_square_bracket", "asset(1)", "tui.key.next_asset", id="ws.asset.next", show=False),
        Binding("left_square_bracket", "asset(-1)", "tui.key.prev_asset", id="ws.asset.prev", show=False),
        Binding("slash", "search", "tui.key.search", id="ws.search", show=False),
        Binding("f", "cycle_filter", "tui.key.filter", id="ws.filter", show=False),
        Binding("a", "asset_filter", "tui.key.asset_filter", id="ws.asset_filter", show=False),
        Binding("p", "cycle_policy", "tui.key.policy", id="ws.policy", show=False),
        Binding("t", "team", "team.tui.key.team", id="ws.team", show=False),
        Binding("s", "toggle_score", "tui.key.score", id="ws.score", show=False),
        Binding("escape", "back", "tui.key.back", id="ws.back", show=False),
        *feature_bindings(show=False),
    ]

    # What the footer keeps at 80 columns (after help and quit): recording, the next pair, risk, note.
    FOOTER_FIRST = (
        "record('compliant')",
        "record('partial')",
        "record('noncompliant')",
        "record('na')",
        "next_unanswered",
        "risk",
        "note",
        "evidence",
        "undo",
    )
    # Last in the footer, where the width leaves room for it whole: who may write this inspection (``t``).
    FOOTER_ALSO = ("team",)

    @dataclass
    class Loaded(Message):
        model: WorkspaceModel

    def __init__(self, inspection_id: str) -> None:
        super().__init__(inspection_id)
        self.query_state = Query()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="ws-filters"):
            yield Input(placeholder=t("tui.ws.search"), id="ws-search", compact=True)
            yield Select(self._mode_options(), value="all", allow_blank=False, id="ws-mode", compact=True)
            yield AssetFilter(t("tui.ws.all_assets"), id="ws-asset")
        with Horizontal(id="ws-main"):
            yield ItemTree(id="ws-tree")
            with Vertical(id="ws-center"):
                yield ItemDetail(id="ws-detail")
                yield AssetGrid(id="ws-grid")
            yield ScorePanel(id="ws-score")
        yield ScorePanel(id="ws-score-line", compact=True)
        yield LocalFooter()

    def _mode_options(self) -> list[tuple[str, str]]:
        return [(t(f"tui.filter.{mode}"), mode) for mode in FILTERS]

    def on_mount(self) -> None:
        self.title = "gradesec"
        self.sub_title = t("tui.boot.opening")
        self.query_one(ItemTree).focus()
        self._load()

    def on_resize(self) -> None:
        width = self.app.size.width
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")
        self.query_one(AssetFilter).fit()

    def on_screen_resume(self) -> None:
        self.on_resize()

    def action_import_workbook(self) -> None:
        """Import a record workbook into this inspection (screens/workbook_import.py)."""
        from gradesec.tui.screens.workbook_import import WorkbookImport

        WorkbookImport(self, self.inspection_id, lambda: self._load()).start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ws-load")
    def _load(self) -> None:
        chosen = self.session.policies.get(self.inspection_id)
        self.post_message(self.Loaded(load_workspace(self.ctx, self.inspection_id, chosen)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.model = event.model
        self.session.catalog = event.model.catalog
        view = event.model.view
        self.sub_title = self._subtitle()
        self.query_one(AssetFilter).set_assets([(a.name, a.id) for a in view.assets])
        self.rebuild()
        self.show_score()
        self.call_after_refresh(freeze_heap)
        if not event.model.is_open:
            self.notify(t("tui.ws.closed_notice"), severity="warning")

    def _subtitle(self) -> str:
        if self.model is None:
            return ""
        view = self.model.view
        title = view.inspection.title or view.inspection.id
        return f"{view.system.name} · {t('tui.level', level=view.inspection.level)} · {title}"

    # Showing

    def rebuild(self) -> None:
        if self.model is None:
            return
        tree = self.query_one(ItemTree)
        tree.build(self.model, self.query_state, get_lang(), keep=self.item_id)
        if not tree.item_nodes:
            self.item_id = None
            self.show_item(None)

    def show_item(self, item_id: str | None, keep_asset: str | None = None) -> None:
        if self.model is None:
            return
        self.item_id = item_id
        lang = get_lang()
        detail, grid = self.query_one(ItemDetail), self.query_one(AssetGrid)
        detail.show_item(self.model, item_id, lang)  # scrolls itself to the top
        grid.show_item(self.model, item_id, lang, keep_asset or self.query_state.asset_id)
        paint_now(detail, grid)  # in the same frame as the tree's cursor (widgets/repaint.py)

    @on(ItemTree.ItemChosen)
    def _item_chosen(self, event: ItemTree.ItemChosen) -> None:
        if event.item_id != self.item_id:
            self.sticky = None
            self.show_item(event.item_id)

    @on(ItemTree.AssetPicked)
    def _asset_picked(self, event: ItemTree.AssetPicked) -> None:
        """An asset chosen in the tree: its row in the grid, on the item shown if it applies there, else on
        its next item without a result (else its first item)."""
        if self.model is None:
            return
        asset_id = event.asset_id
        order = list(self.query_one(ItemTree).item_nodes)
        if asset_id in self.model.applies.get(self.item_id or "", []):
            target: tuple[str, str] | None = (self.item_id or "", asset_id)
        else:
            target = self.model.next_unanswered(self.item_id, None, order, asset_id) or next(
                ((iid, asset_id) for iid in order if asset_id in self.model.applies.get(iid, [])), None
            )
        if target is None:
            name = self.model.asset_by_id[asset_id].name
            self.notify(t("tui.ws.asset_not_assessed", asset=name), severity="warning")
            return
        self._go_to(*target)
        self.query_one(AssetGrid).focus()

    @on(AssetGrid.AssetChosen)
    def _asset_chosen(self, event: AssetGrid.AssetChosen) -> None:
        # The cursor moved: by itself after recording (onto the landing row), else on purpose.
        if self.sticky is not None and (self.item_id, event.asset_id) != (self.sticky[0], self.sticky[2]):
            self.sticky = None

    # Filters

    @on(Input.Changed, "#ws-search")
    def _search(self, event: Input.Changed) -> None:
        self.query_state.text = event.value
        self.rebuild()

    @on(Input.Submitted, "#ws-search")
    def _search_done(self) -> None:
        self.query_one(ItemTree).focus()

    @on(Select.Changed, "#ws-mode")
    def _mode(self, event: Select.Changed) -> None:
        if event.value in FILTERS:
            self.query_state.mode = event.value  # type: ignore[assignment]
            self.rebuild()

    @on(Select.Changed, "#ws-asset")
    def _asset(self, event: Select.Changed) -> None:
        self.query_state.asset_id = None if event.value is Select.NULL else str(event.value)
        self.rebuild()
        self.show_item(self.item_id)

    def action_search(self) -> None:
        self.query_one("#ws-search", Input).focus()

    def action_cycle_filter(self) -> None:
        select = self.query_one("#ws-mode", Select)
        current = FILTERS.index(self.query_state.mode)
        select.value = FILTERS[(current + 1) % len(FILTERS)]

    def action_asset_filter(self) -> None:
        select = self.query_one("#ws-asset", Select)
        select.focus()
        select.action_show_overlay()

    # Where the user is

    def nav(self) -> Nav:
        system = self.model.view.system.id if self.model else None
        unit = self.model.view.system.unit_id if self.model else None
        return Nav(self.session, unit, system, self.inspection_id)

    def export_name(self) -> str | None:
        return self._subtitle() or None

    def action_asset(self, step: int) -> None:
        grid = self.query_one(AssetGrid)
        if grid.row_count:
            grid.move_cursor(row=max(0, min(grid.row_count - 1, grid.cursor_row + step)), animate=False)

    def action_next_unanswered(self) -> None:
        if self.model is None:
            return
        tree = self.query_one(ItemTree)
        order = list(tree.item_nodes)
        item_id, asset_id = self.current()
        # Just after recording the cursor sits on a row it moved to by itself: that row counts as next.
        here = self.sticky is not None and (item_id, asset_id) == (self.sticky[0], self.sticky[2])
        found = self.model.next_unanswered(
            item_id, asset_id, order, self.query_state.asset_id, include_current=here
        )
        self.sticky = None
        if found is None:
            self.notify(t("tui.ws.all_answered"))
            return
        self._go_to(*found)

    def action_team(self) -> None:
        """Who may write this inspection's results (screens/team_dialog.py)."""
        from gradesec.tui.screens.team_dialog import open_team_dialog

        open_team_dialog(self)

    def action_problems(self) -> None:
        """Every open problem of the inspection on one page; Enter goes to the chosen one."""
        if self.model is None:
            return
        from gradesec.tui.screens.problems import ProblemsScreen

        def chosen(pair: tuple[str, str] | None) -> None:
            if pair is not None:
                self._go_to(*pair)

        self.app.push_screen(ProblemsScreen(self.model, list(self.query_one(ItemTree).item_nodes)), chosen)

    def _go_to(self, item_id: str, asset_id: str) -> None:
        """Show ``item_id`` with the cursor on ``asset_id`` (clearing the filters if they hide the item)."""
        self.sticky = None
        tree = self.query_one(ItemTree)
        if item_id not in tree.item_nodes:  # hidden by a filter: show everything again
            self.query_one("#ws-mode", Select).value = "all"
            self.query_one("#ws-search", Input).value = ""
            self.query_state = Query()
            self.rebuild()
        if item_id != self.item_id:
            self.show_item(item_id, keep_asset=asset_id)
            tree.select_item(item_id)
        else:
            self.query_one(AssetGrid).select_asset(asset_id)

    def action_next_unrated(self) -> None:
        """The next issue that still needs its risk rated (r rates it)."""
        if self.model is None:
            return
        tree = self.query_one(ItemTree)
        item_id, asset_id = self.current()
        found = self.model.next_unrated(item_id, asset_id, list(tree.item_nodes))
        self.sticky = None
        if found is None:
            self.notify(t("tui.ws.all_rated"))
            return
        self._go_to(*found)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input | Select):
            self.query_one(ItemTree).focus()
            return
        self.dismiss(None)

    def action_toggle_score(self) -> None:
        self.toggle_class("-score-hidden" if self.app.size.width >= NARROW else "-score-shown")

    def action_cycle_policy(self) -> None:
        if self.model is None:
            return
        ids = self.model.policy_ids()
        if len(ids) < 2:
            return
        nxt = ids[(ids.index(self.model.policy_id) + 1) % len(ids)]
        self.model.set_policy(nxt)
        self.session.policies[self.inspection_id] = nxt  # home scores with the same policy
        self.show_score()
        title = self.model.inspection.policies[nxt].title
        self.notify(t("tui.ws.policy_now", policy=title.get(get_lang()) or nxt))

    # Language

    def relabel(self) -> None:
        self.sub_title = self._subtitle()
        self.query_one("#ws-search", Input).placeholder = t("tui.ws.search")
        mode = self.query_one("#ws-mode", Select)
        with self.prevent(Select.Changed):
            mode.set_options(self._mode_options())
            mode.value = self.query_state.mode
            mode.mutate_reactive(Select.value)  # type: ignore[misc]  # same value: redraw it in the new language
        self.query_one("#ws-asset", Select).prompt = t("tui.ws.all_assets")
        if self.model is not None:
            self.rebuild()
            self.show_item(self.item_id, self.query_one(AssetGrid).current_asset())
            self.show_score()
