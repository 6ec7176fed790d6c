"""Forms of the workspace: the reason for n/a, the note, the method, an evidence file, the issue's risk, and
a reviewer's ruling on a disagreement."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, DirectoryTree, Input, Label

from gradesec.i18n import t
from gradesec.tui.screens.form import Field, FormModal
from gradesec.tui.widgets.text import TButton, TLabel

if TYPE_CHECKING:
    from gradesec.assess.model import Issue


def na_form(reason: str, subject: str = "") -> FormModal:
    return FormModal(
        "tui.finding.na_title",
        [Field("reason", "tui.finding.na_reason", value=reason, required=True)],
        subject=subject,
    )


def note_form(note: str, subject: str = "") -> FormModal:
    return FormModal(
        "tui.finding.note_title", [Field("note", "tui.finding.note", "area", value=note)], subject=subject
    )


def method_form(methods: list[str], current: str, subject: str = "") -> FormModal:
    def options() -> list[tuple[str, str]]:
        return [(t(f"tui.method.{m}"), m) for m in methods]

    return FormModal(
        "tui.finding.method_title",
        [Field("method", "tui.finding.method", "select", options=options, value=current)],
        subject=subject,
    )


def ruling_form(competing: list[tuple[str, str]], subject: str = "") -> FormModal:
    """Pick the result that stands and say why; ``competing`` is (author name, result), shown as the hint."""
    results = ("compliant", "partial", "noncompliant", "na")

    def options() -> list[tuple[str, str]]:
        return [(t(f"tui.result.{r}"), r) for r in results]

    class RulingForm(FormModal):
        def changed(self, values: dict[str, str]) -> None:
            self.set_hint(
                "\n".join(
                    t("tui.finding.ruling_by", who=who, result=t(f"tui.result.{r}")) for who, r in competing
                )
            )

    return RulingForm(
        "tui.finding.ruling_title",
        [
            Field("result", "tui.finding.ruling_result", "select", options=options, required=True),
            Field("reason", "tui.finding.reason", required=True),
        ],
        subject=subject,
    )


def _completions(value: str) -> str | None:
    """The first file or folder that completes ``value`` (``~`` expanded)."""
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, _, stem = expanded.rpartition(os.sep)
    base = Path(folder or ("/" if expanded.startswith(os.sep) else "."))
    try:
        names = sorted(entry.name for entry in os.scandir(base) if entry.name.startswith(stem))
    except OSError:
        return None
    for name in names:
        if name.startswith(".") and not stem.startswith("."):
            continue
        full = os.path.join(folder, name) if folder else name
        if (base / name).is_dir():
            full += os.sep
        if value.startswith("~"):
            full = "~" + full[len(os.path.expanduser("~")) :]
        return full
    return None


class PathSuggester(Suggester):
    """Completes file paths; the directory is read in a thread so typing never waits on the disk."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(_completions, value)


class PathForm(FormModal):
    """A form for the path of one file: checked before the form closes (a wrong path stays typed, with the
    reason below it), completed as you type, or chosen with the file picker (Browse, ``ctrl+o``)."""

    browse_from = Path.home  # where the picker opens when nothing usable is typed

    def more_buttons(self) -> list[Button]:
        return [TButton("tui.evidence.browse", id="browse", compact=True)]

    def check(self, values: dict[str, str]) -> str | None:
        problem = super().check(values)
        if problem is not None:
            return problem
        path = Path(os.path.expanduser(values["path"].strip()))
        if path.is_dir():
            return "tui.evidence.is_folder"
        if not path.is_file():
            return "tui.evidence.missing"
        try:
            with path.open("rb"):
                pass
        except OSError:
            return "tui.evidence.unreadable"
        return None

    @on(Button.Pressed, "#browse")
    def action_browse(self) -> None:
        typed = os.path.expanduser(self.values()["path"].strip())
        start = Path(typed) if typed else type(self).browse_from()
        while not start.is_dir() and start != start.parent:
            start = start.parent
        if not start.is_dir():
            start = Path.home()

        def chosen(path: Path | None) -> None:
            if path is not None:
                field = self.query_one("#field-path", Input)
                field.value = str(path)
                field.focus()

        self.app.push_screen(FilePicker(start), chosen)


class EvidenceForm(PathForm):
    """The path of an evidence file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "browse", "tui.evidence.browse", id="evidence.browse"),
    ]

    def __init__(self, subject: str = "") -> None:
        super().__init__(
            "tui.finding.evidence_title",
            [
                Field(
                    "path",
                    "tui.finding.evidence_path",
                    required=True,
                    suggester=PathSuggester(),
                    placeholder="tui.finding.evidence_placeholder",
                )
            ],
            subject=subject,
        )


class FilePicker(ModalScreen[Path | None]):
    """Pick one file from a folder tree (Enter on a file chooses it; Backspace goes up a folder)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel", id="picker.cancel"),
        Binding("backspace", "up", "tui.evidence.up", id="picker.up"),
    ]

    def __init__(self, start: Path, title: str = "tui.evidence.pick_title") -> None:
        super().__init__()
        self.start = start
        self.title_key = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker-dialog"):
            yield TLabel(self.title_key, classes="dialog-title")
            yield Label(str(self.start), id="picker-folder", classes="hint", markup=False)
            yield DirectoryTree(self.start, id="picker-tree")

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(Path(event.path))

    def action_up(self) -> None:
        tree = self.query_one(DirectoryTree)
        parent = Path(tree.path).parent
        tree.path = parent
        self.query_one("#picker-folder", Label).update(str(parent))

    def action_cancel(self) -> None:
        self.dismiss(None)


def evidence_form(subject: str = "") -> FormModal:
    return EvidenceForm(subject)


class RiskForm(FormModal):
    """Rate an issue: high, medium or low. A downgrade of a suggested high needs one of the mitigations the
    matching case allows (``mitigations``: (label, id) pairs) and a reason."""

    def __init__(self, issue: Issue, mitigations: Sequence[tuple[str, str]] = (), subject: str = "") -> None:
        self.issue = issue
        self.mitigations = list(mitigations)

        def allowed() -> list[tuple[str, str]]:
            return [(t("risk.tui.no_mitigation"), ""), *self.mitigations]

        def risks() -> list[tuple[str, str]]:
            return [(t(f"tui.risk.{r}"), r) for r in ("high", "medium", "low")]

        def yes_no() -> list[tuple[str, str]]:
            return [(t("word.no"), "no"), (t("word.yes"), "yes")]

        super().__init__(
            "tui.finding.risk_title",
            [
                Field(
                    "risk",
                    "tui.finding.risk",
                    "select",
                    options=risks,
                    value=issue.effective or "medium",
                    required=True,
                ),
                Field(
                    "mitigation",
                    "risk.tui.mitigation",
                    "select",
                    options=allowed,
                    value=issue.mitigations[0][1] if issue.mitigations else "",
                ),
                Field("compensation", "tui.finding.compensation", value=issue.compensation),
                Field("reason", "tui.finding.reason", value=issue.reason),
                Field(
                    "major",
                    "tui.finding.major",
                    "select",
                    options=yes_no,
                    value="yes" if issue.major else "no",
                    required=True,
                ),
            ],
            subject=subject,
        )

    def changed(self, values: dict[str, str]) -> None:
        if self.issue.suggested == "high":
            hint = t("tui.finding.suggested_high", cases=", ".join(self.issue.cases))
            if values["risk"] != "high":
                hint += "\n" + t("risk.tui.downgrade_needs" if self.mitigations else "risk.tui.no_downgrade")
            self.set_hint(hint)
        else:
            self.set_hint(t("tui.finding.no_case"))

    def check(self, values: dict[str, str]) -> str | None:
        problem = super().check(values)
        if problem is not None:
            return problem
        downgrade = self.issue.suggested == "high" and values["risk"] != "high"
        if downgrade and not self.mitigations:
            return "risk.tui.no_downgrade"
        if downgrade and not (values["mitigation"] and values["reason"].strip()):
            return "risk.tui.downgrade_needs"
        return None
