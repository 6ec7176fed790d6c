"""Home: units → systems → inspections, with level, progress, score and conclusion; create them here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

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
from gradesec.tui.screens.base import MainScreen, feature_bindings
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
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter

if TYPE_CHECKING:
    from gradesec.assess.model import Inspection, System, Unit

NodeData = tuple[str, str]  # ("unit" | "system" | "inspection", id)
STORE_ACTIONS = ("open", "close_inspection", "open_feature", "export")  # need the store open


class HomeTree(Tree[NodeData]):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"home-tree--muted", "home-tree--good", "home-tree--bad"}


class HomeScreen(MainScreen):
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

    def _create_from(
        self, form: Any, write: Callable[[dict[str, str]], Any], created: Callable[[Any], None]
    ) -> None:
        """Show ``form``; when it is submitted, run ``write(values)`` as a signed write, then ``created``."""

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.submit(lambda: write(values), created)

        self.app.push_screen(form, done)

    def action_new_unit(self) -> None:
        from gradesec.tui.screens.create import unit_form
        from gradesec.usecases.inspections import add_unit

        ctx = self.ctx
        self._create_from(
            unit_form(),
            lambda v: add_unit(ctx, v["name"], code=v["code"], region=v["region"], contact=v["contact"]),
            lambda unit: self._created("tui.created.unit", unit.name, unit.id),
        )

    def action_new_system(self) -> None:
        unit, _system, _insp = self._find()
        if unit is None:
            return
        from gradesec.tui.screens.create import SystemForm
        from gradesec.usecases.inspections import add_system

        ctx, unit_id = self.ctx, unit.id

        def write(values: dict[str, str]) -> System:
            graded = bool(values["business"] and values["service"])
            return add_system(
                ctx,
                unit_id,
                values["name"],
                level=None if graded else int(values["level"] or 0) or None,
                business=values["business"] or None if graded else None,
                service=values["service"] or None if graded else None,
                filing_no=values["filing_no"],
                conditions=[
                    c for c in ("business_continuity", "critical_industry") if values.get(c) == "yes"
                ],
            )

        self._create_from(
            SystemForm(unit.name),
            write,
            lambda system: self._created("tui.created.system", system.name, system.id),
        )

    def action_new_asset(self) -> None:
        _unit, system, _insp = self._find()
        if system is None:
            return
        from gradesec.tui.screens.create import asset_form
        from gradesec.usecases.inspections import add_asset

        ctx, system_id, name = self.ctx, system.id, system.name
        self.with_catalog(
            lambda catalog: self._create_from(
                asset_form(catalog, name),
                lambda v: add_asset(
                    ctx, system_id, v["kind"], v["name"], address=v["address"], role=v["role"]
                ),
                lambda asset: self._created("tui.created.asset", asset.name, system_id),
            )
        )

    def action_new_inspection(self) -> None:
        _unit, system, _insp = self._find()
        if system is None:
            return
        from gradesec.tui.screens.create import InspectionForm, composed_profile
        from gradesec.usecases.inspections import new_inspection

        ctx, system_id = self.ctx, system.id
        self.with_catalog(
            lambda catalog: self._create_from(
                InspectionForm(catalog, system),
                lambda v: new_inspection(  # as `inspection new` does: with the category objects
                    ctx,
                    system_id,
                    composed_profile(v),
                    policy_id=v["policy"] or None,
                    title=v["title"],
                    category_objects=True,
                ),
                lambda insp: self._created("tui.created.inspection", insp.title or insp.id, insp.id),
            )
        )

    def action_close_inspection(self) -> None:
        """Closing is final: show what is still open, ask, then close and plan the remediation."""
        _unit, _system, insp = self._find()
        if insp is None or not insp.is_open:
            return
        from gradesec.usecases.closing import close_summary

        ctx, insp_id = self.ctx, insp.id
        # Through the writer: the summary counts every write queued before it.
        self.submit(lambda: close_summary(ctx, insp_id), self._confirm_close)

    def _confirm_close(self, summary: Any) -> None:
        from gradesec.tui.screens.confirm import ConfirmModal, close_lines
        from gradesec.usecases.remediation import close_and_plan

        if not summary.is_open:
            return
        ctx, insp_id, name = self.ctx, summary.inspection_id, summary.title

        def answered(yes: bool | None) -> None:
            if yes:
                # Closing hands the issues over to remediation tracking, as on the command line.
                self.submit(
                    lambda: close_and_plan(ctx, insp_id),
                    lambda planned: self._created("tui.created.closed", name, insp_id),
                )

        self.app.push_screen(
            ConfirmModal(
                "tui.confirm.close.title",
                close_lines(summary),
                "tui.confirm.close.button",
                warn=not summary.clean,
                name=name,
            ),
            answered,
        )

    def action_edit(self) -> None:
        """Correct the selected unit or system (a signed ``unit.updated`` / ``system.updated`` event)."""
        unit, system, _insp = self._find()
        if self.selected is None:
            return
        from gradesec.tui.screens.create import system_edit_form, unit_edit_form
        from gradesec.usecases.corrections import update_system, update_unit

        ctx = self.ctx
        if self.selected[0] == "unit" and unit is not None:
            unit_id = unit.id
            self._create_from(
                unit_edit_form(unit),
                lambda v: update_unit(ctx, unit_id, **v),
                lambda u: self._created("tui.edited", u.name, u.id),
            )
        elif self.selected[0] == "system" and system is not None:
            system_id = system.id
            self._create_from(
                system_edit_form(system),
                lambda v: update_system(ctx, system_id, **v),
                lambda s: self._created("tui.edited", s.name, s.id),
            )

    def _created(self, key: str, name: str, select: str) -> None:
        self.notify(t(key, name=name))
        self.reload(select)

    def relabel(self) -> None:
        self.relabel_titles()
        self.build_tree()
