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
from gradesec.report.official.blocks import Block, Document, Heading, Image, PageBreak, Para, Table, Toc
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
        if self.chapter:
            self.table_no += 1
            caption = self.tr("official.caption", chapter=self.chapter, n=self.table_no, title=title)
        else:  # the front pages' tables carry their title without a number
            caption = title
        if not rows and not pairs:
            rows = [(self.tr("official.none"), *([""] * (len(header) - 1)))]
        self.blocks.append(Table(caption, header, rows, widths, pairs))


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


def rate_text(data: ReportData) -> str:
    return "—" if data.compliance_rate is None else f"{data.compliance_rate:.2f}%"


# --- front pages ------------------------------------------------------------------------------------------------


def cover(b: Builder) -> None:
    d = b.i.data
    if b.i.edition == "2025":
        b.para(b.tr("official.edition_2025"), "edition")
    b.para(b.i.title, "title")
    b.para(b.tr("official.cover.number", number=b.i.number), "subtitle")
    rows = [
        (b.tr("official.cover.system"), d.system_name),
        (b.tr("official.cover.unit"), d.unit_name),
        (b.tr("official.cover.org"), b.cell("org.name")),
        (b.tr("official.cover.date"), b.i.model.text("report.date") or d.generated.isoformat()),
    ]
    witness = d.integrity.witness
    if witness is not None:
        rows.append((b.tr("official.cover.witness"), f"{witness.id} ({witness.at})"))
        rows.append((b.tr("official.cover.witness_hash"), witness.hash))
    else:
        rows.append((b.tr("official.cover.witness"), b.tr("official.cover.witness_none")))
    b.table("", (), [tuple(r) for r in rows], (1, 3), pairs=True)
    b.blocks.append(PageBreak())


def basic_info(b: Builder) -> None:
    d = b.i.data
    b.blocks.append(Heading(b.tr("official.s.basic_info"), 1, toc=False))
    rows: list[tuple[str, ...]] = [
        (b.tr("official.cover.system"), d.system_name),
        (b.tr("official.level"), level_text(b, d.level)),
        (b.label("system.filing_no"), b.cell("system.filing_no")),
        (b.tr("official.cover.unit"), d.unit_name),
    ]
    for path in ("unit.address", "unit.contact", "unit.phone", "unit.email"):
        rows.append((b.label(path), b.cell(path)))
    rows.append((b.tr("official.cover.org"), b.cell("org.name")))
    for path in ("org.code", "org.address", "org.contact", "org.phone", "org.email"):
        rows.append((b.label(path), b.cell(path)))
    for role in ("prepared", "reviewed", "approved"):
        rows.append(
            (b.label(f"sign.{role}"), f"{b.cell(f'sign.{role}')}    {b.i.model.text(f'sign.{role}_date')}")
        )
    b.table(b.tr("official.t.basic_info"), (), rows, (1, 3), pairs=True)


def statement(b: Builder) -> None:
    b.blocks.append(Heading(b.tr("official.s.statement"), 1, toc=False, new_page=True))
    for part in b.i.statement.split("\n"):
        if part.strip():
            b.para(part.strip())


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


def front(b: Builder) -> None:
    cover(b)
    basic_info(b)
    statement(b)
    conclusion_table(b, in_front=True)
    if b.i.edition == "2021":
        b.blocks.append(Heading(b.tr("official.s.evaluation"), 1, toc=False))
        b.fieldpara("evaluation")
        b.blocks.append(Heading(b.tr("official.s.main_problems"), 1, toc=False))
        advice_table(b)
    b.blocks.append(Toc(b.tr("official.s.contents")))


# --- chapters ------------------------------------------------------------------------------------------------------


def chapter_project(b: Builder) -> None:
    b.h1("official.h.project")
    b.h(b.tr("official.s.purpose"))
    b.fieldpara("project.purpose")
    b.h(b.tr("official.s.basis"))
    b.fieldpara("project.basis")
    b.h(b.tr("official.s.process"))
    rows = [
        (b.label(p), b.cell(p))
        for p in ("process.preparation", "process.planning", "process.onsite", "process.reporting")
    ]
    b.table(b.tr("official.t.process"), (b.tr("official.activity"), b.tr("official.dates")), rows, (1, 2))
    b.h(b.tr("official.s.distribution"))
    b.fieldpara("project.distribution")


def _network_image(b: Builder) -> None:
    value = b.i.model.text("object.network_image")
    if not value:
        return
    sha = value.split(" ", 1)[0]
    data = b.i.images.get(sha)
    if data:
        b.blocks.append(Image(data, b.tr("official.figure", n=1, title=b.label("object.network_image"))))


def chapter_object(b: Builder) -> None:
    d = b.i.data
    m = b.i.model
    b.h1("official.h.object")
    b.h(b.tr("official.s.overview"))
    b.h(b.label("system.grading"), 3)
    b.fieldpara("system.grading")
    if b.i.conditions:
        b.para(b.tr("official.conditions", conditions=b.tr("official.list_sep").join(b.i.conditions)))
    for path in ("object.business", "object.technology", "object.network"):
        b.h(b.label(path), 3)
        b.fieldpara(path)
    _network_image(b)
    b.h(b.tr("official.s.indicators"))
    cats = {c.code: c for c in d.categories}
    general = [c for c in m.categories if not c.startswith("PC")]
    other = [c for c in m.categories if c.startswith("PC")]
    for title, codes in ((b.tr("official.t.general"), general), (b.tr("official.t.other"), other)):
        rows = []
        for code in codes:
            controls = [c for c in d.controls if c.category == code]
            for c in controls:
                rows.append((cats[code].name if code in cats else code, c.name, str(c.items)))
        if codes:
            b.table(
                title,
                (b.tr("official.category"), b.tr("official.control"), b.tr("official.items")),
                rows,
                (2, 2, 1),
            )
    na_rows = []
    items = {i.id: i for i in d.items}
    for row in d.results:
        if row.result == "na":
            item = items.get(row.item_id)
            asset = d.asset(row.asset_id)
            na_rows.append(
                (
                    item.control_name if item else "",
                    f"{row.item_id} {item.text if item else ''}",
                    asset.name if asset else row.asset_id,
                    row.note,
                )
            )
    b.table(
        b.tr("official.t.not_applicable"),
        (b.tr("official.control"), b.tr("official.item"), b.tr("official.object"), b.tr("official.reason")),
        na_rows,
        (1.3, 2.5, 1.2, 2),
    )
    b.h(b.tr("official.s.objects"))
    b.fieldpara("object.selection")
    b.para(b.tr("official.see_appendix_a"))


def chapter_results(b: Builder) -> None:
    d = b.i.data
    m = b.i.model
    b.h1("official.h.results")
    names = {c.code: c.name for c in d.categories}
    for code in m.categories:
        if code.startswith("PC"):
            continue
        b.h(names.get(code, code))
        b.h(b.label(f"narrative.{code}.measures"), 3)
        b.fieldpara(f"narrative.{code}.measures")
        b.h(b.label(f"narrative.{code}.problems"), 3)
        b.fieldpara(f"narrative.{code}.problems")
    b.h(b.tr("official.s.other"))
    if m.text("narrative.other") or any(c.startswith("PC") for c in m.categories):
        b.fieldpara("narrative.other")
    else:
        b.para(b.tr("official.none"))
    b.h(b.tr("official.s.verification"))
    if m.text("verify.declined"):
        b.h(b.label("verify.declined"), 3)
        b.fieldpara("verify.declined")
        b.para(f"{b.label('verify.declined_by')}：{b.cell('verify.declined_by')}")
        b.para(b.tr("official.declined_effect"), "note")
    else:
        for kind in ("scan", "pentest"):
            b.h(b.label(f"verify.{kind}"), 3)
            b.para(f"{b.label(f'verify.{kind}_tools')}：{b.cell(f'verify.{kind}_tools')}")
            b.fieldpara(f"verify.{kind}")
    b.h(b.tr("official.s.summary"))
    rows = []
    for c in d.controls:
        counts = c.counts
        rows.append(
            (names.get(c.category, c.category), c.name, *(str(counts.get(k, 0)) for k in RESULT_KEYS))
        )
    head = (
        b.tr("official.category"),
        b.tr("official.control"),
        *(b.tr(f"report.result.{k}") for k in RESULT_KEYS),
    )
    b.table(b.tr("official.t.control_summary"), head, rows, (1.6, 1.8, 0.8, 0.9, 0.9, 0.8))
    problem_rows = [
        (
            p.no,
            names.get(p.category, p.category),
            p.control_name,
            p.asset_name,
            _problem_text(p),
            risk_text(b, p.risk),
        )
        for p in m.problems
    ]
    b.table(
        b.tr("official.t.problems"),
        (
            b.tr("official.no"),
            b.tr("official.category"),
            b.tr("official.control"),
            b.tr("official.object"),
            b.tr("official.problem"),
            b.tr("official.risk"),
        ),
        problem_rows,
        (0.7, 1.2, 1.2, 1.2, 3.2, 0.6),
    )


def _problem_text(p: Problem) -> str:
    return f"{p.item_id} {p.note}" if p.note else f"{p.item_id} {p.item_text}"


def chapter_overall(b: Builder) -> None:
    m = b.i.model
    b.h1("official.h.overall")
    b.h(b.tr("official.s.between_controls"))
    b.fieldpara("overall.controls")
    b.h(b.tr("official.s.between_areas"))
    b.fieldpara("overall.areas")
    b.h(b.tr("official.s.overall_summary"))
    rows = []
    for p in m.problems:
        change = m.text(f"overall.{p.key}.change")
        if change in ("up", "down") or m.text(f"overall.{p.key}.description"):
            rows.append(
                (
                    p.no,
                    _problem_text(p),
                    p.asset_name,
                    b.cell(f"overall.{p.key}.description"),
                    b.choice(("none", "up", "down"), change or "none"),
                )
            )
    b.table(
        b.tr("official.t.overall"),
        (
            b.tr("official.no"),
            b.tr("official.problem"),
            b.tr("official.object"),
            b.tr("official.f.overall.description"),
            b.tr("official.f.overall.change"),
        ),
        rows,
        (0.7, 2.6, 1.2, 2.4, 0.9),
    )


def chapter_risk(b: Builder) -> None:
    m = b.i.model
    b.h1("official.h.risk")
    rows = [
        (
            p.no,
            _problem_text(p),
            b.cell(f"risk.{p.key}.assets"),
            b.cell(f"risk.{p.key}.threats"),
            b.cell(f"risk.{p.key}.analysis"),
            b.cell(f"risk.{p.key}.level"),
        )
        for p in m.problems
    ]
    b.table(
        b.tr("official.t.risk"),
        (
            b.tr("official.no"),
            b.tr("official.problem"),
            b.tr("official.f.risk.assets"),
            b.tr("official.f.risk.threats"),
            b.tr("official.f.risk.analysis"),
            b.tr("official.f.risk.level"),
        ),
        rows,
        (0.6, 2.0, 1.2, 1.3, 2.6, 0.6),
    )
    names = {c.code: c.name for c in b.i.data.categories}
    majors = [
        (
            names.get(p.category, p.category),
            b.cell(f"major.{p.key}.trigger"),
            b.cell(f"major.{p.key}.consequence"),
            f"{p.no} {_problem_text(p)}",
            b.cell(f"risk.{p.key}.assets"),
        )
        for p in m.problems
        if p.major
    ]
    b.table(
        b.tr("official.t.major"),
        (
            b.tr("official.category"),
            b.tr("official.f.major.trigger"),
            b.tr("official.f.major.consequence"),
            b.tr("official.problem"),
            b.tr("official.f.risk.assets"),
        ),
        majors,
        (1.1, 1.2, 2.4, 2.2, 1.2),
    )


def chapter_evaluation(b: Builder) -> None:
    d = b.i.data
    b.h1("official.h.evaluation")
    per_cat: dict[str, dict[str, int]] = {}
    items = {i.id: i for i in d.items}
    for row in d.results:
        if row.result is None or row.item_id not in items:
            continue
        counts = per_cat.setdefault(items[row.item_id].category, {})
        counts[row.result] = counts.get(row.result, 0) + 1
    rows = []
    for c in d.categories:
        counts = per_cat.get(c.code, {})
        scored = sum(counts.get(k, 0) for k in ("compliant", "partial", "noncompliant"))
        rate = f"{counts.get('compliant', 0) / scored * 100:.1f}%" if scored else "—"
        rows.append((c.name, str(scored + counts.get("na", 0)), str(counts.get("compliant", 0)), rate))
    b.table(
        b.tr("official.t.rates"),
        (
            b.tr("official.category"),
            b.tr("official.results_n"),
            b.tr("report.result.compliant"),
            b.tr("official.rate"),
        ),
        rows,
        (2.2, 1.2, 1.2, 1.2),
    )
    b.para(b.tr("official.rate_note"), "note")
    b.fieldpara("evaluation")


def chapter_conclusion(b: Builder) -> None:
    b.h1("official.h.conclusion")
    conclusion_table(b, in_front=False)
    b.para(
        b.tr(
            "official.conclusion_text",
            conclusion=b.i.data.conclusion,
            rate=rate_text(b.i.data),
            major=major_summary(b),
        )
    )


def advice_table(b: Builder) -> None:
    m = b.i.model
    rows = [(p.no, _problem_text(p), risk_text(b, p.risk), b.cell(f"advice.{p.key}")) for p in m.problems]
    b.table(
        b.tr("official.t.advice"),
        (b.tr("official.no"), b.tr("official.problem"), b.tr("official.risk"), b.tr("official.f.advice")),
        rows,
        (0.7, 2.8, 0.7, 3.2),
    )


def chapter_advice(b: Builder) -> None:
    m = b.i.model
    b.h1("official.h.advice")
    advice_table(b)
    rows = [
        (p.no, _problem_text(p), b.cell(f"advice.{p.key}"), b.cell(f"major.{p.key}.remediated"))
        for p in m.problems
        if p.major
    ]
    b.table(
        b.tr("official.t.major_advice"),
        (
            b.tr("official.no"),
            b.tr("official.problem"),
            b.tr("official.f.advice"),
            b.tr("official.f.major.remediated"),
        ),
        rows,
        (0.7, 2.6, 3.0, 1.0),
    )


def build_document(inputs: OfficialInputs) -> Document:
    """The official report's blocks in the template's order: front pages, chapters, appendices."""
    from gradesec.report.official.appendix import appendices

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
