"""A real terminal: ``gradesec demo`` in tmux; a result recorded by keystrokes, the inspection closed (after
the confirmation), the report exported; then the store checked with the CLI and the PDF read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

GRADESEC = Path(sys.executable).with_name("gradesec")


def _tmux(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=False)


def _screen(socket: str) -> str:
    return _tmux(socket, "capture-pane", "-p", "-t", "demo").stdout


def _wait(socket: str, ready: str, rounds: int = 300) -> str:
    text = ""
    for _ in range(rounds):
        text = _screen(socket)
        if ready in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{ready!r} never appeared; the screen shows:\n{text}")


def _wait_gone(socket: str, text: str, rounds: int = 300) -> None:
    for _ in range(rounds):
        if text not in _screen(socket):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never went away")


def _findings(store: Path, env: dict[str, str]) -> dict[tuple[str, str], str]:
    out = subprocess.run(
        [str(GRADESEC), "--store", str(store), "--json", "finding", "list", "-i", "i-demo01"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return {(f["item"], f["asset"]): f["result"] for f in json.loads(out.stdout)}


@pytest.mark.slow
def test_demo_in_tmux_records_a_result_by_keystrokes(tmp_path: Path) -> None:
    store = tmp_path / "demo"
    env = {
        **os.environ,
        "GRADESEC_CONFIG": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),  # the export dialog proposes ~/gradesec-….pdf
        "GRADESEC_LANG": "en",
        "TERM": "xterm-256color",
    }
    # A test process may carry COLUMNS/LINES (Textual reads them before the real terminal size).
    for name in ("GRADESEC_STORE", "COLUMNS", "LINES"):
        env.pop(name, None)
    (tmp_path / "home").mkdir()
    subprocess.run(
        [str(GRADESEC), "demo", "--store", str(store), "--no-tui"], env=env, check=True, capture_output=True
    )
    before = _findings(store, env)
    socket = f"gradesec-test-{os.getpid()}"
    command = f"{GRADESEC} demo --store {store}"
    started = subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "demo", "-x", "120", "-y", "40", command],
        env=env,
        check=False,
    )
    assert started.returncode == 0
    # Without an attached client some tmux versions fall back to 80×24; pin the size.
    _tmux(socket, "resize-window", "-t", "demo", "-x", "120", "-y", "40")
    try:
        _wait(socket, "2026 annual assessment")
        _wait(socket, "Progress 380/772")
        _tmux(socket, "send-keys", "-t", "demo", "u")
        time.sleep(0.3)
        _tmux(socket, "send-keys", "-t", "demo", "3")
        _wait(socket, "Progress 381/772")
        # Back home, close the inspection: first the summary and the question; Enter alone cancels.
        _tmux(socket, "send-keys", "-t", "demo", "Escape")
        _wait(socket, "New unit")
        _tmux(socket, "send-keys", "-t", "demo", "c")
        screen = _wait(socket, "Close the inspection")
        assert "391 of 772 item×asset pairs still have no result" in screen
        _tmux(socket, "send-keys", "-t", "demo", "Enter")
        _wait_gone(socket, "Close the inspection")
        _tmux(socket, "send-keys", "-t", "demo", "c")
        _wait(socket, "Close the inspection")
        _tmux(socket, "send-keys", "-t", "demo", "y")
        _wait(socket, "Status: closed", rounds=600)
        # Export the report from home (x): the proposed file in ~, exported in a worker.
        _tmux(socket, "send-keys", "-t", "demo", "x")
        _wait(socket, "Save as")
        _tmux(socket, "send-keys", "-t", "demo", "C-s")
        _wait(socket, "Report exported", rounds=1800)
        _tmux(socket, "send-keys", "-t", "demo", "C-q")
        for _ in range(100):
            if _tmux(socket, "has-session", "-t", "demo").returncode != 0:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("gradesec did not quit on Ctrl+Q")
    finally:
        _tmux(socket, "kill-server")
    after = _findings(store, env)
    added = {pair: result for pair, result in after.items() if pair not in before}
    assert list(added.values()) == ["noncompliant"]
    status = subprocess.run(
        [str(GRADESEC), "--store", str(store), "--json", "inspection", "show", "i-demo01"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert '"closed"' in status.stdout, status.stderr
    (pdf,) = (tmp_path / "home").glob("gradesec-*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "City e-Government Portal" in text
