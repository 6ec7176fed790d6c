"""The official inspection report (2025 or 2021 template) as blocks: front pages and chapters.

Fields the inspector has not written print their generated draft marked 【草稿】/[Draft], or a 【待填写】/[Missing]
placeholder naming the field, so the report always builds and says what it still needs. The appendices are in
``appendix``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gradesec.assess.report_fields import label_key
from gradesec.i18n import t
from gradesec.report.data import RISKS, ReportData
from gradesec.report.official.blocks import Block, Document, Heading, Para, Table
from gradesec.usecases.report_drafts import Problem
from gradesec.usecases.report_fields import ReportModel

RESULT_KEYS: tuple[str, ...] = ("compliant", "partial", "noncompliant", "na")


@dataclass
class OfficialInputs:
    """Everything the official report prints: the report data, the inspector's fields and the template."""

    data: ReportData
    model: ReportModel
    edition: str  # 2025 | 2021
    number: str
    statement: str
    title: str
    cases: dict[str, str] = field(default_factory=dict)  # high-risk case id -> title
    images: dict[str, bytes] = field(default_factory=dict)  # sha256 -> bytes of report images
    # 重大风险隐患 triggers of the reference list: id, title, guidance.
    triggers: list[tuple[str, str, str]] = field(default_factory=list)
    conditions: list[str] = field(
        default_factory=list
    )  # the system's conditions (业务连续性要求高, 关键行业)


class Builder:
    """Appends blocks and numbers the tables of each chapter (表1-1, 表5-2, 表A-3 …)."""

    def __init__(self, inputs: OfficialInputs) -> None:
        self.i = inputs
        self.lang = inputs.data.lang
        self.blocks: list[Block] = []
        self.chapter = ""
        self.table_no = 0
        self.chapter_no = 0
        self.section_no = 0

    # -- texts ----------------------------------------------------------------------------------------------
    def tr(self, key: str, **fields: object) -> str:
        return t(key, lang=self.lang, **fields)

    def label(self, path: str) -> str:
        state = self.i.model.get(path)
        return self.tr(label_key(state.spec.pattern)) if state is not None else path

    def value(self, path: str) -> tuple[str, str]:
        """What the report prints for a field, and its paragraph style."""
        state = self.i.model.get(path)
        if state is None or state.status == "missing":
            if state is not None and not state.mandatory:
                return "", "body"  # an optional field left empty prints nothing
            return self.tr("official.missing", field=self.label(path)), "missing"
        text = self.choice(state.spec.choices, state.text) if state.spec.kind == "choice" else state.text
        if state.spec.kind == "list":
            text = self.threat_names(state.value if isinstance(state.value, list) else [])
        if state.status == "draft":
            return self.tr("official.draft_mark") + text, "draft"
        return text, "body"

    def cell(self, path: str) -> str:
        return self.value(path)[0]

    def choice(self, choices: tuple[str, ...], value: str) -> str:
        return self.tr(f"official.choice.{value}") if value in choices else value

    def threat_names(self, ids: list[str]) -> str:
        threats = self.i.model.threats
        names = []
        for tid in ids:
            th = threats.get(tid) if threats is not None else None
            names.append(f"{tid} {th.name.get(self.lang)}" if th is not None else tid)
        return self.tr("official.list_sep").join(names)

    # -- blocks ---------------------------------------------------------------------------------------------
    def h1(self, key: str, **fields: object) -> None:
        self.chapter_no += 1
        self.chapter = str(self.chapter_no)
        self.table_no = 0
        self.section_no = 0
        self.blocks.append(Heading(self.tr(key, n=self.chapter_no, **fields), 1, new_page=True))

    def appendix(self, letter: str, key: str) -> None:
        self.chapter = letter
        self.table_no = 0
        self.section_no = 0
        self.blocks.append(Heading(self.tr(key, letter=letter), 1, new_page=True))

    def h(self, text: str, level: int = 2) -> None:
        """A section heading; level-2 headings are numbered within the chapter (3.1, 3.2 …)."""
        if level == 2:
            self.section_no += 1
            text = f"{self.chapter}.{self.section_no} {text}"
        self.blocks.append(Heading(text, level))

    def para(self, text: str, style: str = "body") -> None:
        self.blocks.append(Para(text, style))  # type: ignore[arg-type]

    def fieldpara(self, path: str) -> None:
        text, style = self.value(path)
        for part in text.split("\n") if style != "missing" else [text]:
            if part.strip():
                self.para(part, style)

    def table(
        self,
        title: str,
        header: tuple[str, ...],
        given: Sequence[tuple[str, ...]],
        widths: tuple[float, ...],
        *,
        pairs: bool = False,
    ) -> None:
        rows = list(given)
        numbered: tuple[str, int, str, str] | None = None
        if self.chapter:
            self.table_no += 1
            mark = "\x00"  # where the number goes, so the DOCX can write it as a field
            before, after = self.tr("official.caption", chapter=self.chapter, n=mark, title=title).split(mark)
            numbered = (before, self.table_no, after, self.chapter)
            caption = f"{before}{self.table_no}{after}"
        else:  # the front pages' tables carry their title without a number
            caption = title
        if not rows and not pairs:
            rows = [(self.tr("official.none"), *([""] * (len(header) - 1)))]
        self.blocks.append(Table(caption, header, rows, widths, pairs, numbered))


def level_text(b: Builder, level: int) -> str:
    return b.tr(f"report.level.{level}") if b.lang == "zh" else b.tr("report.level_name", level=level)


def risk_text(b: Builder, risk: str | None) -> str:
    return b.tr(f"report.risk.{risk}") if risk else b.tr("report.risk.unrated")


def major_summary(b: Builder) -> str:
    """重大风险隐患 as the front page writes it: ``N（M个已整改）``."""
    n, m = b.i.model.major_count()
    return b.tr("official.major_count", n=n, m=m)


def risk_counts(problems: list[Problem]) -> dict[str, int]:
    return {r: sum(1 for p in problems if p.risk == r) for r in RISKS}


def problem_text(p: Problem) -> str:
    """A problem as the tables name it: the item id and the finding (or the item's text when none was written)."""
    return f"{p.item_id} {p.note}" if p.note else f"{p.item_id} {p.item_text}"


def rate_text(data: ReportData) -> str:
    return "—" if data.compliance_rate is None else f"{data.compliance_rate:.2f}%"


def conclusion_table(b: Builder, *, in_front: bool) -> None:
    d = b.i.data
    counts = risk_counts(b.i.model.problems)
    header: tuple[str, ...]
    row: tuple[str, ...]
    if b.i.edition == "2025":
        header = (
            b.tr("official.cover.system"),
            b.tr("official.level"),
            b.tr("official.rate"),
            b.tr("official.problems_hml"),
            b.tr("official.major"),
            b.tr("official.conclusion"),
        )
        hml = b.tr("official.hml", high=counts["high"], medium=counts["medium"], low=counts["low"])
        row = (d.system_name, level_text(b, d.level), rate_text(d), hml, major_summary(b), d.conclusion)
        widths: tuple[float, ...] = (2.2, 1.2, 1.2, 2.0, 1.6, 1.4)
    else:
        header = (
            b.tr("official.cover.system"),
            b.tr("official.level"),
            b.tr("official.score"),
            b.tr("official.problems_hml"),
            b.tr("official.conclusion"),
        )
        hml = b.tr("official.hml", high=counts["high"], medium=counts["medium"], low=counts["low"])
        score = "—" if d.score is None else f"{d.score:.2f}"
        row = (d.system_name, level_text(b, d.level), score, hml, d.conclusion)
        widths = (2.4, 1.2, 1.2, 2.2, 1.4)
    title = b.tr("official.t.conclusion")
    if in_front:
        b.blocks.append(Heading(title, 1, toc=False, new_page=True))
    b.table(title, header, [row], widths)
    if d.provisional:
        b.para(b.tr("official.provisional"), "note")
    if d.score_note:
        b.para(d.score_note, "note")


def build_document(inputs: OfficialInputs) -> Document:
    """The official report's blocks in the template's order: front pages, chapters, appendices."""
    from gradesec.report.official.appendix import appendices
    from gradesec.report.official.chapters import chapter_object, chapter_project, chapter_results
    from gradesec.report.official.findings import (
        chapter_advice,
        chapter_conclusion,
        chapter_evaluation,
        chapter_overall,
        chapter_risk,
    )
    from gradesec.report.official.front import front

    b = Builder(inputs)
    front(b)
    chapter_project(b)
    chapter_object(b)
    chapter_results(b)
    chapter_overall(b)
    chapter_risk(b)
    if inputs.edition == "2025":
        chapter_evaluation(b)
    chapter_conclusion(b)
    chapter_advice(b)
    appendices(b)
    d = inputs.data
    return Document(inputs.title, inputs.edition, d.lang, inputs.number, d.system_name, b.blocks)
