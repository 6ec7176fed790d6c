"""The official report's chapters 1–3: the project (purpose, basis, process, distribution), the object (grading,
business, technology, network, the indicator tables, what does not apply, the objects) and the results per 安全类
(existing measures, main problems, other requirements, verification tests, the summary of problems)."""

from __future__ import annotations

from gradesec.catalog.models import EXTENSIONS
from gradesec.report.official.blocks import Image
from gradesec.report.official.content import (
    RESULT_KEYS,
    Builder,
    problem_text,
    risk_text,
)


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
    ext_of = {i.control: i.extension for i in d.items}
    general = [c for c in m.categories if not c.startswith("PC")]
    other = [c for c in m.categories if c.startswith("PC")]
    for title, codes in ((b.tr("official.t.general"), general), (b.tr("official.t.other"), other)):
        rows = []
        for code in codes:
            for c in (c for c in d.controls if c.category == code and not ext_of.get(c.id)):
                rows.append((cats[code].name if code in cats else code, c.name, str(c.items)))
        if codes:
            b.table(
                title,
                (b.tr("official.category"), b.tr("official.control"), b.tr("official.items")),
                rows,
                (2, 2, 1),
            )
    present = [e for e in EXTENSIONS if e in set(ext_of.values())]
    if present:
        ext_rows = [
            (
                b.tr(f"catalog.ext.name.{ext}"),
                cats[c.category].name if c.category in cats else c.category,
                c.name,
                str(c.items),
            )
            for ext in present
            for c in d.controls
            if ext_of.get(c.id) == ext
        ]
        b.table(
            b.tr("official.t.extension"),
            (
                b.tr("official.extension_set"),
                b.tr("official.category"),
                b.tr("official.control"),
                b.tr("official.items"),
            ),
            ext_rows,
            (1.6, 1.6, 2, 0.8),
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
            problem_text(p),
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
