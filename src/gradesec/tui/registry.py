"""Screens that features plug into the shell: one module under ``screens/`` plus one line in ``SCREENS``.

A registered screen gets a binding on the home and workspace screens and a command in the palette. It is
built lazily (the module is imported only when the screen is first opened, so start-up stays quick) with one
argument, the :class:`~gradesec.tui.session.Nav` of where the user is: the session and the selected unit,
system and inspection. See docs/tui.md, "Adding a screen".
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Literal

Needs = Literal["nothing", "system", "inspection"]


@dataclass(frozen=True)
class ScreenSpec:
    """How the shell offers one feature screen."""

    id: str  # unique, also the binding id suffix: ``screen.<id>``
    title: str  # i18n key of the name shown in the footer, palette and help
    target: str  # ``module:Class`` of a Screen whose __init__ takes one Nav
    key: str  # default key on the home and workspace screens (users may remap by binding id)
    needs: Needs = "nothing"  # what must be selected before the screen makes sense
    footer: bool = True  # shown in the footer (else only in the palette and the help: an occasional action)

    @property
    def binding_id(self) -> str:
        return f"screen.{self.id}"

    def load(self) -> type:
        module_name, _, cls_name = self.target.partition(":")
        cls = getattr(importlib.import_module(module_name), cls_name)
        if not isinstance(cls, type):
            raise TypeError(self.target)
        return cls


SCREENS: list[ScreenSpec] = [
    ScreenSpec("verify", "tui.nav.verify", "gradesec.tui.screens.verify:VerifyScreen", "V"),
    ScreenSpec("drill", "drill.tui.nav", "gradesec.tui.screens.drill:DrillScreen", "D"),
    ScreenSpec("remedy", "remedy.tui.title", "gradesec.tui.screens.remedy:RemedyScreen", "R"),
    ScreenSpec(
        "report",
        "official.tui.title",
        "gradesec.tui.screens.report_editor:ReportEditorScreen",
        "W",
        "inspection",
    ),
    ScreenSpec(
        "import", "officer.import.title", "gradesec.tui.screens.bundle_import:ImportScreen", "B", footer=False
    ),
    # Features add one line here, e.g.
    # ScreenSpec("bundle", "bundle.tui.title", "gradesec.tui.screens.bundle:BundleScreen", "B", "inspection"),
]


def spec(screen_id: str) -> ScreenSpec:
    for entry in SCREENS:
        if entry.id == screen_id:
            return entry
    raise LookupError(screen_id)
