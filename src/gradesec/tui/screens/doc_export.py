"""A small export dialog for the feature screens (the remediation board, the drill): format, language, file.

Returns ``{"fmt", "lang", "path"}`` with ``path`` absolute, or None when cancelled. The path is checked as the
inspection export checks it (``screens.export.check_path``): the extension matches the format and the nearest
existing folder is writable; changing the format changes the extension of the suggested name.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from textual.widgets import Input, Label

from gradesec.i18n import get_lang, t
from gradesec.tui.screens.export import check_path
from gradesec.tui.screens.finding_forms import PathSuggester
from gradesec.tui.screens.form import Field, FormModal


def suggested(stem: str, fmt: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)
    return f"~{os.sep}{safe}.{fmt}"


class DocExportForm(FormModal):
    def __init__(
        self, title: str, stem: str, formats: Sequence[str] = ("pdf", "xlsx"), subject: str = ""
    ) -> None:
        self.formats = tuple(formats)
        self.stem = stem
        fmts = self.formats

        def fmt_options() -> list[tuple[str, str]]:
            return [(t(f"tui.export.format.{f}"), f) for f in fmts]

        def lang_options() -> list[tuple[str, str]]:
            return [(t(f"tui.export.lang.{lang}"), lang) for lang in ("zh", "en")]

        super().__init__(
            title,
            [
                Field(
                    "fmt", "tui.export.format", "select", options=fmt_options, value=fmts[0], required=True
                ),
                Field(
                    "lang", "tui.export.lang", "select", options=lang_options, value=get_lang(), required=True
                ),
                Field(
                    "path",
                    "tui.export.path",
                    value=suggested(stem, fmts[0]),
                    required=True,
                    suggester=PathSuggester(),
                ),
            ],
            "tui.button.export",
            subject=subject,
        )
        self.chosen: Path | None = None

    def changed(self, values: dict[str, str]) -> None:
        fmt = values.get("fmt", "")
        path = values.get("path", "")
        if fmt and path:
            root, ext = os.path.splitext(path)
            if ext.lower().lstrip(".") in self.formats and ext.lower() != f".{fmt}":
                self.query_one("#field-path", Input).value = f"{root}.{fmt}"

    def action_submit(self) -> None:
        values = self.values()
        problem = self.check(values)
        if problem is not None:
            self.query_one("#form-error", Label).update(t(problem, field=t("tui.export.path")))
            return
        path, key, fields = check_path(values["path"], values["fmt"])
        if path is None:
            self.query_one("#form-error", Label).update(t(key or "tui.export.need_path", **fields))
            return
        self.dismiss({**values, "path": str(path)})
