"""Home: units → systems → inspections, with level, progress, score and conclusion; create them here.

The tree, the detail panel and opening an inspection are here; creating, correcting and closing are
``home_writes.HomeWrites``, which the screen extends. What the tree and panel show is ``home_view``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static, Tree
from textual.widgets.tree import TreeNode

from gradesec.i18n import t
from gradesec.tui.messages import StoreChanged
from gradesec.tui.screens.base import feature_bindings
from gradesec.tui.screens.home_view import (
    HomeData,
    inspection_detail,
    inspection_label,
    load_home,
    system_detail,
    system_label,
    unit_detail,
    unit_label,
)
from gradesec.tui.screens.home_writes import HomeWrites
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter

if TYPE_CHECKING:
    from gradesec.assess.model import Inspection, System, Unit

NodeData = tuple[str, str]  # ("unit" | "system" | "inspection", id)
STORE_ACTIONS = ("open", "close_inspection", "open_feature", "export")  # need the store open


class HomeTree(Tree[NodeData]):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"home-tree--muted", "home-tree--good", "home-tree--bad"}


class HomeScreen(HomeWrites):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "new_unit", "tui.key.new_unit", id="home.new_unit"),
        Binding("s", "new_system", "tui.key.new_system", id="home.new_system"),
        Binding("a", "new_asset", "tui.key.new_asset", id="home.new_asset"),
        Binding("i", "new_inspection", "tui.key.new_inspection", id="home.new_inspection"),
        Binding("o", "open", "tui.key.open", id="home.open"),
        Binding("c", "close_inspection", "tui.key.close_inspection", id="home.close_inspection", show=False),
        Binding("e", "edit", "tui.key.edit", id="home.edit", show=False),
        Binding("x", "export", "tui.key.export", id="home.export", show=False),
        *feature_bindings(),
    ]
    # Importing a bundle (``B``, an officer's first step) is in the footer after the keys that create and open,
    # where the width leaves room for it whole (widgets/footer.py).
    FOOTER_FIRST = ("new_unit", "new_system", "new_asset", "new_inspection", "open", "open_feature('import')")
    FOOTER_ALSO = ("open_feature('import')",)

    @dataclass
    class Loaded(Message):
        data: HomeData

    def __init__(self) -> None:
        super().__init__()
        self.data = HomeData()
        self.selected: NodeData | None = None
        self._want: str | None = None
        self.loaded = False  # until the first listing arrives, the panel says it is loading (not "no units")

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="home"):
            yield HomeTree(t("tui.home.root"), id="home-tree")
            with VerticalScroll(id="home-detail"):
                yield Static("", id="home-info")
        yield LocalFooter()

    def on_mount(self) -> None:
        self.query_one(HomeTree).show_root = False
        self.query_one(HomeTree).guide_depth = 3
        self.query_one(HomeTree).focus()
        self.relabel_titles()
        self.query_one("#home-info", Static).update(t("tui.boot.opening"))
        if self.session.ready:
            self.started()
        else:
            # After the first frame: the start-up worker imports the journal, and a thread importing
            # modules holds the interpreter lock that drawing needs.
            self.call_after_refresh(self.start)

    def started(self) -> None:
        self.reload()
        self.with_catalog(lambda _catalog: self.show_detail())

    def start_failed(self) -> None:
        self.query_one("#home-info", Static).update(t("tui.boot.failed"))

    def relabel_titles(self) -> None:
        self.title = "gradesec"
        self.sub_title = t("tui.home.subtitle", store=self.session.store_dir.name)

    def reload(self, select: str | None = None) -> None:
        self._want = select or (self.selected[1] if self.selected else None)
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-load")
    def _load(self) -> None:
        self.post_message(self.Loaded(load_home(self.ctx, dict(self.session.policies))))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.data = event.data
        self.loaded = True
        self.build_tree()

    def on_screen_resume(self) -> None:
        if self.session.ready:
            self.reload()

    @on(StoreChanged)
    def _store_changed(self, event: StoreChanged) -> None:
        self.reload(event.id)

    # The tree

    def build_tree(self) -> None:
        tree = self.query_one(HomeTree)
        tree.clear()
        want = self._want
        target: TreeNode[NodeData] | None = None
        for unit in self.data.units:
            unit_node = tree.root.add(
                unit_label(self.data, unit, self._style), data=("unit", unit.id), expand=True
            )
            target = unit_node if unit.id == want else target
            for system in self.data.systems.get(unit.id, []):
                sys_node = unit_node.add(
                    system_label(self.data, system, self._style), data=("system", system.id), expand=True
                )
                target = sys_node if system.id == want else target
                for insp in self.data.inspections.get(system.id, []):
                    node = sys_node.add_leaf(
                        inspection_label(self.data, insp, self._style), data=("inspection", insp.id)
                    )
                    target = node if insp.id == want else target
        if not self.data.units and self.loaded:
            self.query_one("#home-info", Static).update(self._welcome())
        if target is None:
            target = self._first_inspection(tree)
        if target is not None:
            _ = tree._tree_lines
            tree.move_cursor(target)
        self.show_detail()

    def _first_inspection(self, tree: HomeTree) -> TreeNode[NodeData] | None:
        stack = list(tree.root.children)
        first: TreeNode[NodeData] | None = stack[0] if stack else None
        while stack:
            node = stack.pop(0)
            if node.data is not None and node.data[0] == "inspection":
                return node
            stack[0:0] = list(node.children)
        return first

    def _style(self, name: str) -> str:
        return str(self.query_one(HomeTree).get_component_rich_style(f"home-tree--{name}", partial=True))

    def _welcome(self) -> Text:
        return Text(t("tui.home.welcome"))

    # The detail panel

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        self.selected = event.node.data
        self.show_detail()
        self.refresh_bindings()

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        if event.node.data is not None and event.node.data[0] == "inspection":
            self.action_open()

    def _find(self) -> tuple[Unit | None, System | None, Inspection | None]:
        if self.selected is None:
            return None, None, None
        kind, key = self.selected
        units = {u.id: u for u in self.data.units}
        systems = {s.id: s for group in self.data.systems.values() for s in group}
        insps = {i.id: i for group in self.data.inspections.values() for i in group}
        if kind == "inspection" and key in insps:
            insp = insps[key]
            system = systems.get(insp.system_id)
            return (units.get(system.unit_id) if system else None), system, insp
        if kind == "system" and key in systems:
            return units.get(systems[key].unit_id), systems[key], None
        if kind == "unit":
            return units.get(key), None, None
        return None, None, None

    def show_detail(self) -> None:
        info = self.query_one("#home-info", Static)
        if not self.loaded:
            info.update(t("tui.home.loading"))
            return
        if not self.data.units:
            info.update(self._welcome())
            return
        unit, system, insp = self._find()
        out = Text()
        if insp is not None and system is not None:
            inspection_detail(out, insp, system, self.data.scores.get(insp.id), self._style)
        elif system is not None:
            assets = self.data.assets.get(system.id, [])
            system_detail(out, system, assets, self.session.catalog, self._style)
        elif unit is not None:
            unit_detail(out, unit)
        info.update(out)

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_store = action.startswith("new_") or action in STORE_ACTIONS
        if needs_store and not self.session.ready:
            return None
        unit, system, insp = self._find()
        if action in ("new_system",):
            return True if unit is not None else None
        if action in ("new_asset", "new_inspection"):
            return True if system is not None else None
        if action in ("open", "close_inspection", "export"):
            return True if insp is not None else None
        if action == "edit":
            return True if self.selected is not None and self.selected[0] in ("unit", "system") else None
        return True

    def nav(self) -> Nav:
        unit, system, insp = self._find()
        return Nav(
            self.session,
            unit.id if unit else None,
            system.id if system else None,
            insp.id if insp else None,
        )

    def export_name(self) -> str | None:
        _unit, system, insp = self._find()
        if insp is None:
            return None
        title = insp.title or insp.id
        return f"{system.name} · {title}" if system is not None else title

    def action_open(self) -> None:
        _unit, _system, insp = self._find()
        if insp is None:
            return
        from gradesec.tui.screens.workspace import WorkspaceScreen

        self.app.push_screen(WorkspaceScreen(insp.id))

    def relabel(self) -> None:
        self.relabel_titles()
        self.build_tree()
