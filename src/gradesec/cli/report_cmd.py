"""``gradesec report inspection|plan`` (PDF or XLSX) and ``gradesec finding import`` (a record workbook).

``finding import`` joins the ``finding`` group that the inspections commands create; when that group is not
there it is offered as ``gradesec report import-workbook`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gradesec.cli import common
from gradesec.cli.options import ForceOpt
from gradesec.errors import UsageError
from gradesec.i18n import get_lang, t

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


# Option types shared by the commands (module level: typer resolves the annotations in this namespace).
InspectionOpt = Annotated[str, typer.Option("--inspection", "-i", help=t("report.cli.opt.inspection"))]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help=t("report.cli.opt.format"))]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help=t("report.cli.opt.output"))]
TemplateOpt = Annotated[str | None, typer.Option("--template", help=t("report.cli.opt.template"))]
WorkbookArg = Annotated[Path, typer.Argument(help=t("report.cli.arg.workbook"))]
ValidOnlyOpt = Annotated[bool, typer.Option("--valid-only", help=t("report.cli.opt.valid_only"))]
KeyOpt = Annotated[str | None, typer.Option("--key", help=t("report.cli.opt.key"))]


def _context(key: str | None = None, *, write: bool = False) -> Context:
    from gradesec.usecases.context import open_context

    signer = None
    if write:
        from gradesec.cli.journal_cmd import load_signer

        signer = load_signer(key)
    return open_context(common.OPTIONS.store_dir, signer=signer, catalog_loader=common.catalog)


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A (done, total) callback driving one terminal progress bar out of 100."""
    with common.progress(100, label) as advance:
        shown = [0]

        def report(done: int, total: int) -> None:
            pct = 100 * done // max(total, 1)
            if pct > shown[0]:
                advance(pct - shown[0])
                shown[0] = pct

        yield report


def _default_out(kind: str, inspection: str, fmt: str, lang: str) -> Path:
    return Path(f"{inspection}-{kind}-{lang}.{fmt}")


def _export(
    kind: str, inspection: str, fmt: str, out: Path | None, template: str | None, force: bool = False
) -> None:
    """Build one report; its language is the global ``--lang`` (the interface language)."""
    from dataclasses import replace

    from gradesec import report
    from gradesec.outputs import writing

    fmt = fmt.lower()
    if fmt not in report.FORMATS:
        raise UsageError(t("report.bad_format", fmt=fmt), t("report.bad_format.hint"))
    chosen = get_lang()
    target = out or _default_out(kind, inspection, fmt, chosen)
    with writing(target, force=force) as tmp, _context() as ctx, _bar(t("report.cli.building")) as progress:
        result = report.export(
            ctx, kind, inspection, fmt, chosen, tmp, progress=progress, template_id=template
        )
    result = replace(result, path=target)
    what = "report.cli.written_pdf" if fmt == "pdf" else "report.cli.written_xlsx"
    common.emit(result.as_json(), t(what, path=result.path, pages=result.pages, number=result.report_number))


def _import(path: Path, inspection: str, valid_only: bool, key: str | None) -> None:
    from gradesec import report

    with _context(key, write=True) as ctx, _bar(t("report.cli.importing")) as progress:
        result = report.import_workbook(ctx, inspection, path, valid_only=valid_only, progress=progress)

    def human() -> None:
        common.echo(
            t(
                "report.cli.imported",
                recorded=result.recorded,
                unchanged=result.unchanged,
                blank=result.blank,
                sheets=len(result.sheets),
            )
        )
        if result.problems:
            common.echo(t("report.cli.skipped", n=len(result.problems)))
            for line in result.problems:
                common.echo(f"  {line}")

    common.emit(result.as_json(), human)


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``finding import`` to the root ``app``."""
    group = typer.Typer(name="report", help=t("report.cli.help"), no_args_is_help=True)
    app.add_typer(group)

    @group.command("inspection", help=t("report.cli.inspection.help"))
    def report_inspection(
        inspection: InspectionOpt,
        fmt: FormatOpt = "pdf",
        out: OutOpt = None,
        template: TemplateOpt = None,
        force: ForceOpt = False,
    ) -> None:
        _export("inspection", inspection, fmt, out, template, force)

    @group.command("plan", help=t("report.cli.plan.help"))
    def report_plan(
        inspection: InspectionOpt,
        fmt: FormatOpt = "pdf",
        out: OutOpt = None,
        template: TemplateOpt = None,
        force: ForceOpt = False,
    ) -> None:
        _export("plan", inspection, fmt, out, template, force)

    def finding_import(
        path: WorkbookArg,
        inspection: InspectionOpt,
        valid_only: ValidOnlyOpt = False,
        key: KeyOpt = None,
    ) -> None:
        _import(path, inspection, valid_only, key)

    finding = next(
        (
            g.typer_instance
            for g in app.registered_groups
            if "finding" in (g.name, g.typer_instance.info.name if g.typer_instance else None)
        ),
        None,
    )
    if finding is not None:
        finding.command("import", help=t("report.cli.import.help"))(finding_import)
    else:
        group.command("import-workbook", help=t("report.cli.import.help"))(finding_import)
