"""The official inspection report (网络安全等级测评报告, 2025 or 2021 template) in DOCX and PDF.

``gather`` reads everything through the façade (the report data under the edition's scoring policy, the
inspector's report fields with their drafts, the high-risk case titles, the network diagram from the evidence
store); ``content.build_document`` turns it into neutral blocks; ``docx_out`` and ``pdf_out`` render the same
blocks. ``user_template`` renders a user's own .docx template in a Jinja2 sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from gradesec.assess.report_fields import official_number
from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.catalog.template import ReportTemplate
    from gradesec.report.official.content import OfficialInputs
    from gradesec.usecases.context import Context

EDITIONS: tuple[str, ...] = ("2025", "2021")
__all__ = ["EDITIONS", "IncompleteReport", "atomic", "gather", "official_number"]
POLICY_OF: dict[str, str] = {"2025": "mlps-2025", "2021": "mlps-2021"}


@contextmanager
def atomic(out_path: Path) -> Iterator[Path]:
    """A ``.part`` file beside ``out_path``; renamed into place on success, removed on failure."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    try:
        yield tmp
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)


def gather(
    ctx: Context,
    inspection_id: str,
    lang: str,
    edition: str,
    template: ReportTemplate,
    *,
    strict: bool = False,
    fallback_number: str = "",
) -> OfficialInputs:
    """Everything the official report prints, read through the façade. ``strict`` refuses a report that misses
    a part the template requires, listing every such part."""
    from gradesec.assess.report_fields import label_key
    from gradesec.report.collect import build_report_data
    from gradesec.report.official.content import OfficialInputs
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.report_fields import report_model

    if edition not in EDITIONS:
        raise UsageError(
            t("report.field.bad_template", template=edition), t("report.field.bad_template.hint")
        )
    view = uc.load_inspection(ctx, inspection_id)
    wanted = POLICY_OF[edition]
    policy = wanted if wanted in view.inspection.policies or wanted in ctx.catalog.policies else None
    data = build_report_data(ctx, inspection_id, lang, policy)
    model = report_model(ctx, inspection_id, lang, edition)
    missing = model.missing()
    if strict and (missing or model.drafts()):
        lines = [
            f"{f.path}: {t(label_key(f.spec.pattern), lang=lang)} ({t('official.status.' + f.status, lang=lang)})"
            for f in [*missing, *model.drafts()]
        ]
        raise IncompleteReport(
            t("official.strict", n=len(lines)), t("official.strict.hint", inspection=inspection_id), lines
        )
    cases: dict[str, str] = {}
    for hr in ctx.catalog.high_risk.values():
        for case in hr.cases:
            cases[case.id] = case.title.get(lang)
    triggers: list[tuple[str, str, str]] = []
    for doc in ctx.catalog.extras.get("major_risk_triggers", {}).values():
        for trig in getattr(doc, "triggers", []):
            triggers.append((trig.id, trig.title.get(lang), trig.guidance.get(lang)))
    images: dict[str, bytes] = {}
    image = model.text("object.network_image")
    if image:
        sha = image.split(" ", 1)[0]
        with ctx.store.evidence.open(sha) as fh:
            images[sha] = fh.read()
    filing = model.text("system.filing_no")
    code = model.text("org.code")
    year = int((model.text("report.date") or data.generated.isoformat())[:4])
    number = (
        official_number(filing, code, model.text("report.serial"), year)
        if filing and code
        else fallback_number
    )
    title = t("official.title", lang=lang) if template.id == "inspection" else template.title.get(lang)
    # The shipped template's statement points at gradesec's own appendix letters; the official layout has
    # its own. A user's template (another id) keeps its statement.
    own = template.id != "inspection" and template.text("statement", lang)
    statement = own or t("official.statement", lang=lang)
    text = " ".join(statement.split()) if lang == "en" else _join(statement)
    conditions = [t(f"system.condition.{c}", lang=lang) for c in getattr(view.system, "conditions", ())]
    return OfficialInputs(data, model, edition, number, text, title, cases, images, triggers, conditions)


def _join(text: str) -> str:
    """A folded Chinese YAML text without the spaces folding put between lines."""
    from gradesec.report.official.kinsoku import tidy

    return tidy(text)


class IncompleteReport(GradesecError):
    """``--strict`` and the report misses parts its template requires; ``lines`` names each one."""

    def __init__(self, message: str, hint: str, lines: list[str]) -> None:
        super().__init__(message, hint)
        self.problems = lines
