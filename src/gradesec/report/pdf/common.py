"""The parts both PDF documents share: cover, contents, signatures, integrity appendix, and the build driver.

``build`` lays the sections the template lists out in order; each document passes its own table of section
builders (``inspection.SECTIONS``, ``plan.SECTIONS``) for the sections that are not shared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Required, TypedDict

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, Image, KeepTogether, PageBreak, PageTemplate, Spacer

from gradesec.catalog.template import ReportTemplate
from gradesec.errors import GradesecError
from gradesec.i18n import t
from gradesec.report.data import RISKS, IssueRow, ReportData
from gradesec.report.fonts import FontInfo, find_font
from gradesec.report.pdf.kit import (
    FRAME_W,
    HIGH_BG,
    MARGIN,
    PAGE,
    RISK_COLOURS,
    PageDecor,
    Progress,
    ReportDoc,
    Story,
    TocLine,
    canvas_maker,
    fmt_score,
    group4,
    organisation,
    report_number,
    tidy,
)
from gradesec.report.simpledoc import atomic_target, doc_options

Section = Callable[[Story, ReportData, ReportTemplate], None]
"""Adds one section of a document to the story."""


def result_word(s: Story, value: str | None) -> str:
    return s.label(f"report.result.{value}" if value else "report.result.none")


def risk_word(s: Story, risk: str | None) -> str:
    return s.label(f"report.risk.{risk}" if risk else "report.risk.unrated")


def level_name(s: Story, level: int) -> str:
    return s.label("report.level_name", level=level) if s.lang == "en" else s.label(f"report.level.{level}")


def section_title(s: Story, template: ReportTemplate, section: str) -> str:
    return template.section_title(section, s.lang, t(f"report.section.{section}", lang=s.lang))


def open_section(s: Story, template: ReportTemplate, section: str) -> None:
    """Start ``section``: its heading, then the template's own text for it when it has one."""
    s.add(s.heading(section_title(s, template, section)))
    if template.text(section, s.lang):
        s.add(s.para(tidy(template.text(section, s.lang))))


def risk_header(s: Story) -> list[str]:
    """The heads of a count of issues: one column per risk, then unrated, then major."""
    return [
        *(s.label(f"report.risk.{r}") for r in RISKS),
        s.label("report.risk.unrated"),
        s.label("report.major"),
    ]


def _logo(template: ReportTemplate, logo_dir: Path | None) -> Image | None:
    if template.logo is None or logo_dir is None:
        return None
    path = logo_dir / template.logo
    if not path.is_file():
        raise GradesecError(t("report.template.no_logo", path=path), t("report.template.no_logo.hint"))
    try:
        image = Image(str(path))
    except Exception as exc:  # reportlab raises plain exceptions for unreadable images
        raise GradesecError(
            t("report.template.bad_logo", path=path, detail=str(exc)), t("report.template.no_logo.hint")
        ) from None
    scale = min(50 * mm / image.imageWidth, 22 * mm / image.imageHeight)
    image.drawWidth = image.imageWidth * scale
    image.drawHeight = image.imageHeight * scale
    return image


def _cover(
    s: Story, data: ReportData, template: ReportTemplate, number: str, logo: Image | None, plan: bool
) -> None:
    if logo is not None:
        s.add(logo)
    s.add(Spacer(1, 30 * mm if logo is None else 14 * mm))
    s.add(s.para(template.title.get(s.lang), s.title), Spacer(1, 6 * mm))
    s.add(s.para(s.label("report.cover.number", number=number), s.subtitle), Spacer(1, 18 * mm))
    dates = data.started if data.closed in ("", data.started) else f"{data.started} – {data.closed}"
    rows = [
        (s.label("report.field.unit"), data.unit_name),
        (s.label("report.field.system"), data.system_name),
        (s.label("report.field.level"), level_name(s, data.level)),
        (s.label("report.field.organisation"), organisation(template, data)),
        (s.label("report.field.dates"), dates),
        (s.label("report.field.report_date"), data.generated.isoformat()),
    ]
    if plan:
        rows.append((s.label("report.field.issues"), str(len(data.issues))))
    else:
        rows.append((s.label("report.field.conclusion"), _conclusion_line(s, data)))
    s.add(s.pairs(rows))
    if data.provisional:
        s.add(Spacer(1, 6 * mm), s.para(s.label("report.provisional"), s.centre))
    if template.confidentiality is not None:
        s.add(Spacer(1, 20 * mm), s.para(template.confidentiality.get(s.lang), s.centre))
    s.add(PageBreak())


def _conclusion_line(s: Story, data: ReportData) -> str:
    if data.score is None:
        return data.conclusion
    return s.label("report.conclusion_line", conclusion=data.conclusion, score=fmt_score(data.score))


def signatures(s: Story, template: ReportTemplate) -> None:
    if not template.signatures:
        return
    header = [s.label("report.sign.role"), s.label("report.sign.name"), s.label("report.sign.date")]
    rows = [[s.cell_text(b.role.get(s.lang)), s.cell_text(b.name or ""), ""] for b in template.signatures]
    # Tall rows leave room to sign by hand.
    table = s.table(header, rows, [35 * mm, FRAME_W - 80 * mm, 45 * mm], font_size=10, row_height=13 * mm)
    s.add(Spacer(1, 8 * mm), KeepTogether([table]))


def _contents(s: Story, template: ReportTemplate, toc_at: int) -> None:
    """Insert the table of contents at ``toc_at`` once every heading is known."""
    lines: list[Flowable] = [s.heading(section_title(s, template, "contents"), toc=False), Spacer(1, 4 * mm)]
    for key, title, level in s.toc:
        lines.append(TocLine(key, title, level, s.font))
    lines.append(PageBreak())
    s.flow[toc_at:toc_at] = lines


def _integrity(s: Story, data: ReportData, template: ReportTemplate, number: str) -> None:
    s.add(s.heading(section_title(s, template, "integrity")))
    s.add(s.para(s.label("report.integrity.intro", number=number, inspection=data.inspection_id)))
    g = data.integrity
    s.add(s.heading(s.label("report.integrity.signers"), 1))
    rows = [
        [
            s.cell_text(x.name),
            s.cell_text(s.label(f"report.role.{x.role}") if x.role else ""),
            s.cell_text(x.org),
            group4(x.key_id),
        ]
        for x in g.signers
    ]
    for x in g.signers:
        s.note(x.key_id)
    header = [
        s.label(k) for k in ("report.col.name", "report.col.role", "report.col.org", "report.col.key_id")
    ]
    s.add(s.table(header, rows, [35 * mm, 25 * mm, 45 * mm, FRAME_W - 105 * mm]))
    s.add(s.heading(s.label("report.integrity.heads"), 1))
    s.add(s.para(s.label("report.integrity.heads.intro", events=g.events)))
    rows = [[s.cell_text(h.name), str(h.seq), s.cell_text(h.hash, s.tiny)] for h in g.heads]
    header = [s.label(k) for k in ("report.col.author", "report.col.seq", "report.col.head")]
    s.add(s.table(header, rows, [40 * mm, 18 * mm, FRAME_W - 58 * mm]))
    s.add(s.heading(s.label("report.integrity.checkpoints"), 1))
    if g.checkpoints:
        rows = [
            [s.cell_text(c.name), str(c.seq), str(c.count), s.cell_text(c.head, s.tiny), s.cell_text(c.at)]
            for c in g.checkpoints
        ]
        header = [
            s.label(k)
            for k in (
                "report.col.author",
                "report.col.seq",
                "report.col.count",
                "report.col.head",
                "report.col.at",
            )
        ]
        s.add(s.table(header, rows, [32 * mm, 14 * mm, 16 * mm, FRAME_W - 102 * mm, 40 * mm]))
    else:
        s.add(s.para(s.label("report.integrity.no_checkpoint")))
    s.add(s.heading(s.label("report.integrity.catalog"), 1))
    rows = [[s.cell_text(k), s.cell_text(v, s.tiny)] for k, v in sorted(data.pins.items())]
    rows.append(
        [s.cell_text(s.label("report.integrity.catalog_all")), s.cell_text(data.catalog_sha256, s.tiny)]
    )
    header = [s.label("report.col.document"), "SHA-256"]
    s.add(s.table(header, rows, [60 * mm, FRAME_W - 60 * mm]))
    s.add(s.heading(s.label("report.integrity.how"), 1))
    s.add(s.para(s.label("report.integrity.how.text", store=g.store or "DIR", inspection=data.inspection_id)))


def issue_extra(issues: Sequence[IssueRow], first_row: int = 1) -> list[tuple[Any, ...]]:
    extra: list[tuple[Any, ...]] = []
    for i, issue in enumerate(issues, first_row):
        if issue.risk == "high" or issue.major:
            extra.append(("BACKGROUND", (0, i), (-1, i), HIGH_BG))
        extra.append(("TEXTCOLOR", (1, i), (1, i), RISK_COLOURS[issue.risk]))
    return extra


class BuildOptions(TypedDict, total=False):
    """How ``build_inspection_pdf`` and ``build_plan_pdf`` build: language (required), invariant mode, a
    progress callback, the folder the template's logo is in, and a font other than the one found."""

    lang: Required[str]
    invariant: bool
    progress: Progress | None
    logo_dir: Path | None
    font: FontInfo | None


def build(
    data: ReportData,
    template: ReportTemplate,
    out_path: Path,
    *,
    sections: dict[str, Section],
    lang: str,
    invariant: bool = False,
    progress: Progress | None = None,
    logo_dir: Path | None = None,
    font: FontInfo | None = None,
) -> int:
    """Lay out the sections ``template`` lists, shared ones here and the rest from ``sections``; write the
    PDF to ``out_path`` (through a ``.part`` file) and return the page count."""
    font = font or find_font()
    s = Story(font, lang)
    number = report_number(template, data)
    s.note(number)
    toc_at: int | None = None
    for section in template.sections:
        if section == "cover":
            _cover(s, data, template, number, _logo(template, logo_dir), template.report == "plan")
        elif section == "contents":
            toc_at = len(s.flow)
        elif section == "integrity":
            _integrity(s, data, template, number)
        else:
            sections[section](s, data, template)
    if toc_at is not None:
        _contents(s, template, toc_at)
    while s.flow and isinstance(s.flow[-1], PageBreak):
        s.flow.pop()
    s.note(template.title.get(lang))
    font.check(s.texts)

    decor = PageDecor(
        font=font.name,
        header_left=number,
        header_right=f"{template.title.get(lang)} · {data.system_name}",
        footer=t("report.footer", lang=lang),
    )
    with atomic_target(out_path) as tmp:
        doc = ReportDoc(
            str(tmp),
            progress,
            len(s.flow),
            title=f"{template.title.get(lang)} {number}",
            author=organisation(template, data),
            subject=data.system_name,
            **doc_options(margin=MARGIN, lang=lang, invariant=invariant, font=font.name),
        )
        frame = Frame(MARGIN, MARGIN, FRAME_W, PAGE[1] - 2 * MARGIN, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(s.flow, canvasmaker=canvas_maker(decor))
    return int(doc.page)
