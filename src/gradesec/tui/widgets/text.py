"""Widgets whose text is a message key, so a language switch re-renders them in place.

Any widget may take part in a language switch by defining ``relabel()``: the app calls it on every widget of
every screen on the stack after ``i18n.set_lang``.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual.widgets import Button, Label, Static

from gradesec.i18n import t


@runtime_checkable
class Relabels(Protocol):
    def relabel(self) -> None: ...


class TLabel(Label):
    """A label showing ``t(key, **fields)``."""

    def __init__(self, key: str, *, id: str | None = None, classes: str | None = None, **fields: Any) -> None:
        self.key = key
        self.fields = fields
        super().__init__(t(key, **fields), id=id, classes=classes, markup=False)

    def set_key(self, key: str, **fields: Any) -> None:
        self.key = key
        self.fields = fields
        self.relabel()

    def relabel(self) -> None:
        self.update(t(self.key, **self.fields))


class TStatic(Static):
    """A block of text from a message key (may wrap)."""

    def __init__(self, key: str, *, id: str | None = None, classes: str | None = None, **fields: Any) -> None:
        self.key = key
        self.fields = fields
        super().__init__(t(key, **fields), id=id, classes=classes, markup=False)

    def relabel(self) -> None:
        self.update(t(self.key, **self.fields))


class TButton(Button):
    """A button whose label is a message key."""

    def __init__(
        self,
        key: str,
        *,
        id: str | None = None,
        variant: Any = "default",
        classes: str | None = None,
        compact: bool = False,
    ) -> None:
        self.key = key
        super().__init__(t(key), id=id, variant=variant, classes=classes, compact=compact)

    def relabel(self) -> None:
        self.label = t(self.key)
