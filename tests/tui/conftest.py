"""Fixtures of the TUI tests: the demo store (built once per worker, copied per test), apps ready to drive."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from gradesec.tui.app import GradesecApp
from gradesec.tui.session import Launch


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (Textual's Pilot is asyncio; no plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


MINI = Path(__file__).parents[1] / "catalog" / "fixtures" / "mini"
DEMO_INSPECTION = "i-demo01"


def build_demo_in(tmp_path_factory: pytest.TempPathFactory, lang: str) -> Path:
    """Build the demo store in ``lang`` under a fresh config folder (the caller's config is restored)."""
    import os

    from gradesec import i18n
    from gradesec.demo import build_demo

    config = tmp_path_factory.mktemp(f"democonfig-{lang}")
    old = os.environ.get("GRADESEC_CONFIG")
    os.environ["GRADESEC_CONFIG"] = str(config)
    try:
        i18n.set_lang(lang)
        root = tmp_path_factory.mktemp(f"demotemplate-{lang}") / "demo"
        build_demo(root, lang=lang)
    finally:
        if old is None:
            os.environ.pop("GRADESEC_CONFIG", None)
        else:
            os.environ["GRADESEC_CONFIG"] = old
    return root


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store in English, built once per test process."""
    return build_demo_in(tmp_path_factory, "en")


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store."""
    dest = tmp_path / "demo"
    shutil.copytree(demo_template, dest)
    return dest


def demo_app(store: Path, *, open_inspection: bool = True, **extra: Any) -> GradesecApp:
    from gradesec.demo import demo_signer

    launch = Launch(
        store_dir=store,
        signer=demo_signer("en"),
        open_inspection=DEMO_INSPECTION if open_inspection else None,
        steady_cursor=True,
        **extra,
    )
    return GradesecApp(launch)


async def wait_for(pilot: Pilot[Any], ready: Callable[[], bool], rounds: int = 1500) -> None:
    """Let the app run until ``ready()`` holds (workers finish, messages arrive)."""
    for _ in range(rounds):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every queued write is stored and its result shown."""
    app = pilot.app
    assert isinstance(app, GradesecApp)
    await wait_for(pilot, lambda: app.writer.idle)
    await pilot.pause()
    await pilot.pause()


def screen_name(app: Any) -> str:
    return type(app.screen).__name__


async def on_screen(pilot: Pilot[Any], name: str, rounds: int = 1500) -> Any:
    """Wait until the screen called ``name`` is on top and mounted; return it."""
    app = pilot.app
    await wait_for(pilot, lambda: screen_name(app) == name and app.screen.is_mounted, rounds)
    await pilot.pause()
    return app.screen


async def open_workspace(pilot: Pilot[Any]) -> Any:
    """Wait for the demo's workspace to be loaded; return the screen."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: screen_name(app) == "WorkspaceScreen" and getattr(app.screen, "model", None) is not None,
    )
    await pilot.pause()
    return app.screen
