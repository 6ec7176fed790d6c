"""The drill runner: pick a scenario (or an open drill), run the clock, release injects, mark expectations,
write observations, pause, close, and see the scores.

The clock is a ``gradesec.drill.clock.DrillClock`` over an injectable time source; due injects are released
by a half-second tick. Every step is a signed event written on the app's writer thread through the drill use
cases; the screen reloads the drill from the store after each write, so what it shows is what is stored.
What it shows is laid out by ``drill_render``; team edits are ``drill_teams``; ``gradesec drill run`` starts
here through ``drill_runner``; closing and the after-action report are ``drill_end``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from gradesec.drill.clock import DrillClock, TimeSource
from gradesec.drill.rules import next_due
from gradesec.i18n import get_lang, t
from gradesec.tui.screens import drill_end, drill_teams
from gradesec.tui.screens import drill_render as render
from gradesec.tui.screens.form import Field, FormModal
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.text import TLabel

if TYPE_CHECKING:
    from gradesec.usecases.drills import LoadedDrill

SPEEDS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0)


class DrillScreen(Screen[None]):
    """Chooses a drill, then runs it."""

    CSS_PATH = "drill.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back", id="drill.back"),
        Binding("enter", "choose", "drill.tui.key.choose", id="drill.choose", show=False),
        Binding("space", "pause", "drill.tui.key.pause", id="drill.pause"),
        Binding("plus", "faster", "drill.tui.key.faster", id="drill.faster"),
        Binding("minus", "slower", "drill.tui.key.slower", id="drill.slower", show=False),
        Binding("n", "release_next", "drill.tui.key.release", id="drill.release"),
        Binding("m", "mark('met')", "drill.tui.key.met", id="drill.met"),
        Binding("p", "mark('partial')", "drill.tui.key.partial", id="drill.partial"),
        Binding("x", "mark('missed')", "drill.tui.key.missed", id="drill.missed"),
        Binding("o", "observe", "drill.tui.key.observe", id="drill.observe"),
        Binding("a", "participant", "drill.tui.key.participant", id="drill.participant", show=False),
        Binding("t", "edit_teams", "officer.drill.key.teams", id="drill.teams", show=False),
        Binding("c", "close_drill", "drill.tui.key.close", id="drill.close"),
        Binding("r", "export_report", "drill.tui.key.export", id="drill.export"),
    ]

    def __init__(
        self,
        nav: Nav,
        scenario_id: str | None = None,
        drill_id: str | None = None,
        time_source: TimeSource = time.monotonic,
    ) -> None:
        super().__init__()
        self.nav = nav
        self.start_scenario = scenario_id
        self.drill_id = drill_id
        self.time_source = time_source
        self.clock: DrillClock | None = None
        self.loaded: LoadedDrill | None = None
        self.picker: list[tuple[str, str]] = []  # ("scenario" | "drill", id) per picker row
        self.exp_rows: list[str] = []

    # Layout

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="drill-pick"):
            yield TLabel("drill.tui.pick", classes="section-title")
            yield DataTable(id="drill-pick-table", cursor_type="row", zebra_stripes=True)
        with Vertical(id="drill-run"):
            yield Label("", id="drill-clock", markup=False)
            with Horizontal(id="drill-panes"):
                with Vertical(id="drill-left"):
                    yield TLabel("drill.tui.injects", classes="section-title")
                    yield DataTable(id="drill-injects", cursor_type="row", zebra_stripes=True)
                    yield Static("", id="drill-inject-text", markup=False)
                with Vertical(id="drill-right"):
                    yield TLabel("drill.tui.expectations", classes="section-title")
                    yield DataTable(id="drill-expectations", cursor_type="row", zebra_stripes=True)
                    yield Label("", id="drill-score", markup=False)
                    yield Static("", id="drill-teams", markup=False)
                    yield TLabel("drill.tui.observations", classes="section-title")
                    yield Static("", id="drill-observations", markup=False)
        yield LocalFooter()

    @property
    def ctx(self) -> Any:
        return self.nav.session.ctx

    def on_mount(self) -> None:
        self.sub_title = t("drill.tui.title")
        self.set_interval(0.5, self._on_tick)
        if self.drill_id is not None:
            self._open_drill(self.drill_id)
        elif self.start_scenario is not None:
            self._start_drill(self.start_scenario)
        else:
            self._show_picker()

    # Choosing a drill

    def _show_picker(self) -> None:
        from gradesec.usecases import drills

        self.query_one("#drill-run").display = False
        self.query_one("#drill-pick").display = True
        table = self.query_one("#drill-pick-table", DataTable)
        table.clear(columns=True)
        table.add_columns(t("drill.head.id"), t("drill.head.title"), t("drill.head.status"))
        lang = get_lang()
        self.picker = []
        # Drills under way first, then finished ones (opened read-only, to review them and their scores).
        summaries = drills.list_drills(self.ctx.store)
        for summary in sorted(summaries, key=lambda s: s.status == "closed"):
            table.add_row(summary.id, summary.title.get(lang, ""), t(f"drill.status.{summary.status}"))
            self.picker.append(("drill", summary.id))
        for scenario in drills.scenarios(self.ctx.catalog):
            table.add_row(scenario.id, scenario.title.get(lang), t("drill.tui.new_drill"))
            self.picker.append(("scenario", scenario.id))
        table.focus()

    def action_choose(self) -> None:
        if self.loaded is not None or not self.picker:
            return
        row = self.query_one("#drill-pick-table", DataTable).cursor_row
        kind, ident = self.picker[row]
        if kind == "scenario":
            self._start_drill(ident)
        else:
            self._open_drill(ident)

    @on(DataTable.RowSelected, "#drill-pick-table")
    def _picked(self) -> None:
        self.action_choose()

    def _start_drill(self, scenario_id: str) -> None:
        from gradesec.usecases import drills

        ctx = self.ctx
        self.submit(lambda: drills.start_drill(ctx, scenario_id), self._open_drill)

    def _open_drill(self, drill_id: str) -> None:
        self.drill_id = drill_id
        self._load()
        assert self.loaded is not None
        rec = self.loaded.record
        self.clock = DrillClock(self.time_source, rec.speed, rec.last_elapsed_ms())
        if not rec.paused and rec.status != "closed":
            self.clock.resume()
        self.query_one("#drill-pick").display = False
        self.query_one("#drill-run").display = True
        self._render_all()
        self.query_one("#drill-expectations", DataTable).focus()

    def _load(self) -> None:
        from gradesec.usecases import drills

        if self.drill_id is not None:
            self.loaded = drills.load_drill(self.ctx.store, self.drill_id)

    def reload(self) -> None:
        """Read the drill again from the store and show it."""
        self._load()
        self._render_all()

    # Writing: one signed event per step, on the app's writer thread

    def submit(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        def after(result: Any) -> None:
            if done is not None:
                done(result)
            elif self.drill_id is not None:
                self.reload()

        self.app.writer.submit(self, work, after)  # type: ignore[attr-defined]

    def drill_now(self) -> int:
        return self.clock.elapsed_ms() if self.clock is not None else 0

    def live(self) -> bool:
        return self.loaded is not None and self.loaded.record.status != "closed"

    def _on_tick(self) -> None:
        if not self.live() or self.clock is None or not self.clock.running:
            self._render_clock()
            return
        assert self.loaded is not None
        due = next_due(self.loaded.scenario, self.loaded.record)
        now = self.drill_now()
        if due is not None and due.due_ms <= now and self.app.writer.idle:  # type: ignore[attr-defined]
            from gradesec.usecases import drills

            ctx, drill_id = self.ctx, self.loaded.record.id
            self.submit(lambda: drills.release_due(ctx, drill_id, now))
        self._render_clock()

    def action_pause(self) -> None:
        if not self.live() or self.clock is None:
            return
        from gradesec.usecases import drills

        ctx, drill_id, now = self.ctx, self.drill_id, self.drill_now()
        assert drill_id is not None
        if self.clock.running:
            self.clock.pause()
            self.submit(lambda: drills.pause(ctx, drill_id, now))
        else:
            self.clock.resume()
            self.submit(lambda: drills.resume(ctx, drill_id, now))

    def _set_speed(self, step: int) -> None:
        if self.clock is None:
            return
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - self.clock.speed))  # type: ignore[union-attr]
        self.clock.set_speed(SPEEDS[max(0, min(len(SPEEDS) - 1, index + step))])
        self._render_clock()

    def action_faster(self) -> None:
        self._set_speed(1)

    def action_slower(self) -> None:
        self._set_speed(-1)

    def action_release_next(self) -> None:
        """Release by hand the next inject whose predecessors are out (early, if it is not due yet)."""
        if not self.live():
            return
        assert self.loaded is not None
        from gradesec.usecases import drills

        rec = self.loaded.record
        ready = [
            i
            for i in self.loaded.scenario.injects
            if i.id not in rec.releases and all(d in rec.releases for d in i.after)
        ]
        if not ready:
            self.notify(t("drill.tui.nothing_to_release"), severity="warning")
            return
        ctx, drill_id, now, inject = self.ctx, rec.id, self.drill_now(), ready[0].id
        self.submit(lambda: drills.release_inject(ctx, drill_id, inject, now))

    def _selected_expectation(self) -> str | None:
        table = self.query_one("#drill-expectations", DataTable)
        if not self.exp_rows or table.cursor_row < 0 or table.cursor_row >= len(self.exp_rows):
            return None
        return self.exp_rows[table.cursor_row]

    def action_mark(self, status: str) -> None:
        if not self.live():
            return
        exp_id = self._selected_expectation()
        if exp_id is None:
            self.notify(t("drill.tui.no_expectation"), severity="warning")
            return
        from gradesec.usecases import drills

        ctx, drill_id, now = self.ctx, self.drill_id, self.drill_now()
        assert drill_id is not None
        self.submit(lambda: drills.mark_expectation(ctx, drill_id, exp_id, status, now))

    def action_observe(self) -> None:
        if not self.live():
            return
        fields = [
            Field(
                "kind",
                "drill.tui.field.kind",
                kind="select",
                value="action",
                options=render.observation_kinds,
            ),
            Field("team", "drill.tui.field.team", kind="select", value="", options=self.team_options),
            Field("text", "drill.tui.field.text", required=True),
        ]
        now = self.drill_now()
        self.app.push_screen(
            FormModal("drill.tui.observe", fields), lambda values: self._observed(values, now)
        )

    def _observed(self, values: dict[str, str] | None, now: int) -> None:
        if not values:
            return
        from gradesec.usecases import drills

        ctx, drill_id = self.ctx, self.drill_id
        assert drill_id is not None
        exp_id = self._selected_expectation()
        inject = self.loaded.scenario.expectation(exp_id)[0].id if exp_id and self.loaded else None
        team = values.get("team", "").strip() or None
        self.submit(
            lambda: drills.observe(
                ctx, drill_id, values["kind"], values["text"], now, team=team, inject=inject
            )
        )

    def action_participant(self) -> None:
        if self.live():
            drill_teams.ask_participant(self)

    def team_options(self) -> list[tuple[str, str]]:
        teams = self.loaded.record.teams if self.loaded is not None else []
        return [(tm.name, tm.id) for tm in teams]

    def action_edit_teams(self) -> None:
        """Add a team, rename one, or add, rename or remove a participant (each a signed team change)."""
        if self.live() and self.loaded is not None:
            drill_teams.edit_teams(self)

    def action_close_drill(self) -> None:
        """Ending a drill is final (it is scored and takes no more marks): ask first."""
        if self.live() and self.clock is not None and self.loaded is not None:
            drill_end.confirm_close(self)

    def action_export_report(self) -> None:
        """The after-action report of the open drill as a PDF: language and file chosen in a dialog."""
        if self.loaded is None:
            self.notify(t("drill.tui.pick_first"), severity="warning")
            return
        drill_end.export_report(self, self.loaded.record.id)

    def action_back(self) -> None:
        self.dismiss(None)

    # Showing (the texts and tables come from drill_render)

    def _render_all(self) -> None:
        if self.loaded is None:
            return
        record = self.loaded.record
        text = render.fill_injects(self.query_one("#drill-injects", DataTable), self.loaded)
        self.query_one("#drill-inject-text", Static).update(text)
        table = self.query_one("#drill-expectations", DataTable)
        self.exp_rows = render.fill_expectations(table, self.loaded, self.drill_now())
        self.query_one("#drill-observations", Static).update(render.observations_text(record))
        self.query_one("#drill-teams", Static).update(render.teams_line(record))
        self._render_clock()

    def _render_clock(self) -> None:
        if self.loaded is None:
            return
        speed = self.clock.speed if self.clock is not None else 1.0
        now = self.drill_now()
        self.query_one("#drill-clock", Label).update(render.clock_line(self.loaded, now, speed))
        self.query_one("#drill-score", Label).update(render.score_line(self.loaded, now))

    def relabel(self) -> None:
        self.sub_title = t("drill.tui.title")
        if self.loaded is None:
            self._show_picker()
        else:
            self._render_all()
