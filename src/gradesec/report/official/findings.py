"""The official report's chapters 4–8: the overall assessment (severity changes), the risk analysis (表5-1, the
major hazards of 表5-2), the overall evaluation (表6-1), the conclusion (表7-1) and the remediation advice
(表8-1, 表8-2)."""

from __future__ import annotations

from gradesec.report.official.content import (
    Builder,
    conclusion_table,
    major_summary,
    problem_text,
    rate_text,
    risk_text,
)


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
                    problem_text(p),
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
            problem_text(p),
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
            f"{p.no} {problem_text(p)}",
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
    rows = [(p.no, problem_text(p), risk_text(b, p.risk), b.cell(f"advice.{p.key}")) for p in m.problems]
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
        (p.no, problem_text(p), b.cell(f"advice.{p.key}"), b.cell(f"major.{p.key}.remediated"))
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
