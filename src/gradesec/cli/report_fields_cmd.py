"""``gradesec report set|edit|accept|show``: the fields of the official report the inspector writes.

``set`` writes one field, ``edit --from FILE`` several from a YAML mapping (path: value, nested mappings are
joined with dots), ``accept`` records the current drafts as the inspector's, ``show`` lists every field with
its state and what the template still needs. Every write is a signed ``report.field_set`` event.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.errors import UsageError
from gradesec.i18n import get_lang, t

if TYPE_CHECKING:
    from gradesec.usecases.context import Context

InspectionOpt = Annotated[str, typer.Option("--inspection", "-i", help=t("report.cli.opt.inspection"))]
FieldArg = Annotated[str, typer.Argument(help=t("official.cli.arg.field"))]
ValueArg = Annotated[str, typer.Argument(help=t("official.cli.arg.value"))]
FromOpt = Annotated[Path, typer.Option("--from", help=t("official.cli.opt.from"))]
EditionOpt = Annotated[str, typer.Option("--template", help=t("official.cli.opt.edition"))]
KeyOpt = Annotated[str | None, typer.Option("--key", help=t("report.cli.opt.key"))]
PathsArg = Annotated[list[str] | None, typer.Argument(help=t("official.cli.arg.paths"))]
ChapterOpt = Annotated[str | None, typer.Option("--chapter", help=t("official.cli.opt.chapter"))]


def _context(key: str | None = None, *, write: bool = False) -> Context:
    from gradesec.usecases.context import open_context

    signer = None
    if write:
        from gradesec.cli.journal_cmd import load_signer

        signer = load_signer(key)
    return open_context(common.OPTIONS.store_dir, signer=signer, catalog_loader=common.catalog)


def flatten(data: Any, prefix: str = "") -> dict[str, object]:
    """A YAML mapping as field paths: ``{unit: {contact: x}}`` → ``{"unit.contact": "x"}``."""
    out: dict[str, object] = {}
    if not isinstance(data, dict):
        raise UsageError(t("official.cli.not_mapping"), t("official.cli.not_mapping.hint"))
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(flatten(value, path))
        else:
            out[path] = "" if value is None else value if isinstance(value, list) else str(value)
    return out


def read_fields(path: Path) -> dict[str, object]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            t("official.cli.unreadable", path=path, detail=exc.strerror or str(exc)),
            t("report.field.no_file.hint"),
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise UsageError(
            t("official.cli.bad_yaml", where=where), t("official.cli.not_mapping.hint")
        ) from None
    return flatten(data or {})


def _written(paths: list[str]) -> None:
    common.emit({"written": paths}, t("official.cli.written", n=len(paths)))


def _show(inspection: str, edition: str, chapter: str | None) -> None:
    from gradesec.assess.report_fields import CHAPTERS, label_key
    from gradesec.usecases.report_fields import report_model

    lang = get_lang()
    if chapter is not None and chapter not in CHAPTERS:
        raise UsageError(
            t("official.cli.bad_chapter", chapter=chapter),
            t("official.cli.bad_chapter.hint", chapters=", ".join(CHAPTERS)),
        )
    with _context() as ctx:
        model = report_model(ctx, inspection, lang, edition)

    def human() -> None:
        for name in CHAPTERS:
            if chapter is not None and name != chapter:
                continue
            fields = model.chapter(name)
            if not fields:
                continue
            common.echo(f"== {t('official.chapter.' + name)}")
            rows = []
            for f in fields:
                mark = "*" if f.mandatory else ""
                text = " ".join(f.text.split())
                rows.append(
                    [
                        f.path + mark,
                        t(label_key(f.spec.pattern)),
                        t("official.status." + f.status),
                        text[:60] + ("…" if len(text) > 60 else ""),
                    ]
                )
            common.table(
                [
                    t("official.cli.col.field"),
                    t("official.cli.col.label"),
                    t("official.cli.col.state"),
                    t("official.cli.col.value"),
                ],
                rows,
            )
            common.echo()
        missing, drafts = model.missing(), model.drafts()
        if model.complete:
            common.echo(t("official.cli.complete", template=edition))
        else:
            common.echo(
                t("official.cli.incomplete", template=edition, missing=len(missing), drafts=len(drafts))
            )
            for f in missing:
                common.echo(f"  - {f.path}  {t(label_key(f.spec.pattern))}")

    common.emit(model.as_json(), human)


def register(group: typer.Typer) -> None:
    """Add ``set``, ``edit``, ``accept`` and ``show`` to the ``report`` group."""

    @group.command("set", help=t("official.cli.set.help"))
    def report_set(inspection: InspectionOpt, field: FieldArg, value: ValueArg, key: KeyOpt = None) -> None:
        from gradesec.usecases.report_fields import set_report_fields

        with _context(key, write=True) as ctx:
            _written(set_report_fields(ctx, inspection, {field: value}))

    @group.command("edit", help=t("official.cli.edit.help"))
    def report_edit(inspection: InspectionOpt, source: FromOpt, key: KeyOpt = None) -> None:
        from gradesec.usecases.report_fields import set_report_fields

        values = read_fields(source)
        with _context(key, write=True) as ctx:
            _written(set_report_fields(ctx, inspection, values))

    @group.command("accept", help=t("official.cli.accept.help"))
    def report_accept(inspection: InspectionOpt, paths: PathsArg = None, key: KeyOpt = None) -> None:
        from gradesec.usecases.report_fields import accept_drafts

        with _context(key, write=True) as ctx:
            _written(accept_drafts(ctx, inspection, paths or None, get_lang()))

    @group.command("show", help=t("official.cli.show.help"))
    def report_show(
        inspection: InspectionOpt, edition: EditionOpt = "2025", chapter: ChapterOpt = None
    ) -> None:
        _show(inspection, edition, chapter)
