"""Every screen in Chinese shows no English words of ours: a walk through the screens with the language set to
zh, failing on any ASCII-only word that is not data (names, addresses, ids), a key name or a format name."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from gradesec import i18n
from tests.tui.conftest import demo_app, on_screen, open_workspace, settle, wait_for

WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Dotted ids (binding ids in the help, file names), paths and ids with digits are technical, not words.
TECHNICAL = re.compile(r"\S*[./\\]\S*|\S*\d\S*")
ALLOWED = {
    # key names and the language switch's own label
    "esc", "Esc", "Ctrl", "ctrl", "Enter", "enter", "Tab", "tab", "del", "space", "English",
    # formats, standards, product and technical names
    "PDF", "XLSX", "GB", "MLPS", "IP", "DDoS", "gradesec", "mlps",
}  # fmt: skip


def foreign_words(text: str, data_words: set[str]) -> set[str]:
    text = TECHNICAL.sub(" ", text)
    out = set()
    for word in WORD.findall(text):
        if word in ALLOWED or word in data_words or word.isupper():
            continue
        out.add(word)
    return out


@pytest.fixture(scope="module")
def zh_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gradesec.demo import build_demo

    config = tmp_path_factory.mktemp("zhconfig")
    old = os.environ.get("GRADESEC_CONFIG")
    os.environ["GRADESEC_CONFIG"] = str(config)
    try:
        i18n.set_lang("zh")
        root = tmp_path_factory.mktemp("zhdemo") / "demo"
        build_demo(root, lang="zh")
    finally:
        if old is None:
            os.environ.pop("GRADESEC_CONFIG", None)
        else:
            os.environ["GRADESEC_CONFIG"] = old
    return root


def data_words(store: Path) -> set[str]:
    """Words that come from the store (names, addresses, scenario ids), not from our messages."""
    from gradesec.usecases import drills
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.context import open_context

    texts: list[str] = []
    with open_context(store) as ctx:
        for unit in uc.list_units(ctx):
            texts += [unit.name, unit.code, unit.region, unit.contact]
        for system in uc.list_systems(ctx):
            texts += [system.name, system.filing_no, system.description]
        for asset in uc.list_assets(ctx):
            texts += [asset.name, asset.address, asset.role, asset.notes]
        for insp in uc.list_inspections(ctx):
            texts += [insp.title, insp.profile_id, insp.policy_id]
            view = uc.load_inspection(ctx, insp.id)
            texts += [f.note + " " + f.na_reason for f in view.findings.values()]
        texts += [s.id for s in drills.scenarios(ctx.catalog)]
        texts += [v.name + " " + v.org for v in ctx.store.known_identities().values()]
    texts.append(store.name)  # the home screen's subtitle names the store folder
    return set(WORD.findall(" ".join(texts)))


def shown(app: Any) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_every_screen_in_chinese_has_no_english_words(zh_demo: Path, tmp_path: Path) -> None:
    allowed = data_words(zh_demo)
    i18n.set_lang("zh")
    found: dict[str, set[str]] = {}
    app = demo_app(zh_demo)
    async with app.run_test(size=(160, 50)) as pilot:

        async def look(name: str) -> None:
            await pilot.pause(0.2)
            words = foreign_words(shown(app), allowed)
            if words:
                found[name] = words

        async def visit(keys: tuple[str, ...], screen: str, name: str) -> None:
            await pilot.press(*keys)
            await on_screen(pilot, screen)
            await look(name)
            await pilot.press("escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ != screen)

        ws = await open_workspace(pilot)
        await look("workspace")
        await visit(("f1",), "HelpScreen", "help")
        await visit(("ctrl+p",), "CommandPalette", "palette")
        await visit(("x",), "ExportScreen", "export")
        await pilot.press("u", "3")
        await settle(pilot)
        await visit(("n",), "FormModal", "note")
        await visit(("r",), "RiskForm", "risk")
        await visit(("e",), "EvidenceForm", "evidence")
        await visit(("m",), "FormModal", "method")
        await visit(("delete",), "ConfirmModal", "retract")
        await visit(("4",), "FormModal", "n/a reason")
        await visit(("h",), "HistoryScreen", "history")
        ws.query_one("#ws-asset").focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        await look("asset drop-down")
        await pilot.press("escape")
        await pilot.press("escape", "escape")
        await on_screen(pilot, "HomeScreen")
        await look("home")
        await visit(("c",), "ConfirmModal", "close")
        await visit(("u",), "FormModal", "unit form")
        await visit(("i",), "InspectionForm", "inspection form")
        await visit(("V",), "VerifyScreen", "verify")
        await visit(("D",), "DrillScreen", "drill")
        await visit(("R",), "RemedyScreen", "remediation board")
        await pilot.press("up")
        await visit(("s",), "SystemForm", "system form")
        await visit(("e",), "FormModal", "edit")
    assert not found, "; ".join(f"{name}: {sorted(words)}" for name, words in found.items())


def test_the_walk_would_catch_english() -> None:
    assert foreign_words("测评项 Select 全部 All", set()) == {"Select", "All"}
    assert foreign_words("按 Esc 返回 · ws.record.compliant · PES-01-a · MySQL", {"MySQL"}) == set()
