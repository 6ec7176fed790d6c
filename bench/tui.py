"""TUI benchmarks: cold start against a minimal Textual app, and workspace latency on a large inspection.

    .venv/bin/python bench/tui.py            # everything (about a minute)
    .venv/bin/python bench/tui.py --quick    # fewer runs
    .venv/bin/python bench/tui.py --compare ../main .   # "open an item" for two checkouts, same run

Not a test: nothing here asserts timings. Record the figures in docs/performance.md (section "Terminal UI").

1. Cold start, measured the same way for both programs in the same run: start it in a fresh tmux session
   (120×40) and poll the pane every 5 ms until the first interactive screen is drawn. ``gradesec`` opens the
   demo store, unlocking the demo key from GRADESEC_PASSPHRASE; the minimal app is a Textual ``App`` with a
   label and a footer. Median of N alternating runs.
2. In the workspace of a level-4 inspection (228 items) with 50 assets, under Textual's headless driver:
   keypress ``1``/``2``/``3`` to the updated screen (the signed write stored, the row, the mark and the score
   redrawn), and cursor down to the next item fully shown (wording, guidance and its asset grid). The primitive
   is the use case alone (``record_finding``) measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from textual import events

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BIN = Path(sys.executable).parent
MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Label

class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Label("minimal-ready")
        yield Footer()

Minimal().run()
"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


_RUNS = [0]
RESULTS = {"1": "compliant", "2": "partial", "3": "noncompliant"}


def time_to_screen(command: str, marker: str, env: dict[str, str]) -> float:
    _RUNS[0] += 1
    socket = f"gradesec-bench-{os.getpid()}-{_RUNS[0]}"
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "b", "-x", "120", "-y", "40", command],
        env=env,
        check=True,
    )
    subprocess.run(["tmux", "-L", socket, "resize-window", "-t", "b", "-x", "120", "-y", "40"], check=False)
    try:
        while True:
            pane = subprocess.run(
                ["tmux", "-L", socket, "capture-pane", "-p", "-t", "b"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if marker in pane:
                return time.perf_counter() - start
            if time.perf_counter() - start > 30:
                raise RuntimeError(f"{marker!r} never appeared:\n{pane}")
            time.sleep(0.005)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False, capture_output=True)


def cold_start(runs: int, work: Path) -> None:
    from gradesec.demo import build_demo, demo_signer, write_demo_key

    env = {**os.environ, "GRADESEC_LANG": "en", "TERM": "xterm-256color"}
    for name in ("COLUMNS", "LINES", "GRADESEC_STORE"):
        env.pop(name, None)
    env["GRADESEC_CONFIG"] = str(work / "config")
    os.environ["GRADESEC_CONFIG"] = env["GRADESEC_CONFIG"]
    store = work / "demo"
    build_demo(store, lang="en")
    write_demo_key(demo_signer("en"), work / "config")  # GRADESEC_CONFIG is the demo key folder here
    env["GRADESEC_PASSPHRASE"] = "demo"
    script = work / "minimal.py"
    script.write_text(MINIMAL, encoding="utf-8")
    minimal_cmd = f"{BIN / 'python'} {script}"
    gradesec_cmd = f"{BIN / 'gradesec'} --store {store}"
    time_to_screen(minimal_cmd, "minimal-ready", env)  # warm the OS file cache for both, once
    time_to_screen(gradesec_cmd, "Store: demo", env)
    direct_cmd = f"{BIN / 'python'} -m gradesec.tui --store {store}"
    minimal, ours, direct, data = [], [], [], []
    for _ in range(runs):
        minimal.append(time_to_screen(minimal_cmd, "minimal-ready", env))
        ours.append(time_to_screen(gradesec_cmd, "Store: demo", env))
        direct.append(time_to_screen(direct_cmd, "Store: demo", env))
        data.append(time_to_screen(gradesec_cmd, "2026 annual assessment", env))
    m = statistics.median(minimal)
    print(f"cold start, minimal Textual app          : median {m * 1000:6.1f} ms ({runs} runs)")
    for label, values in (
        ("gradesec → home screen drawn", ours),
        ("python -m gradesec.tui → home drawn", direct),
        ("gradesec → home with its data", data),
    ):
        g = statistics.median(values)
        print(
            f"cold start, {label:29}: median {g * 1000:6.1f} ms = {g / m:.2f}× the minimal app (target ≤ 1.3×)"
        )


def big_store(work: Path) -> tuple[Path, str]:
    from gradesec.journal.clock import FrozenClock
    from gradesec.journal.keys import Signer
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.context import open_context

    signer = Signer.from_seed(b"\x07" * 32, "Bench", "inspector", "")
    store = work / "l4"
    kinds = ["server"] * 14 + ["network_device"] * 8 + ["security_device"] * 6 + ["database"] * 6
    kinds += ["application"] * 5 + ["middleware"] * 4 + ["terminal"] * 4 + ["machine_room", "data", "docs"]
    with open_context(store, signer=signer, create=True, clock=FrozenClock()) as ctx:
        unit = uc.add_unit(ctx, "Bench unit")
        system = uc.add_system(ctx, unit.id, "Big system", level=4)
        for n, kind in enumerate(kinds[:50]):
            uc.add_asset(ctx, system.id, kind, f"{kind}-{n:02d}")
        insp = uc.new_inspection(ctx, system.id, "mlps-l4")
    return store, insp.id


async def minimal_latency(presses: int, size: tuple[int, int]) -> list[float]:
    """The drawing primitive: a minimal Textual app whose key handler changes one label, keypress → frame."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("0", id="n")

        def on_key(self, event: events.Key) -> None:
            self.query_one("#n", Label).update(event.key * 3)

    app = Minimal()
    frames: list[float] = []
    display = app._display

    def stamped(screen: Any, renderable: Any) -> None:
        frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = stamped  # type: ignore[method-assign]
    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        for n in range(presses):
            key = "123"[n % 3]
            start = time.perf_counter()
            app.post_message(events.Key(key, key))
            while not frames or frames[-1] < start:
                await asyncio.sleep(0.0005)
            times.append(next(f for f in frames if f >= start) - start)
            await pilot.pause(0.02)
    return times


async def workspace_latency(store: Path, inspection_id: str, presses: int, size: tuple[int, int]) -> None:
    from gradesec.journal.keys import Signer
    from gradesec.tui.app import GradesecApp
    from gradesec.tui.session import Launch

    signer = Signer.from_seed(b"\x07" * 32, "Bench", "inspector", "")
    app = GradesecApp(Launch(store, signer=signer, open_inspection=inspection_id, steady_cursor=True))
    # Every screen update Textual sends to the (headless) terminal, time-stamped.
    frames = stamp_frames(app)

    async def frame_after(moment: float) -> float:
        while not frames or frames[-1] < moment:
            await asyncio.sleep(0.001)
        return next(f for f in frames if f >= moment)

    async with app.run_test(size=size) as pilot:
        for _ in range(2000):
            screen = app.screen
            if type(screen).__name__ == "WorkspaceScreen" and getattr(screen, "model", None) is not None:
                break
            await pilot.pause(0.01)
        ws: Any = app.screen
        model = ws.model
        grid = ws.query_one("#ws-grid")
        pairs = sum(len(v) for v in model.applies.values())
        print(
            f"workspace {size[0]}×{size[1]}: {len(model.items)} items × {len(model.assets)} assets = {pairs} "
            "applicable pairs"
        )
        item = max(model.applies, key=lambda i: len(model.applies[i]))  # the item with the most assets
        ws.query_one("#ws-tree").select_item(item)
        await pilot.pause()
        keys: list[float] = []
        stored: list[float] = []
        # When the UI thread put each stored result into the model, and when the grid last rendered a line: the
        # frame counted is the first one written after the recorded row was rendered again for the new result.
        put_at = [0.0]
        put_finding = model.put_finding

        def stamped_put(finding: Any) -> Any:
            put_at[0] = time.perf_counter()
            return put_finding(finding)

        model.put_finding = stamped_put
        grid_painted = spy_painted(grid)
        for n in range(presses):
            if grid.cursor_row >= grid.row_count - 1:
                grid.move_cursor(row=0)
                await pilot.pause()
            pair = ws.current()
            revision = model.findings.get(pair)
            # A result different from the stored one, so the screen has something new to show.
            wanted = next(
                k
                for k in ("123"[n % 3], "123"[(n + 1) % 3])
                if revision is None or revision.result != RESULTS[k]
            )
            result = RESULTS[wanted]
            start = time.perf_counter()
            app.post_message(events.Key(wanted, wanted))
            while (now := model.findings.get(pair)) is revision or now is None or now.result != result:
                await asyncio.sleep(0.0005)
            stored.append(put_at[0] - start)
            while grid_painted[0] < put_at[0]:
                await asyncio.sleep(0.0005)
            shown = await frame_after(grid_painted[0])
            keys.append(shown - start)
            await pilot.pause()
        print(
            f"keypress → updated screen: median {statistics.median(keys) * 1000:5.1f} ms, "
            f"p95 {p95(keys) * 1000:5.1f} ms ({presses} presses; target p95 ≤ 25 ms)"
        )
        print(
            f"  of which: stored and shown in the model after median {statistics.median(stored) * 1000:5.1f} ms, "
            f"p95 {p95(stored) * 1000:5.1f} ms"
        )
        opens = await open_items(app, pilot, min(presses, len(model.items)))
        print(
            f"open an item (cursor moved → wording + asset grid drawn): median {statistics.median(opens) * 1000:5.1f} ms, "
            f"p95 {p95(opens) * 1000:5.1f} ms (target p95 ≤ 30 ms)"
        )
        from gradesec.usecases.inspections import record_finding

        ctx = app.session.ctx
        raw: list[float] = []
        for n, asset_id in enumerate(model.applies[item][: min(presses, 40)]):
            start = time.perf_counter()
            record_finding(ctx, inspection_id, item, asset_id, ("compliant", "partial")[n % 2])
            raw.append(time.perf_counter() - start)
        print(
            f"primitive: record_finding alone: median {statistics.median(raw) * 1000:5.1f} ms, "
            f"p95 {p95(raw) * 1000:5.1f} ms; the TUI adds {(p95(keys) - p95(raw)) * 1000:.1f} ms at p95"
        )
    mini = await minimal_latency(presses, size)
    print(
        f"primitive: minimal Textual app, keypress → label repainted: median {statistics.median(mini) * 1000:5.1f} "
        f"ms, p95 {p95(mini) * 1000:5.1f} ms; ratios keypress {p95(keys) / p95(mini):.1f}×, "
        f"open {p95(opens) / p95(mini):.1f}× (p95)"
    )


def spy_painted(widget: Any) -> list[float]:
    """Time-stamp every line Textual asks ``widget`` for (the last stamp is the widget's latest repaint)."""
    stamps = [0.0]
    real = widget.render_line

    def render_line(y: int) -> Any:
        stamps[0] = time.perf_counter()
        return real(y)

    widget.render_line = render_line
    return stamps


async def open_items(app: Any, pilot: Any, count: int) -> list[float]:
    """Cursor moved to the next item → the first frame with its detail and its grid drawn, ``count - 1`` times.

    The frame counted is the first one written after both the detail and the grid rendered lines for the new
    item (each keeps the time of its latest line), so a frame that shows only the tree's cursor does not count,
    whichever order the widgets' repaints reach the screen in.
    """
    frames: list[float] = app.bench_frames
    ws: Any = app.screen
    model = ws.model
    tree = ws.query_one("#ws-tree")
    detail = spy_painted(ws.query_one("#ws-detail"))
    grid = spy_painted(ws.query_one("#ws-grid"))
    tree.focus()
    tree.select_item(model.items[0].id)
    await pilot.pause()
    opens: list[float] = []
    for n in range(1, count):
        target = model.items[n].id
        start = time.perf_counter()
        tree.select_item(target)  # what the arrow keys do: move the cursor, which opens the item
        while ws.item_id != target or detail[0] < start or grid[0] < start:
            await asyncio.sleep(0.0005)
        painted = max(detail[0], grid[0])
        while not frames or frames[-1] < painted:
            await asyncio.sleep(0.0005)
        opens.append(next(f for f in frames if f >= painted) - start)
        await pilot.pause()
    return opens


async def open_only(store: Path, inspection_id: str, count: int, size: tuple[int, int]) -> list[float]:
    """The open measurement alone, for ``--compare`` (run once per source tree, in a child process)."""
    from gradesec.journal.keys import Signer
    from gradesec.tui.app import GradesecApp
    from gradesec.tui.session import Launch

    signer = Signer.from_seed(b"\x07" * 32, "Bench", "inspector", "")
    app = GradesecApp(Launch(store, signer=signer, open_inspection=inspection_id, steady_cursor=True))
    stamp_frames(app)
    async with app.run_test(size=size) as pilot:
        for _ in range(2000):
            screen = app.screen
            if type(screen).__name__ == "WorkspaceScreen" and getattr(screen, "model", None) is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        return await open_items(app, pilot, count)


def stamp_frames(app: Any) -> list[float]:
    """Time-stamp every screen update Textual sends to the (headless) terminal (kept in ``app.bench_frames``)."""
    frames: list[float] = []
    display = app._display

    def stamped(screen: Any, renderable: Any) -> None:
        frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = stamped
    app.bench_frames = frames
    return frames


def compare_open(trees: list[Path], rounds: int, count: int, work: Path) -> None:
    """ "Open an item" for each source tree in the same run: child processes, alternating, on one store."""
    store, inspection_id = big_store(work)
    times: dict[Path, list[float]] = {tree: [] for tree in trees}
    load = os.getloadavg()
    for _ in range(rounds):
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree / "src"), "GRADESEC_LANG": "en"}
            out = subprocess.run(
                [sys.executable, __file__, "--child-open", str(store), inspection_id, str(count)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            child = json.loads(out.splitlines()[-1])
            if not Path(child["gradesec"]).is_relative_to(tree):
                sys.exit(f"{tree}: the child imported gradesec from {child['gradesec']}")
            times[tree].extend(child["opens"])
    after = os.getloadavg()
    print(
        f"open an item, 120×40, level-4 inspection (228 items × 50 assets), {rounds} alternating rounds × "
        f"{count - 1} opens per tree; load average {load[0]:.2f} → {after[0]:.2f} (1 min), CPUs {os.cpu_count()}"
    )
    for tree in trees:
        values = times[tree]
        print(
            f"  {tree!s:28}: median {statistics.median(values) * 1000:5.1f} ms, p95 {p95(values) * 1000:5.1f} ms "
            f"({len(values)} opens)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("cold", "workspace"))
    parser.add_argument(
        "--compare",
        nargs="+",
        type=Path,
        metavar="TREE",
        help="only 'open an item', for each source tree (a checkout: TREE/src is imported), in the same run",
    )
    parser.add_argument("--child-open", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from gradesec import i18n

    i18n.set_lang("en")
    if args.child_open:
        store, inspection_id, count = args.child_open
        import gradesec

        opens = asyncio.run(open_only(Path(store), inspection_id, int(count), (120, 40)))
        print(json.dumps({"gradesec": gradesec.__file__, "opens": opens}))
        return
    if args.compare:
        with tempfile.TemporaryDirectory() as tmp:
            compare_open([tree.resolve() for tree in args.compare], 3 if args.quick else 5, 61, Path(tmp))
        return
    if shutil.which("tmux") is None:
        sys.exit("bench/tui.py needs tmux (./run setup installs it)")
    runs, presses = (3, 40) if args.quick else (7, 150)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only != "workspace":
            cold_start(runs, work)
        if args.only != "cold":
            store, inspection_id = big_store(work)
            for size in ((120, 40), (160, 50)):
                asyncio.run(workspace_latency(store, inspection_id, presses, size))


if __name__ == "__main__":
    main()
