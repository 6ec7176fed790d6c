"""CJK text keeps every character in every kind of widget we use, drawn over other widgets' edges.

Each case draws one widget kind with Chinese text on a layer above a row of narrow bordered boxes (so the
compositor has a cut every three cells, and some cut falls inside a two-cell character), then checks the text
three ways: the composed screen, a terminal fed the full update, and the same terminal fed a partial update
that starts inside the text (the path Textual takes on most key presses).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Select,
    Static,
    TextArea,
    Tree,
)
from textual.widgets._toast import Toast

from gradesec.tui import cjk
from tests.tui.terminal_model import TerminalModel

TEXT = "报告编号 GS-2026-0001 · 一般损害"
ODD = "x严重损害严重损害严重损害"  # starts one cell later than TEXT, so other cuts fall inside characters
SIZE = (80, 16)


def _table() -> Widget:
    table: DataTable[str] = DataTable()
    table.add_columns("名称", "结果")
    table.add_row(TEXT, ODD)
    return table


def _tree() -> Widget:
    tree: Tree[None] = Tree(TEXT)
    tree.root.add_leaf(ODD)
    tree.root.expand()
    return tree


def _options() -> Widget:
    return OptionList(TEXT, ODD)


FACTORIES: dict[str, Callable[[], Widget]] = {
    "label": lambda: Label(f"{TEXT}\n{ODD}"),
    "static": lambda: Static(f"{TEXT}\n{ODD}", markup=False),
    "button": lambda: Button(TEXT),
    "input": lambda: Input(value=TEXT),
    "datatable": _table,
    "tree": _tree,
    "optionlist": _options,
    "textarea": lambda: TextArea(f"{TEXT}\n{ODD}"),
}


class Boxes(App[None]):
    """Narrow boxes underneath; the widget under test on a layer above them."""

    CSS = """
    Screen { layers: base top; }
    #boxes { layer: base; height: 1fr; }
    .box { width: 3; height: 1fr; border: solid red; }
    #above { layer: top; dock: top; height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "noop", "评估结论一般损害", show=True)]

    def __init__(self, make: Callable[[], Widget] | None = None) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        with Horizontal(id="boxes"):
            for _ in range(27):
                yield Static("", classes="box")
        if self.make is not None:
            widget = self.make()
            widget.id = "above"
            yield widget

    def action_noop(self) -> None:
        pass


def _screen_text(app: App[Any]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def _terminal(app: App[Any], partial: Region) -> tuple[str, str]:
    """The terminal after a full update, and after a partial update of ``partial`` on top of it."""
    compositor = app.screen._compositor
    term = TerminalModel(*compositor.size)
    full = compositor.render_full_update()
    term.feed(full.render_segments(app.console))
    after_full = term.text()
    compositor._dirty_regions.add(partial)
    update = compositor.render_partial_update()
    assert update is not None
    term.feed(update.render_segments(app.console))
    return after_full, term.text()


def _assert_whole(text: str, *expected: str) -> None:
    for part in expected:
        assert part in text, f"{part!r} lost in:\n{text}"


async def _check(app: App[Any], *expected: str, region: Region | None = None) -> None:
    _assert_whole(_screen_text(app), *expected)
    full, partial = _terminal(app, region or Region(5, 0, 30, SIZE[1]))
    _assert_whole(full, *expected)
    _assert_whole(partial, *expected)


@pytest.fixture(autouse=True)
def _patched() -> None:
    assert cjk.install()


@pytest.mark.parametrize("kind", sorted(FACTORIES))
async def test_widget_keeps_cjk_text_over_other_widgets(kind: str) -> None:
    app = Boxes(FACTORIES[kind])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = [TEXT] if kind in ("button", "input") else [TEXT, ODD]
        await _check(app, *expected)


async def test_select_drop_down_keeps_cjk_text() -> None:
    def make() -> Widget:
        return Select([(TEXT, 1), (ODD, 2)], prompt="选择一项")

    app = Boxes(make)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(Select).expanded
        await _check(app, TEXT, ODD)


async def test_toast_keeps_cjk_text() -> None:
    app = Boxes()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify(f"{TEXT}，{ODD}", title="已生成报告", timeout=30)
        for _ in range(20):
            await pilot.pause(0.05)
            if app.screen.query(Toast):
                break
        toast = app.screen.query_one(Toast)
        assert toast.region.width > 0
        # A toast wraps its text; every character must survive, wherever the line breaks.
        lines = _screen_text(app).splitlines()
        shown = "".join(line[toast.region.x :].strip(" ▌▐▎▊│") for line in lines)
        for ch in f"{TEXT}{ODD}".replace(" ", ""):
            assert ch in shown, f"{ch!r} lost in toast:\n" + "\n".join(lines)
        full, partial = _terminal(app, toast.region)
        assert _squash(full, toast.region) == _squash(_screen_text(app), toast.region)
        assert _squash(partial, toast.region) == _squash(_screen_text(app), toast.region)


def _squash(text: str, region: Region) -> str:
    return "".join(text.splitlines()[region.y : region.bottom]).replace(" ", "")


async def test_footer_keeps_cjk_descriptions() -> None:
    class WithFooter(Boxes):
        def compose(self) -> ComposeResult:
            yield from super().compose()
            yield Footer()

    app = WithFooter()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        await _check(app, "评估结论一般损害", region=footer.region)


async def test_progress_bar_label_row_keeps_cjk_text() -> None:
    class WithBar(Boxes):
        def compose(self) -> ComposeResult:
            yield from super().compose()
            with Horizontal(id="above"):
                yield Label(TEXT)
                yield ProgressBar(total=10)

    app = WithBar()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _check(app, TEXT)


async def test_without_the_patch_the_cut_splits_characters() -> None:
    """The cause, shown: Textual's own compositor drops the characters that straddle a cut."""
    from textual._compositor import Compositor

    app = Boxes(lambda: Label(ODD))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        patched = Compositor._render_chops
        try:
            Compositor._render_chops = cjk.ORIGINAL_RENDER_CHOPS  # type: ignore[method-assign]
            app.screen._compositor._cuts = None
            assert ODD not in _screen_text(app)
        finally:
            Compositor._render_chops = patched  # type: ignore[method-assign]
        assert ODD in _screen_text(app)
