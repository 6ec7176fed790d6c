"""``gradesec drill run SCENARIO``: the usual start-up (keys, store), then straight into a new drill on the
drill screen (``drill.py``)."""

from __future__ import annotations

from pathlib import Path


def run_drill_tui(store_dir: Path, scenario_id: str, catalog_dirs: list[Path]) -> None:
    import gradesec.tui.app as app_module
    from gradesec import paths
    from gradesec.tui.app import GradesecApp, load_keymap
    from gradesec.tui.screens.drill import DrillScreen
    from gradesec.tui.session import Launch, Nav

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

    launch = Launch(store_dir, catalog_dirs=list(catalog_dirs))
    DrillRunnerApp(launch, load_keymap(paths.config_dir() / "keymap.yaml")).run()
