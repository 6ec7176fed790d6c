"""The official report's front pages: the cover, the basic-information table, the statement, the conclusion
table and, where the inspection has those extension sets, the conclusion extension tables (云计算安全, 大数据安全);
the 2021 template adds the overall evaluation and the main problems before the table of contents."""

from __future__ import annotations

from gradesec.assess.report_fields import EXTENSION_TABLES, FIELDS, service_rows
from gradesec.report.official.blocks import Heading, PageBreak, Toc
from gradesec.report.official.content import (
    RESULT_KEYS,
    Builder,
    conclusion_table,
    level_text,
    rate_text,
)
from gradesec.report.official.findings import advice_table


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
        rows.append((b.tr("official.cover.witness"), b.tr("report.paren", text=witness.id, inner=witness.at)))
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


def extension_results(b: Builder, ext: str) -> dict[str, int]:
    """How the inspection's items of one extension set stand: items, and results by kind (``untested`` too)."""
    d = b.i.data
    ids = {i.id for i in d.items if i.extension == ext}
    counts = {"items": len(ids), **{k: 0 for k in RESULT_KEYS}, "untested": 0}
    for row in d.results:
        if row.item_id in ids:
            key = row.result if row.result in RESULT_KEYS else "untested"
            counts[key] += 1
    return counts


def extension_conclusions(b: Builder) -> None:
    """等级测评结论扩展表 (云计算安全, 大数据安全): one per extension set the inspection has."""
    d = b.i.data
    present = {i.extension for i in d.items if i.extension}
    for ext in (e for e in EXTENSION_TABLES if e in present):
        name = b.tr(f"official.ext_short.{ext}")
        title = b.tr("official.s.ext_conclusion", name=name)
        b.blocks.append(Heading(title, 1, toc=False, new_page=True))
        paths = [p.pattern for p in FIELDS if p.extension == ext and not p.pattern.endswith(".services")]
        rows: list[tuple[str, ...]] = [(b.label(path), b.cell(path)) for path in paths]
        rows.append(
            (b.tr("official.ext.results"), b.tr("official.ext.results_text", **extension_results(b, ext)))
        )
        rows.append((b.tr("official.conclusion"), d.conclusion))
        if b.i.edition == "2025":
            rows.append((b.tr("official.rate"), rate_text(d)))
        else:
            rows.append((b.tr("official.score"), "—" if d.score is None else f"{d.score:.2f}"))
        b.table(title, (), rows, (1, 3), pairs=True)
        services = f"ext.{ext}.services"
        text, style = b.value(services)
        listed = service_rows(b.i.model.text(services)) if style != "missing" else []
        if style == "draft":
            listed = [(b.tr("official.draft_mark") + s, e) for s, e in listed]
        b.table(
            b.tr(f"official.t.ext_services.{ext}"),
            (b.tr("official.ext.service"), b.tr("official.ext.evaluation")),
            listed or [(text, "")],
            (3, 2),
        )


def front(b: Builder) -> None:
    cover(b)
    basic_info(b)
    statement(b)
    conclusion_table(b, in_front=True)
    extension_conclusions(b)
    if b.i.edition == "2021":
        b.blocks.append(Heading(b.tr("official.s.evaluation"), 1, toc=False))
        b.fieldpara("evaluation")
        b.blocks.append(Heading(b.tr("official.s.main_problems"), 1, toc=False))
        advice_table(b)
    b.blocks.append(Toc(b.tr("official.s.contents")))
