"""A user's own .docx template, rendered with docxtpl in a Jinja2 sandbox.

A template file is untrusted input (it may come from anyone), so it is rendered in a
``jinja2.sandbox.SandboxedEnvironment``: an expression that reaches for Python internals
(``{{ ''.__class__.__mro__ }}`` and the like) is refused with a clear message, and nothing is written. The
context is plain data: ``report`` (number, title, system, unit, level, conclusion, rate, score, edition, date),
``fields`` (every report field by path, e.g. ``fields['unit.contact']``), ``problems`` (no, item, control,
object, problem, risk, assets, threats, analysis, advice), ``categories`` (name, measures, problems) and
``assets`` (name, kind, address, use, importance).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gradesec.errors import GradesecError
from gradesec.i18n import t
from gradesec.report.official import atomic
from gradesec.report.official.content import Builder, OfficialInputs, rate_text, risk_text


def template_context(inputs: OfficialInputs) -> dict[str, Any]:
    """The data a user template sees: plain strings, lists and mappings."""
    b = Builder(inputs)
    d = inputs.data
    m = inputs.model
    names = {c.code: c.name for c in d.categories}
    return {
        "report": {
            "number": inputs.number,
            "title": inputs.title,
            "system": d.system_name,
            "unit": d.unit_name,
            "level": d.level,
            "conclusion": d.conclusion,
            "rate": rate_text(d),
            "score": "" if d.score is None else f"{d.score:.2f}",
            "edition": inputs.edition,
            "date": m.text("report.date") or d.generated.isoformat(),
        },
        "fields": {path: b.cell(path) for path in m.fields},
        "problems": [
            {
                "no": p.no,
                "item": p.item_id,
                "control": p.control_name,
                "object": p.asset_name,
                "problem": p.note or p.item_text,
                "risk": risk_text(b, p.risk),
                "assets": b.cell(f"risk.{p.key}.assets"),
                "threats": b.cell(f"risk.{p.key}.threats"),
                "analysis": b.cell(f"risk.{p.key}.analysis"),
                "advice": b.cell(f"advice.{p.key}"),
            }
            for p in m.problems
        ],
        "categories": [
            {
                "name": names.get(code, code),
                "measures": b.cell(f"narrative.{code}.measures"),
                "problems": b.cell(f"narrative.{code}.problems"),
            }
            for code in m.categories
        ],
        "assets": [
            {
                "name": a.name,
                "kind": a.kind_name,
                "address": a.address,
                "use": a.role,
                "importance": a.importance,
            }
            for a in d.assets
        ],
    }


def render_user_template(inputs: OfficialInputs, template: Path, out: Path) -> int:
    """Render ``template`` (a .docx with docxtpl placeholders) into ``out``; returns the document's table count."""
    import zipfile

    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    if not template.is_file():
        raise GradesecError(
            t("official.user_template.missing", path=template), t("official.user_template.hint")
        )
    try:
        doc = DocxTemplate(str(template))
        doc.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise GradesecError(
            t("official.user_template.bad", path=template, detail=str(exc)), t("official.user_template.hint")
        ) from None
    env = SandboxedEnvironment(autoescape=False)
    try:
        doc.render(template_context(inputs), jinja_env=env, autoescape=True)
    except SecurityError as exc:
        raise GradesecError(
            t("official.user_template.unsafe", path=template, detail=str(exc)),
            t("official.user_template.unsafe.hint"),
        ) from None
    except TemplateError as exc:
        raise GradesecError(
            t("official.user_template.bad", path=template, detail=str(exc)), t("official.user_template.hint")
        ) from None
    with atomic(out) as part:
        doc.save(str(part))
    return len(doc.docx.tables)
