"""The application: themes, language, key map, the error path, and which screen comes first.

Screens do the work; this file only wires them (see docs/tui.md).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from gradesec import i18n
from gradesec.errors import GradesecError
from gradesec.tui.commands import ActionsProvider
from gradesec.tui.messages import Failed
from gradesec.tui.session import Launch, Session
from gradesec.tui.widgets.text import Relabels
from gradesec.tui.writer import Writer, Written

DARK = "nord"
LIGHT = "gradesec-light"  # tui/themes.py: AA contrast for every text colour


class GradesecApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "gradesec"
    # Only our provider: it lists every action of the screen and the app (quit, help, language, theme) in the
    # current language; Textual's system commands are English only.
    COMMANDS: ClassVar[set[Any]] = {ActionsProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "tui.key.quit", id="app.quit", priority=True),
        Binding("f1", "help", "tui.key.help", id="app.help"),
        Binding("f2", "toggle_lang", "tui.key.lang", id="app.lang"),
        Binding("f3", "toggle_theme", "tui.key.theme", id="app.theme", show=False),
        Binding("ctrl+p", "command_palette", "tui.key.palette", id="app.palette", show=False, priority=True),
    ]

    def __init__(self, launch: Launch, keymap: dict[str, str] | None = None) -> None:
        from gradesec.tui import cjk

        cjk.install()  # keep two-cell characters whole where widgets overlap (see tui/cjk.py)
        super().__init__()
        from gradesec.tui.themes import LIGHT_THEME

        self.register_theme(LIGHT_THEME)
        self.session = Session(launch)
        self._user_keymap = keymap or {}
        self.theme = launch.theme or DARK
        self.writer = Writer(self)
        self._leaving = False

    def on_mount(self) -> None:
        from gradesec.tui.screens.home import HomeScreen

        if self._user_keymap:
            self.set_keymap(self._user_keymap)
        self.writer.start()
        # Labels carry the colours of the theme they were drawn in (component styles baked into Rich text):
        # draw them again when the theme changes, or the light theme shows the dark theme's pale greys.
        self._drawn_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(HomeScreen())

    def on_resize(self, event: events.Resize) -> None:
        """Below 80×24 a notice covers the screens (their layout would break); it goes when there is room."""
        from gradesec.tui.screens.too_small import TooSmallScreen, too_small

        small = too_small(event.size.width, event.size.height)
        covered = any(isinstance(s, TooSmallScreen) for s in self.screen_stack)
        if small and not covered:
            self.push_screen(TooSmallScreen())
        elif not small and covered and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.session.launch.steady_cursor and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    # Language and theme

    def action_toggle_lang(self) -> None:
        i18n.set_lang("en" if i18n.get_lang() == "zh" else "zh")
        self.relabel()

    def relabel(self) -> None:
        """Re-render every text on every open screen in the current language."""
        for screen in self.screen_stack:
            for widget in [screen, *screen.walk_children(with_self=False)]:
                if isinstance(widget, Relabels):
                    widget.relabel()
        self.refresh_bindings()

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from gradesec.i18n import t

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(CommandPalette(placeholder=t("tui.palette.placeholder"), id="--command-palette"))

    def _theme_changed(self, _theme: object) -> None:
        if self.theme != self._drawn_theme:
            self._drawn_theme = self.theme
            self.call_after_refresh(self.relabel)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    async def action_quit(self) -> None:
        """Leaving signs a checkpoint (none if nothing changed since the last one), queued after the writes
        still pending; the app exits when it is stored. Should it fail, the error shows and quitting again
        exits."""
        ctx = self.session.ctx
        if ctx is None or self._leaving:
            self.exit()
            return
        from gradesec.usecases.integrity import checkpoint_on_leave

        self._leaving = True
        self.writer.submit(self.screen, lambda: checkpoint_on_leave(ctx), lambda _done: self.exit())

    def action_help(self) -> None:
        from gradesec.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # Errors: a GradesecError is a notification; anything else is a bug shown in a modal, never a crash.

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)

    @on(Written)
    def _written(self, event: Written) -> None:
        if event.done is not None and event.node.is_attached:
            event.done(event.result)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.show_error(event.error)

    def show_error(self, error: BaseException) -> None:
        from gradesec.i18n import t

        if isinstance(error, GradesecError):
            self.notify(error.hint or "", title=error.message, severity="error", timeout=8)
            return
        from gradesec.tui.screens.error import ErrorScreen

        self.push_screen(ErrorScreen(t("error.unexpected", detail=f"{type(error).__name__}: {error}")))


def load_keymap(path: Any) -> dict[str, str]:
    """``keymap.yaml`` in the config dir: ``binding id: key`` (missing file: no changes)."""
    from gradesec.i18n import t

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}  # the usual case: PyYAML is not even imported (start-up time)
    except OSError as exc:
        raise GradesecError(
            t("tui.keymap.unreadable", path=path, detail=str(exc)), t("tui.keymap.hint")
        ) from exc
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise GradesecError(t("tui.keymap.invalid", path=path), t("tui.keymap.hint")) from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise GradesecError(t("tui.keymap.invalid", path=path), t("tui.keymap.hint"))
    return dict(data)


def run_app(launch: Launch) -> None:
    """Run the TUI until the user quits (the keymap is read before the terminal is taken over)."""
    from gradesec import paths

    config_dir = launch.config_dir if launch.config_dir is not None else paths.config_dir()
    keymap = load_keymap(config_dir / "keymap.yaml")
    GradesecApp(launch, keymap).run()
