"""The drill runner: pick a scenario (or an open drill), run the clock, release injects, mark expectations,
write observations, pause, close, and see the scores.

The clock is a ``gradesec.drill.clock.DrillClock`` over an injectable time source; due injects are released
by a half-second tick. Every step is a signed event written on the app's writer thread through the drill use
cases; the screen reloads the drill from the store after each write, so what it shows is what is stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from gradesec.drill.clock import DrillClock, TimeSource, format_elapsed
from gradesec.drill.rules import next_due
from gradesec.drill.scoring import score
from gradesec.i18n import get_lang, t
from gradesec.tui.screens.form import Field, FormModal
from gradesec.tui.session import Nav
from gradesec.tui.widgets.footer import LocalFooter
from gradesec.tui.widgets.text import TLabel

if TYPE_CHECKING:
    from gradesec.catalog.scenario import Scenario
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
        self._submit(lambda: drills.start_drill(ctx, scenario_id), self._open_drill)

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

    # Writing: one signed event per step, on the app's writer thread

    def _submit(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        def after(result: Any) -> None:
            if done is not None:
                done(result)
            elif self.drill_id is not None:
                self._load()
                self._render_all()

        self.app.writer.submit(self, work, after)  # type: ignore[attr-defined]

    def _drill_now(self) -> int:
        return self.clock.elapsed_ms() if self.clock is not None else 0

    def _live(self) -> bool:
        return self.loaded is not None and self.loaded.record.status != "closed"

    def _on_tick(self) -> None:
        if not self._live() or self.clock is None or not self.clock.running:
            self._render_clock()
            return
        assert self.loaded is not None
        due = next_due(self.loaded.scenario, self.loaded.record)
        now = self._drill_now()
        if due is not None and due.due_ms <= now and self.app.writer.idle:  # type: ignore[attr-defined]
            from gradesec.usecases import drills

            ctx, drill_id = self.ctx, self.loaded.record.id
            self._submit(lambda: drills.release_due(ctx, drill_id, now))
        self._render_clock()

    def action_pause(self) -> None:
        if not self._live() or self.clock is None:
            return
        from gradesec.usecases import drills

        ctx, drill_id, now = self.ctx, self.drill_id, self._drill_now()
        assert drill_id is not None
        if self.clock.running:
            self.clock.pause()
            self._submit(lambda: drills.pause(ctx, drill_id, now))
        else:
            self.clock.resume()
            self._submit(lambda: drills.resume(ctx, drill_id, now))

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
        if not self._live():
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
        ctx, drill_id, now, inject = self.ctx, rec.id, self._drill_now(), ready[0].id
        self._submit(lambda: drills.release_inject(ctx, drill_id, inject, now))

    def _selected_expectation(self) -> str | None:
        table = self.query_one("#drill-expectations", DataTable)
        if not self.exp_rows or table.cursor_row < 0 or table.cursor_row >= len(self.exp_rows):
            return None
        return self.exp_rows[table.cursor_row]

    def action_mark(self, status: str) -> None:
        if not self._live():
            return
        exp_id = self._selected_expectation()
        if exp_id is None:
            self.notify(t("drill.tui.no_expectation"), severity="warning")
            return
        from gradesec.usecases import drills

        ctx, drill_id, now = self.ctx, self.drill_id, self._drill_now()
        assert drill_id is not None
        self._submit(lambda: drills.mark_expectation(ctx, drill_id, exp_id, status, now))

    def action_observe(self) -> None:
        if not self._live():
            return
        fields = [
            Field("kind", "drill.tui.field.kind", kind="select", value="action", options=_observation_kinds),
            Field("team", "drill.tui.field.team", kind="select", value="", options=self._team_options),
            Field("text", "drill.tui.field.text", required=True),
        ]
        now = self._drill_now()
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
        self._submit(
            lambda: drills.observe(
                ctx, drill_id, values["kind"], values["text"], now, team=team, inject=inject
            )
        )

    def action_participant(self) -> None:
        if not self._live():
            return
        fields = [
            Field("team", "drill.tui.field.team", kind="select", options=self._team_options, required=True),
            Field("name", "drill.tui.field.name", required=True),
            Field("org", "drill.tui.field.org"),
        ]
        self.app.push_screen(FormModal("drill.tui.participant", fields), self._participant)

    def _team_options(self) -> list[tuple[str, str]]:
        teams = self.loaded.record.teams if self.loaded is not None else []
        return [(tm.name, tm.id) for tm in teams]

    def _participant(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        from gradesec.drill.model import Participant
        from gradesec.usecases import drills

        ctx, drill_id = self.ctx, self.drill_id
        assert drill_id is not None
        who = Participant(values["name"], values.get("org", ""))
        self._submit(lambda: drills.add_participant(ctx, drill_id, values["team"].strip(), who))

    def action_edit_teams(self) -> None:
        """Add a team, rename one, or add, rename or remove a participant (each a signed team change)."""
        if not self._live() or self.loaded is None:
            return
        from gradesec.tui.screens.drill_teams import TeamsForm

        self.app.push_screen(TeamsForm(self.loaded.record.teams), self._teams_edited)

    def _teams_edited(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        from gradesec.tui.screens.drill_teams import apply_team_change

        ctx, drill_id = self.ctx, self.drill_id
        assert drill_id is not None

        def done(_result: Any) -> None:
            self._load()
            self._render_all()
            self.notify(t("officer.drill.saved"))

        self._submit(lambda: apply_team_change(ctx, drill_id, values), done)

    def action_close_drill(self) -> None:
        """Ending a drill is final (it is scored and takes no more marks): ask first."""
        if not self._live() or self.clock is None or self.loaded is None:
            return
        from gradesec.tui.screens.confirm import ConfirmModal

        rec, scenario = self.loaded.record, self.loaded.scenario
        expected = [exp.id for _inj, exp in scenario.expectations()]
        lines = [
            t("drill.tui.confirm.final"),
            t("drill.tui.confirm.unreleased", n=sum(1 for i in scenario.injects if i.id not in rec.releases)),
            t(
                "drill.tui.confirm.unmarked",
                n=sum(1 for e in expected if e not in rec.marks),
                total=len(expected),
            ),
        ]
        title = self.loaded.title.get(get_lang()) or rec.id

        def answered(yes: bool | None) -> None:
            if yes:
                self._close_drill()

        self.app.push_screen(
            ConfirmModal("drill.tui.confirm.title", lines, "drill.tui.confirm.button", warn=True, name=title),
            answered,
        )

    def _close_drill(self) -> None:
        if not self._live() or self.clock is None or self.loaded is None:
            return
        from gradesec.usecases import drills

        ctx, drill_id = self.ctx, self.loaded.record.id
        now = max(self._drill_now(), self.loaded.record.last_elapsed_ms())
        self.clock.pause()

        def closed(result: Any) -> None:
            self._load()
            self._render_all()
            self.notify(t("drill.tui.closed", n=len(result)), timeout=6)

        self._submit(lambda: drills.close_drill(ctx, drill_id, now), closed)

    def action_export_report(self) -> None:
        """The after-action report of the open drill as a PDF: language and file chosen in a dialog."""
        if self.loaded is None:
            self.notify(t("drill.tui.pick_first"), severity="warning")
            return
        from gradesec.tui.screens.doc_export import DocExportForm

        drill_id = self.loaded.record.id

        def chosen(values: dict[str, str] | None) -> None:
            if values:
                path = Path(values["path"])
                self.notify(t("drill.tui.exporting", path=str(path)), markup=False)
                self._export_aar(drill_id, path, values["lang"])

        self.app.push_screen(
            DocExportForm(
                "officer.drill.export_title", f"gradesec-{drill_id}-aar", ("pdf",), subject=drill_id
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="drill-export")
    def _export_aar(self, drill_id: str, path: Path, lang: str) -> None:
        from gradesec.report.aar import build_aar
        from gradesec.usecases import drills

        data = drills.report_data(self.ctx.store, self.ctx.catalog, drill_id)
        pages = build_aar(data, path, lang)
        self.app.call_from_thread(
            self.app.notify,
            t("drill.tui.exported", path=str(path), pages=pages),
            title=t("tui.export.done"),
            timeout=10,
            markup=False,
        )

    def action_back(self) -> None:
        self.dismiss(None)

    # Showing

    def _render_all(self) -> None:
        if self.loaded is None:
            return
        self._render_injects()
        self._render_expectations()
        self._render_observations()
        self._render_teams()
        self._render_clock()

    def _render_teams(self) -> None:
        """Each team once, with its participants."""
        assert self.loaded is not None
        parts = []
        for tm in self.loaded.record.teams:
            people = ", ".join(p.name + (f" ({p.org})" if p.org else "") for p in tm.participants)
            parts.append(f"{tm.name}: {people or '-'}")
        self.query_one("#drill-teams", Static).update(t("officer.drill.teams_line", teams=" · ".join(parts)))

    def _render_observations(self) -> None:
        """Every observation written so far, newest first, with its drill time, kind and team."""
        assert self.loaded is not None
        rec = self.loaded.record
        teams = {tm.id: tm.name for tm in rec.teams}
        lines = []
        for obs in sorted(rec.observations, key=lambda o: o.elapsed_ms, reverse=True):
            team = f" · {teams.get(obs.team, obs.team)}" if obs.team else ""
            kind = t(f"drill.obs.{obs.kind}")
            lines.append(f"{format_elapsed(obs.elapsed_ms)}  [{kind}{team}]  {obs.text}")
        text = "\n".join(lines) if lines else t("drill.tui.no_observations")
        self.query_one("#drill-observations", Static).update(text)

    def _render_clock(self) -> None:
        if self.loaded is None:
            return
        rec = self.loaded.record
        speed = self.clock.speed if self.clock is not None else 1.0
        status = t(f"drill.status.{rec.status}")
        due = next_due(self.loaded.scenario, rec)
        upcoming = t("drill.tui.next", id=due.inject.id, at=format_elapsed(due.due_ms)) if due else ""
        self.query_one("#drill-clock", Label).update(
            t(
                "drill.tui.clock",
                id=rec.id,
                time=format_elapsed(self._drill_now()),
                status=status,
                speed=f"{speed:g}",
                next=upcoming,
            )
        )
        result = score(self.loaded.scenario, rec, self._drill_now())
        o = result.overall
        pct = "-" if o.percent is None else f"{o.percent:.1f}%"
        self.query_one("#drill-score", Label).update(
            t("drill.tui.score", earned=f"{o.earned:g}", possible=f"{o.possible:g}", pct=pct)
        )

    def _render_injects(self) -> None:
        assert self.loaded is not None
        lang = get_lang()
        table = self.query_one("#drill-injects", DataTable)
        table.clear(columns=True)
        table.add_columns(
            t("drill.head.id"), t("drill.tui.col.plan"), t("drill.tui.col.released"), t("drill.head.title")
        )
        rec = self.loaded.record
        last = None
        for inject in self.loaded.scenario.injects:
            rel = rec.releases.get(inject.id)
            released = format_elapsed(rel.elapsed_ms) if rel else ""
            table.add_row(inject.id, f"+{inject.at:g}′", released, inject.title.get(lang))
            if rel is not None:
                last = inject
        text = self.query_one("#drill-inject-text", Static)
        text.update(
            f"{last.id} {last.title.get(lang)}\n{last.text.get(lang)}" if last else t("drill.tui.no_inject")
        )

    def _render_expectations(self) -> None:
        assert self.loaded is not None
        lang = get_lang()
        table = self.query_one("#drill-expectations", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_columns(
            t("drill.head.id"),
            t("drill.tui.col.role"),
            t("drill.tui.col.due"),
            t("drill.head.status"),
            t("drill.aar.action"),
        )
        result = score(self.loaded.scenario, self.loaded.record, self._drill_now())
        scen: Scenario = self.loaded.scenario
        self.exp_rows = []
        for e in result.expectations:
            if e.status == "not_released":
                continue
            _inj, exp = scen.expectation(e.id)
            status = t(f"drill.exp.{e.status}") + (t("drill.aar.late") if e.late else "")
            table.add_row(
                e.id,
                scen.role(e.role).name.get(lang),
                format_elapsed(e.deadline_ms),
                status,
                exp.action.get(lang),
            )
            self.exp_rows.append(e.id)
        if self.exp_rows:
            table.move_cursor(row=min(max(keep, 0), len(self.exp_rows) - 1))

    def relabel(self) -> None:
        self.sub_title = t("drill.tui.title")
        if self.loaded is None:
            self._show_picker()
        else:
            self._render_all()


def _observation_kinds() -> list[tuple[str, str]]:
    return [(t(f"drill.obs.{k}"), k) for k in ("action", "strength", "improvement", "note")]


def run_drill_tui(store_dir: Path, scenario_id: str, catalog_dirs: list[Path]) -> None:
    """``gradesec drill run SCENARIO``: the usual start-up (keys, store), then straight into a new drill."""
    import gradesec.tui.app as app_module
    from gradesec.tui.app import GradesecApp, load_keymap
    from gradesec.tui.session import Launch

    class DrillRunnerApp(GradesecApp):
        # CSS paths resolve beside the class's module; point back at the shell's stylesheet.
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

        def on_mount(self) -> None:
            super().on_mount()
            self._waiting = self.set_interval(0.1, self._when_ready)

        def _when_ready(self) -> None:
            if self.session.ready and not isinstance(self.screen, DrillScreen):
                self._waiting.stop()
                self.push_screen(DrillScreen(Nav(self.session), scenario_id=scenario_id))

    from gradesec import paths

    launch = Launch(store_dir, catalog_dirs=list(catalog_dirs))
    DrillRunnerApp(launch, load_keymap(paths.config_dir() / "keymap.yaml")).run()
