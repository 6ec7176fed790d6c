"""A real terminal: ``gradesec demo`` in tmux, a result recorded by keystrokes, checked with the CLI."""

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
        "GRADESEC_LANG": "en",
        "TERM": "xterm-256color",
    }
    # A test process may carry COLUMNS/LINES (Textual reads them before the real terminal size).
    for name in ("GRADESEC_STORE", "COLUMNS", "LINES"):
        env.pop(name, None)
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
        _wait(socket, "Progress 310/617")
        _tmux(socket, "send-keys", "-t", "demo", "u")
        time.sleep(0.3)
        _tmux(socket, "send-keys", "-t", "demo", "3")
        _wait(socket, "Progress 311/617")
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
