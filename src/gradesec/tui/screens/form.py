"""A modal form: labelled inputs and selects that return their values, or None when cancelled.

Modals only collect input; the screen that opened one calls the use case with the values in a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from gradesec.i18n import t
from gradesec.tui.widgets.text import TButton, TLabel

Kind = Literal["text", "select", "area"]


@dataclass
class Field:
    name: str
    label: str  # message key
    kind: Kind = "text"
    options: Callable[[], Sequence[tuple[str, str]]] | None = (
        None  # (label, value), built in the current language
    )
    value: str = ""
    required: bool = False
    placeholder: str = ""  # message key
    suggester: Suggester | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class FormModal(ModalScreen[dict[str, str] | None]):
    """Subclasses (or callers) give a title key and fields; ``changed`` may update the hint below the form."""

    AUTO_FOCUS = "Input, Select, TextArea"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "tui.key.save", id="form.save"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        submit: str = "tui.button.save",
        *,
        subject: str = "",
        **title_fields: Any,
    ):
        super().__init__()
        self.title_key = title
        self.title_fields = title_fields
        self.fields = fields
        self.submit_key = submit
        self.subject = subject  # what the form acts on (item and asset), shown under the title

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form-dialog"):
            yield TLabel(self.title_key, classes="dialog-title", **self.title_fields)
            if self.subject:
                yield Static(self.subject, id="form-subject", classes="hint", markup=False)
            for f in self.fields:
                yield TLabel(f.label, id=f"label-{f.name}")
                if f.kind == "select":
                    options = list(f.options() if f.options else [])
                    value: Any = f.value if f.value in {v for _l, v in options} else Select.NULL
                    yield Select(
                        options,
                        value=value,
                        allow_blank=not f.required,
                        prompt=t("tui.select.prompt"),
                        id=f"field-{f.name}",
                        compact=True,
                    )
                elif f.kind == "area":
                    yield TextArea(
                        f.value, id=f"field-{f.name}", soft_wrap=True, show_line_numbers=False, compact=True
                    )
                else:
                    yield Input(
                        f.value,
                        placeholder=t(f.placeholder) if f.placeholder else "",
                        suggester=f.suggester,
                        id=f"field-{f.name}",
                        compact=True,
                    )
            yield Label("", id="form-hint", classes="hint", markup=False)
            yield Label("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield from self.more_buttons()
                yield TButton("tui.button.cancel", id="cancel", compact=True)
                yield TButton(self.submit_key, id="submit", variant="primary", compact=True)

    def more_buttons(self) -> list[Button]:
        """Buttons a form adds before Cancel and Save (override)."""
        return []

    def on_mount(self) -> None:
        self.changed(self.values())

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, Select):
                out[f.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, TextArea):
                out[f.name] = widget.text
            elif isinstance(widget, Input):
                out[f.name] = widget.value
        return out

    def changed(self, values: dict[str, str]) -> None:
        """Called whenever a field changes (override to show a live hint)."""

    def set_hint(self, text: str) -> None:
        self.query_one("#form-hint", Label).update(text)

    def check(self, values: dict[str, str]) -> str | None:
        """An error message key when the values cannot be submitted."""
        for f in self.fields:
            if f.required and not values[f.name].strip():
                return "tui.form.required"
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self.is_mounted:
            self.changed(self.values())

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        values = self.values()
        problem = self.check(values)
        if problem is not None:
            missing = next((f for f in self.fields if f.required and not values[f.name].strip()), None)
            label = t(missing.label) if missing is not None else ""
            self.query_one("#form-error", Label).update(t(problem, field=label))
            return
        self.dismiss(values)

    def relabel(self) -> None:
        for f in self.fields:
            if f.kind == "select" and f.options is not None:
                select = self.query_one(f"#field-{f.name}", Select)
                value = select.value
                select.set_options(list(f.options()))
                select.value = value
        self.changed(self.values())
