"""Forms of the workspace: the reason for n/a, the note, the method, an evidence file, the issue's risk, and
a reviewer's ruling on a disagreement."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.suggester import Suggester

from gradesec.i18n import t
from gradesec.tui.screens.form import Field, FormModal

if TYPE_CHECKING:
    from gradesec.assess.model import Issue


def na_form(reason: str) -> FormModal:
    return FormModal(
        "tui.finding.na_title", [Field("reason", "tui.finding.na_reason", value=reason, required=True)]
    )


def note_form(note: str) -> FormModal:
    return FormModal("tui.finding.note_title", [Field("note", "tui.finding.note", "area", value=note)])


def method_form(methods: list[str], current: str) -> FormModal:
    def options() -> list[tuple[str, str]]:
        return [(t(f"tui.method.{m}"), m) for m in methods]

    return FormModal(
        "tui.finding.method_title",
        [Field("method", "tui.finding.method", "select", options=options, value=current)],
    )


def ruling_form(competing: list[tuple[str, str]]) -> FormModal:
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


def evidence_form() -> FormModal:
    return FormModal(
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
    )


class RiskForm(FormModal):
    """Rate an issue: high, medium or low. A downgrade of a suggested high needs one of the mitigations the
    matching case allows (``mitigations``: (label, id) pairs) and a reason."""

    def __init__(self, issue: Issue, mitigations: Sequence[tuple[str, str]] = ()) -> None:
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
