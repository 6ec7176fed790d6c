"""Reports: the inspection report and the remediation plan (PDF), the record workbook (XLSX), and importing a
record workbook into an inspection.

``export`` is the one entry point the CLI and the TUI call; ``import_workbook`` reads a workbook back. The
builders below it are pure (``pdf.build_inspection_pdf``, ``pdf.build_plan_pdf``, ``xlsx.build_workbook``,
``xlsx.build_plan_workbook``) and read a ``data.ReportData``. This is the only package that imports reportlab,
and it does so lazily: importing ``gradesec.report`` loads neither reportlab nor openpyxl.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from gradesec.errors import NotFoundError, UsageError
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog
    from gradesec.catalog.template import ReportTemplate
    from gradesec.report.workbook.importer import ImportResult
    from gradesec.usecases.context import Context

Kind = Literal["inspection", "plan"]
Format = Literal["pdf", "xlsx", "docx"]
Progress = Callable[[int, int], None]
KINDS: tuple[str, ...] = ("inspection", "plan")
FORMATS: tuple[str, ...] = ("pdf", "xlsx", "docx")
EDITIONS: tuple[str, ...] = ("2025", "2021")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    format: str
    lang: str
    report_number: str
    pages: int  # PDF pages, XLSX sheets, or DOCX tables

    def as_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "format": self.format,
            "lang": self.lang,
            "report_number": self.report_number,
            {"pdf": "pages", "xlsx": "sheets", "docx": "tables"}[self.format]: self.pages,
        }


def find_template(catalog: Catalog, kind: str, template_id: str | None = None) -> tuple[ReportTemplate, Path]:
    """The report template (default: the one whose id is the report kind) and the folder it came from."""
    from gradesec.catalog.template import ReportTemplate

    wanted = template_id or kind
    templates = catalog.extras.get("report_template", {})
    model = templates.get(wanted)
    if not isinstance(model, ReportTemplate):
        raise NotFoundError(
            t("report.no_template", id=wanted),
            t("report.no_template.hint", ids=", ".join(sorted(templates)) or "-"),
        )
    if model.report != kind:
        raise UsageError(
            t("report.template_kind", id=wanted, kind=model.report, wanted=kind),
            t("report.template_kind.hint"),
        )
    return model, catalog.origins[("report_template", wanted)].source.path.parent


def _scaled(progress: Progress | None, start: int) -> Progress | None:
    """Map a builder's (done, total) onto start..100 of one overall bar."""
    if progress is None:
        return None
    report = progress

    def advance(done: int, total: int) -> None:
        report(start + (100 - start) * done // max(total, 1), 100)

    return advance


def export(
    ctx: Context,
    kind: str,
    inspection_id: str,
    fmt: str,
    lang: str,
    out_path: Path,
    progress: Progress | None = None,
    *,
    template_id: str | None = None,
    policy_id: str | None = None,
    invariant: bool = False,
    edition: str | None = None,
    strict: bool = False,
    docx_template: Path | None = None,
) -> ExportResult:
    """Build one report of ``inspection_id`` into ``out_path``.

    ``kind`` is ``inspection`` (the inspection report, or the record workbook as XLSX) or ``plan`` (the
    remediation plan, as PDF or XLSX); ``progress(done, total)`` is called from the calling thread as the build
    advances (total 100). Nothing is left at ``out_path`` when the build fails.

    ``edition`` (``2025`` or ``2021``) builds the official report of that template (the default for DOCX is
    2025); ``strict`` refuses it while a part the template requires is missing; ``docx_template`` renders a
    user's own .docx template (docxtpl placeholders, in a Jinja2 sandbox) instead of the built-in layout.
    """
    from gradesec.report.collect import build_report_data
    from gradesec.report.pdf import report_number

    if kind not in KINDS:
        raise UsageError(t("report.bad_kind", kind=kind), t("report.bad_kind.hint"))
    if fmt not in FORMATS:
        raise UsageError(t("report.bad_format", fmt=fmt), t("report.bad_format.hint"))
    if lang not in ("zh", "en"):
        raise UsageError(t("error.bad_lang", lang=lang), t("error.bad_lang.hint"))
    if template_id in EDITIONS:
        edition, template_id = template_id, None
    if fmt == "docx" and kind == "inspection" and edition is None:
        edition = "2025"
    if fmt == "docx" and kind != "inspection":
        raise UsageError(t("report.bad_format", fmt=fmt), t("official.docx_kind.hint"))
    template, folder = find_template(ctx.catalog, kind, template_id)
    if progress is not None:
        progress(0, 100)
    if edition is not None and kind == "inspection":
        return _export_official(
            ctx,
            inspection_id,
            fmt,
            lang,
            Path(out_path),
            progress,
            template,
            edition=edition,
            strict=strict,
            invariant=invariant,
            docx_template=docx_template,
        )
    data = build_report_data(ctx, inspection_id, lang, policy_id)
    if progress is not None:
        progress(10, 100)
    number = report_number(template, data)
    out = Path(out_path)
    if fmt == "pdf":
        from gradesec.report import pdf

        build = pdf.build_inspection_pdf if kind == "inspection" else pdf.build_plan_pdf
        pages = build(
            data,
            template,
            out,
            lang=lang,
            invariant=invariant,
            progress=_scaled(progress, 10),
            logo_dir=folder,
        )
    else:
        from gradesec.report.workbook import writer

        if kind == "inspection":
            from gradesec.catalog.wording import load_wording, wording_source

            catalog = ctx.catalog
            order = sorted(catalog.categories.values(), key=lambda c: c.order)
            kinds = catalog.category_kinds()
            source = wording_source(catalog, data.level, lang)
            pages = writer.build_workbook(
                data,
                out,
                lang=lang,
                progress=_scaled(progress, 10),
                category_kinds={c.code: kinds[c.code] for c in order if c.code in kinds},
                kind_order=list(catalog.object_kinds),
                official=load_wording(catalog, data.level, lang),
                wording=t("workbook.wording.user", source=source, lang=lang)
                if source
                else t("workbook.wording.own", lang=lang),
            )
        else:
            pages = writer.build_plan_workbook(data, out, lang=lang, number=number)
    if progress is not None:
        progress(100, 100)
    return ExportResult(out, kind, fmt, lang, number, pages)


def _export_official(
    ctx: Context,
    inspection_id: str,
    fmt: str,
    lang: str,
    out: Path,
    progress: Progress | None,
    template: ReportTemplate,
    *,
    edition: str,
    strict: bool,
    invariant: bool,
    docx_template: Path | None,
) -> ExportResult:
    """The official report (2025 or 2021 template) as DOCX or PDF."""
    from gradesec.report import official
    from gradesec.report.collect import build_report_data
    from gradesec.report.pdf import report_number

    if fmt == "xlsx":
        raise UsageError(t("official.no_xlsx"), t("official.no_xlsx.hint"))
    fallback = report_number(template, build_report_data(ctx, inspection_id, lang))
    inputs = official.gather(
        ctx, inspection_id, lang, edition, template, strict=strict, fallback_number=fallback
    )
    if progress is not None:
        progress(15, 100)
    if docx_template is not None:
        from gradesec.report.official.user_template import render_user_template

        if fmt != "docx":
            raise UsageError(t("official.user_template_docx"), t("official.user_template_docx.hint"))
        pages = render_user_template(inputs, Path(docx_template), out)
    else:
        from gradesec.report.official.content import build_document

        document = build_document(inputs)
        if fmt == "docx":
            from gradesec.report.official.docx_out import build_docx

            pages = build_docx(document, out, progress=_scaled(progress, 15))
        else:
            from gradesec.report.official.pdf_out import build_pdf

            pages = build_pdf(document, out, invariant=invariant, progress=_scaled(progress, 15))
    if progress is not None:
        progress(100, 100)
    return ExportResult(out, "inspection", fmt, lang, inputs.number, pages)


def import_workbook(
    ctx: Context,
    inspection_id: str,
    path: Path,
    *,
    valid_only: bool = False,
    check: bool = False,
    create_assets: bool = False,
    kinds: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Record the results of a record workbook in an open inspection (``report.workbook.importer``).

    Every row is mapped and checked before anything is written. With a problem anywhere, nothing is written and
    a ``WorkbookError`` lists every problem by sheet and row, unless ``valid_only`` is set: then the valid rows
    are recorded and the problems are returned. ``check`` only maps and returns the summary. Rows equal to the
    current result are left alone, so importing the same workbook twice records nothing the second time.
    ``create_assets`` makes an asset for each sheet that matches no object (of the kind ``kinds`` names for
    that sheet, else the kind guessed from its name).
    """
    from gradesec.report.workbook.importer import import_workbook as run

    return run(
        ctx,
        inspection_id,
        Path(path),
        valid_only=valid_only,
        check=check,
        create_assets=create_assets,
        kinds=kinds,
        progress=progress,
    )
