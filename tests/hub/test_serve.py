"""``gradesec hub dashboard --serve`` opened in a real headless Chromium: the dashboard's text and a screenshot.

textual-serve draws the app with xterm.js on a canvas, so the page's DOM holds no text. The test reads the
terminal's own buffer through xterm's public API (``buffer.active.getLine(y).translateToString()``): textual.js
keeps its ``Terminal`` in a private object, which an init script catches the moment that object sets its
``fitAddon`` (a one-shot setter on ``Object.prototype``, removed as soon as it fires). Nothing served is changed.
If textual.js stops doing that, the wait fails with the page's state; the test never skips for it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gradesec
from tests.hub.city import City
from tests.hub.dash_city import Dora

CHROMIUM = "/usr/bin/chromium"
COMMAND = [sys.executable, "-m", "gradesec", "--lang", "en", "hub", "dashboard", "--serve"]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATCH_TERMINAL = """
(() => {
  window.__gsTerms = [];
  Object.defineProperty(Object.prototype, "fitAddon", {
    configurable: true,
    set(value) {
      if (this && this.terminal && this.terminal.buffer) window.__gsTerms.push(this.terminal);
      delete Object.prototype.fitAddon;
      Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true, enumerable: true});
    },
  });
})();
"""
SCREEN_TEXT = """
() => {
  const term = (window.__gsTerms || [])[0];
  if (!term) return null;
  const buf = term.buffer.active, lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(city_hub: str, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """``gradesec hub dashboard --serve`` on a free port, running this checkout's sources; stopped afterwards."""
    port = _free_port()
    src = str(Path(gradesec.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    env.pop("GRADESEC_HUB", None)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*COMMAND, "--port", str(port), "--today", "2026-12-20", "--db", city_hub],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(600):  # a ceiling for the server to listen, not a timing
            if proc.poll() is not None:
                pytest.fail(f"the server stopped: {log.read_text(errors='replace')}")
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def screen(page: Any) -> str:
    return str(page.evaluate(SCREEN_TEXT) or "")


def wait_text(page: Any, *needles: str, absent: str | None = None) -> str:
    js = (
        "([needles, absent]) => { const f = " + SCREEN_TEXT + "; const s = f();"
        " return !!s && needles.every(n => s.includes(n)) && (!absent || !s.includes(absent)); }"
    )
    try:
        page.wait_for_function(js, arg=[list(needles), absent], timeout=120_000)
    except Exception:
        pytest.fail(f"the page never showed {needles!r}; it showed:\n{screen(page)}")
    return screen(page)


def test_the_served_dashboard_in_headless_chromium(
    served: tuple[int, Path], city: City, dora: Dora, tmp_path: Path
) -> None:
    # ./run installs chromium for the tests: a missing browser is a failed set-up, not a reason to skip
    assert Path(CHROMIUM).exists() or shutil.which("chromium"), "chromium is missing: run ./run setup full"
    from playwright.sync_api import sync_playwright

    port, log = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.add_init_script(CATCH_TERMINAL)
            page.goto(f"http://localhost:{port}/", wait_until="domcontentloaded")
            text = wait_text(page, "The city at a glance", "East Health Bureau", "62.0")
            assert "Evaluation day 2026-12-20" in text
            assert "Inspections overdue: 3" in text and "Drills this year: 1" in text
            assert [line.split()[-1] for line in text.splitlines() if "Test Unit" in line] == [
                "50.0",
                "62.0",
            ]
            page.screenshot(path=str(tmp_path / "dashboard.png"))
            # Keys typed into the page reach the app: filter on "ehb", then open the unit.
            page.click(".xterm-screen")
            page.focus(".xterm-helper-textarea")
            page.keyboard.press("f")
            # The filter has the focus once the footer drops the letter keys an input would swallow.
            wait_text(page, "Quit", absent="Reload")
            page.keyboard.type("ehb")
            text = wait_text(page, "East Health Bureau", absent="Test Unit")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            text = wait_text(page, "Clinic portal", "Patient registry", f"({dora.unit})")
            page.screenshot(path=str(tmp_path / "unit.png"))
        finally:
            browser.close()
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
    assert (tmp_path / "unit.png").stat().st_size > 10_000
    assert "Traceback" not in log.read_text(errors="replace")
