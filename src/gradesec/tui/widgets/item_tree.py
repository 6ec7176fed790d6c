"""Categories → control points → items, each item with a status mark; categories and controls with counts.

Below them, an "assets" branch lists the inspection's assets (name, kind, address, results recorded); choosing
one posts ``AssetPicked`` and the workspace puts the grid's cursor on that asset. Names are cut so that two
assets never read alike (``WorkspaceModel.asset_labels``).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.dom import NoScreen
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from gradesec.i18n import t
from gradesec.textwidth import clip, pad, width
from gradesec.tui.workspace_model import ItemStatus, Query, WorkspaceModel

NodeData = tuple[str, str]  # ("cat" | "ctl" | "item" | "assets" | "asset", id)


class ItemTree(Tree[NodeData]):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-tree--compliant",
        "item-tree--partial",
        "item-tree--noncompliant",
        "item-tree--na",
        "item-tree--todo",
        "item-tree--high",
        "item-tree--disputed",
        "item-tree--count",
        "item-tree--id",
        "item-tree--asset-kind",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "collapse_or_parent", show=False),
        Binding("right", "expand_node", show=False),
    ]

    @dataclass
    class ItemChosen(Message):
        item_id: str

    @dataclass
    class AssetPicked(Message):
        asset_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.model: WorkspaceModel | None = None
        self.query_: Query = Query()
        self.lang = "en"
        self.item_nodes: dict[str, TreeNode[NodeData]] = {}
        self.control_nodes: dict[str, TreeNode[NodeData]] = {}
        self.category_nodes: dict[str, TreeNode[NodeData]] = {}
        self.asset_nodes: dict[str, TreeNode[NodeData]] = {}
        self.assets_node: TreeNode[NodeData] | None = None
        self._members: dict[str, list[str]] = {}  # control id / category code -> visible item ids

    # Building

    def build(self, model: WorkspaceModel, query: Query, lang: str, keep: str | None = None) -> None:
        self.model, self.query_, self.lang = model, query, lang
        expanded = self.assets_node is not None and self.assets_node.is_expanded
        self.clear()
        self.item_nodes, self.control_nodes, self.category_nodes, self._members = {}, {}, {}, {}
        self.asset_nodes = {}
        for item in model.visible(query, lang):
            cat_node = self.category_nodes.get(item.category)
            if cat_node is None:
                cat_node = self.root.add("", data=("cat", item.category), expand=True)
                self.category_nodes[item.category] = cat_node
            ctl_node = self.control_nodes.get(item.control)
            if ctl_node is None:
                ctl_node = cat_node.add("", data=("ctl", item.control), expand=True)
                self.control_nodes[item.control] = ctl_node
            self.item_nodes[item.id] = ctl_node.add_leaf("", data=("item", item.id))
            self._members.setdefault(item.control, []).append(item.id)
            self._members.setdefault(item.category, []).append(item.id)
        self.assets_node = self.root.add("", data=("assets", ""), expand=expanded) if model.assets else None
        for asset in model.assets:
            assert self.assets_node is not None
            self.asset_nodes[asset.id] = self.assets_node.add_leaf("", data=("asset", asset.id))
        self.relabel_all()
        target = self.item_nodes.get(keep or "") or next(iter(self.item_nodes.values()), None)
        if target is not None:
            self._goto(target)

    def relabel_all(self) -> None:
        for code, node in self.category_nodes.items():
            node.set_label(self._group_label(code, "cat"))
        for cid, node in self.control_nodes.items():
            node.set_label(self._group_label(cid, "ctl"))
        for iid, node in self.item_nodes.items():
            node.set_label(self._item_label(iid))
        if self.assets_node is not None:
            self.assets_node.set_label(self._assets_label())
        for aid, node in self.asset_nodes.items():
            node.set_label(self._asset_label(aid))

    def update_item(self, item_id: str) -> None:
        """Redraw one item and the counts of its control and category."""
        node = self.item_nodes.get(item_id)
        if node is None or self.model is None:
            return
        self._relabel_line(node, self._item_label(item_id))
        item = self.model.item_by_id[item_id]
        if item.control in self.control_nodes:
            self._relabel_line(self.control_nodes[item.control], self._group_label(item.control, "ctl"))
        if item.category in self.category_nodes:
            self._relabel_line(self.category_nodes[item.category], self._group_label(item.category, "cat"))

    def update_asset(self, asset_id: str) -> None:
        """Redraw one asset's line (its count of results)."""
        node = self.asset_nodes.get(asset_id)
        if node is not None and self.model is not None:
            self._relabel_line(node, self._asset_label(asset_id))

    def _relabel_line(self, node: TreeNode[NodeData], label: Text) -> None:
        """A new label, repainting only its own line.

        ``TreeNode.set_label`` repaints every line below the node, which for a category is the whole visible
        tree on every recorded result; here only the node's line changes (Textual is pinned, see pyproject).
        """
        if node._label == label:
            return
        node._label = label
        node._updates += 1
        if node._line >= 0:
            self._refresh_line(node._line)

    # Labels

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"item-tree--{name}", partial=True))

    def _mark(self, st: ItemStatus) -> Text:
        if st.total == 0:
            return Text("·", style=self._style("na"))
        if st.done == 0:
            return Text("○", style=self._style("todo"))
        glyph = "●" if st.complete else "◐"
        return Text(glyph, style=self._style(st.worst or "todo"))

    def _item_label(self, item_id: str) -> Text:
        assert self.model is not None
        st = self.model.status(item_id, self.query_.asset_id)
        ri = self.model.resolved.get(item_id)
        wording = ri.text.get(self.lang) if ri is not None else ""
        room = (
            self._room(2, leaf=True) - width(item_id) - 3 - (2 if st.high else 0) - (2 if st.disputed else 0)
        )
        label = Text.assemble(
            self._mark(st), " ", (item_id, self._style("id")), " ", clip(wording, max(room, 1))
        )
        if st.high:
            label.append(" ▲", style=self._style("high"))
        if st.disputed:
            label.append(" ≠", style=self._style("disputed"))
        return label

    def _room(self, depth: int, leaf: bool) -> int:
        """Columns left for a label at ``depth`` (guides take two columns a level, an expander two more)."""
        total = self.size.width - 2 if self.size.width else 60
        return total - depth * 2 - (0 if leaf else 2)

    def _group_label(self, key: str, kind: str) -> Text:
        assert self.model is not None
        done, total = self.model.counts(self._members.get(key, []), self.query_.asset_id)
        name = key
        if kind == "cat" and self.model.catalog is not None:
            category = self.model.catalog.categories.get(key)
            name = f"{key} {category.name.get(self.lang)}" if category else key
        elif kind == "ctl":
            ri = next((self.model.resolved.get(i) for i in self._members.get(key, [])), None)
            name = ri.control.name.get(self.lang) if ri is not None else key
        count = f"{done}/{total}"
        room = self._room(0 if kind == "cat" else 1, leaf=False) - len(count) - 2
        return Text.assemble(clip(name, max(room, 4)), "  ", (count, self._style("count")))

    def _assets_label(self) -> Text:
        assert self.model is not None
        return Text(t("tui.ws.tree_assets", n=len(self.model.assets)))

    def _asset_label(self, asset_id: str) -> Text:
        """``name  address · kind  done/total``: the name first (never two alike), address and kind in the
        room left when it is worth showing."""
        assert self.model is not None
        asset = self.model.asset_by_id[asset_id]
        done, total = self.model.asset_progress(asset_id)
        count = f"{done}/{total}"
        kind = asset.kind
        catalog = self.model.catalog
        if catalog is not None and kind in catalog.object_kinds:
            kind = catalog.object_kinds[kind].name.get(self.lang)
        extra = " · ".join(part for part in (asset.address, kind) if part)
        room = self._room(1, leaf=True) - width(count) - 2
        cols = max(min(max(width(a.name) for a in self.model.assets), room), 4)
        if room >= 40 and room - cols - 2 < 12:  # wide enough for both: keep 12 columns for kind and address
            cols = room - 14
        label = Text(pad(self.model.asset_labels(cols)[asset_id], cols))
        left = room - cols - 2
        if left >= 8:
            label.append("  " + pad(clip(extra, left), left), self._style("asset-kind"))
        label.append("  ")
        label.append(count, self._style("count"))
        return label

    def on_resize(self) -> None:
        if self.model is not None:
            self.relabel_all()

    # Events

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        """Open an item as the cursor lands on it, in the same frame as the cursor's own lines.

        ``ItemChosen`` goes straight into the screen's queue, ahead of this tree's repaint (which reaches the
        screen only when the tree next goes idle): the screen opens the item before it goes idle itself, so the
        moved cursor, the item's text and its grid are drawn in one frame. Posted from ``NodeHighlighted`` (the
        tree's own queue, then bubbling through the containers) the cursor's lines were drawn first, and the
        item then waited for Textual's next refresh tick, 17–33 ms later (see docs/performance.md).
        """
        super().watch_cursor_line(previous_line, line)
        node = self.cursor_node
        if previous_line == line or node is None or node.data is None or node.data[0] != "item":
            return
        with suppress(NoScreen):  # not mounted (yet): nobody to open it
            self.screen.post_message(self.ItemChosen(node.data[1]))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        data = event.node.data
        if data is not None and data[0] == "asset":
            self.post_message(self.AssetPicked(data[1]))

    def select_asset(self, asset_id: str) -> bool:
        """Put the cursor on the asset's line (opening the assets branch)."""
        node = self.asset_nodes.get(asset_id)
        if node is None or self.assets_node is None:
            return False
        self.assets_node.expand()
        self._goto(node)
        return True

    def current_item(self) -> str | None:
        node = self.cursor_node
        if node is not None and node.data is not None and node.data[0] == "item":
            return node.data[1]
        return None

    def select_item(self, item_id: str) -> bool:
        node = self.item_nodes.get(item_id)
        if node is None:
            return False
        self._goto(node)
        return True

    def _goto(self, node: TreeNode[NodeData]) -> None:
        # Nodes just added have no line number until the tree lays its lines out; do that first.
        _ = self._tree_lines
        self.move_cursor(node)

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_expand_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()
