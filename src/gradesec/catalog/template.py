"""The ``report_template`` document kind: how a report looks, in data a user can copy and edit.

A template names the report it shapes (the inspection report or the remediation plan), the order of its
sections, their titles and fixed texts in both languages, the inspection organisation, the pattern of the report
number, an optional logo (a file beside the template) and the signature blocks (编制 / 审核 / 批准).

Importing this module registers the kind with the catalog loader; the checker reports a logo that is missing.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from gradesec.catalog.loader import register_kind
from gradesec.catalog.models import Id, Strict, Text

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog, Origin
    from gradesec.catalog.yamlsource import Path_

ReportKind = Literal["inspection", "plan"]

# The sections each report knows how to render, in their default order.
INSPECTION_SECTIONS: tuple[str, ...] = (
    "cover",
    "contents",
    "statement",
    "summary",
    "scope",
    "method",
    "results",
    "issues",
    "remediation",
    "records",
    "evidence",
    "integrity",
)
PLAN_SECTIONS: tuple[str, ...] = ("cover", "contents", "summary", "plan", "integrity")
SECTIONS: dict[str, tuple[str, ...]] = {"inspection": INSPECTION_SECTIONS, "plan": PLAN_SECTIONS}
# Sections whose body starts with a fixed text from the template.
NEEDS_TEXT: tuple[str, ...] = ("statement",)
# Fields a report-number pattern may use.
NUMBER_FIELDS: tuple[str, ...] = ("year", "month", "day", "inspection", "short", "system", "level", "kind")


class SignatureBlock(Strict):
    """One signature line (编制 / 审核 / 批准): the role, and optionally a name printed beside it."""

    role: Text
    name: str | None = None


class ReportTemplate(Strict):
    kind: Literal["report_template"]
    id: Id
    report: ReportKind
    title: Text
    organisation: Text | None = None
    number_pattern: Annotated[str, Field(min_length=1, max_length=120)] = "GS-{year}{month}{day}-{short}"
    logo: str | None = None
    confidentiality: Text | None = None
    sections: Annotated[list[str], Field(min_length=1)]
    titles: dict[str, Text] = Field(default_factory=dict)
    texts: dict[str, Text] = Field(default_factory=dict)
    signatures: list[SignatureBlock] = Field(default_factory=list)

    @field_validator("number_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        bad = [f for f in fields if f not in NUMBER_FIELDS]
        if bad:
            raise ValueError(f"unknown field {', '.join(bad)} (known: {', '.join(NUMBER_FIELDS)})")
        return value

    @field_validator("logo")
    @classmethod
    def _relative(cls, value: str | None) -> str | None:
        if value is not None and (value.startswith("/") or ".." in value.replace("\\", "/").split("/")):
            raise ValueError("must be a relative path inside the template's folder")
        return value

    @field_validator("sections", "titles", "texts")
    @classmethod
    def _known_sections(cls, value: Any, info: ValidationInfo) -> Any:
        known = SECTIONS.get(info.data.get("report", ""), ())
        names = list(value)
        unknown = [s for s in names if s not in known]
        if known and unknown:
            raise ValueError(f"unknown section {', '.join(unknown)} (known: {', '.join(known)})")
        if len(set(names)) != len(names):
            raise ValueError("a section is listed twice")
        return value

    @model_validator(mode="after")
    def _texts_present(self) -> ReportTemplate:
        for section in NEEDS_TEXT:
            if section in self.sections and section not in self.texts:
                raise ValueError(f"texts: the section '{section}' needs a text")
        return self

    def section_title(self, section: str, lang: str, default: str) -> str:
        title = self.titles.get(section)
        return title.get(lang) if title else default

    def text(self, section: str, lang: str) -> str:
        text = self.texts.get(section)
        return text.get(lang) if text else ""


def check_template(catalog: Catalog, model: Any, origin: Origin) -> list[tuple[Path_, str]]:
    """The loader's checker: the logo must exist beside the template."""
    from gradesec.i18n import t

    assert isinstance(model, ReportTemplate)
    problems: list[tuple[Path_, str]] = []
    if model.logo is not None and not (origin.source.path.parent / model.logo).is_file():
        problems.append((("logo",), t("report.template.no_logo", path=model.logo)))
    return problems


register_kind("report_template", ReportTemplate, check_template)
