"""The inspection team dialog (``t`` in the workspace): listed with verified identities, saved with real keys as a
signed ``inspection.team_set``, refused for someone who is neither the creator nor a lead; zh shows no English."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from textual.widgets import Checkbox

from gradesec import i18n
from gradesec.demo import demo_signer
from gradesec.journal import Signer, Store
from gradesec.tui.app import GradesecApp
from gradesec.tui.session import Launch
from gradesec.usecases.context import open_context
from gradesec.usecases.inspection_team import team_view
from tests.tui.conftest import (
    DEMO_INSPECTION,
    build_demo_in,
    demo_app,
    on_screen,
    open_workspace,
    settle,
    wait_for,
)
from tests.tui.test_zh_strings import data_words, foreign_words, shown


def _signer(name: str, role: str) -> Signer:
    return Signer.from_seed(hashlib.sha256(name.encode()).digest(), name, role, "Second Lab")


SECOND = _signer("Inspector Second", "inspector")
OFFICER = _signer("Officer Olive", "officer")


def _trust_others(store: Path, lang: str = "en") -> None:
    with Store.open(store) as s:
        owner = demo_signer(lang)
        for other in (SECOND, OFFICER):
            s.trust(owner, other.public_bytes, other.identity)


def _team(store: Path) -> Any:
    with open_context(store) as ctx:
        return team_view(ctx, DEMO_INSPECTION)


async def _open_dialog(pilot: Any) -> Any:
    await open_workspace(pilot)
    await pilot.press("t")
    return await on_screen(pilot, "TeamDialog")


async def test_the_creator_checks_a_colleague_and_saves(demo_store: Path) -> None:
    _trust_others(demo_store)
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        dialog = await _open_dialog(pilot)
        boxes = list(dialog.query(Checkbox))
        labels = [str(b.label) for b in boxes]
        assert len(boxes) == 2 and "(creator)" in labels[0] and boxes[0].disabled and boxes[0].value
        assert (
            "Inspector Second · Inspector · " in labels[1]
            and labels[1].endswith("Second Lab")
            and not boxes[1].value
        )
        assert not any("Olive" in label for label in labels)  # an officer writes no results
        await pilot.press("space")  # the first free box has the focus
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: any("Team saved: 2" in n.message for n in app._notifications))
    team = _team(demo_store)
    assert team.declared and team.key_ids == {demo_signer("en").key_id, SECOND.key_id}


async def test_escape_writes_nothing(demo_store: Path) -> None:
    _trust_others(demo_store)
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_dialog(pilot)
        await pilot.press("space", "escape")
        await on_screen(pilot, "WorkspaceScreen")
        await settle(pilot)
    assert not _team(demo_store).declared


async def test_someone_not_allowed_is_refused_with_the_reason(demo_store: Path) -> None:
    _trust_others(demo_store)
    app = GradesecApp(
        Launch(store_dir=demo_store, signer=SECOND, open_inspection=DEMO_INSPECTION, steady_cursor=True)
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open_dialog(pilot)
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        await wait_for(
            pilot,
            lambda: any(
                "Only the inspection's creator or a lead" in str(n.title) for n in app._notifications
            ),
        )
    assert not _team(demo_store).declared


async def test_the_dialog_in_chinese_has_no_english(tmp_path_factory: Any) -> None:
    store = build_demo_in(tmp_path_factory, "zh")
    _trust_others(store, "zh")
    allowed = data_words(store) | {
        "Inspector",
        "Second",
        "Officer",
        "Olive",
        "Lab",
    }  # the trusted keys' names
    i18n.set_lang("zh")
    try:
        app = demo_app(store)
        async with app.run_test(size=(160, 50)) as pilot:
            await _open_dialog(pilot)
            await pilot.pause(0.2)
            text = shown(app)
            assert "测评组" in text and "创建者" in text
            assert not foreign_words(text, allowed)
    finally:
        i18n.set_lang("en")
