"""Importing a record workbook into an open inspection: read, map, check, then one signed transaction.

``--check`` stops after mapping and returns the per-sheet summary; nothing is written. Sheets that match no
object of the inspection are an error unless ``create_assets`` is set: then an asset is made for each (the kind
guessed from the sheet's name, shown in the summary) and brought into the inspection before the rows are
recorded. Rows equal to the current result (result, record, n/a reason) are left alone, so re-importing an
unchanged workbook records nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gradesec.i18n import t
from gradesec.report.workbook.mapper import (
    MapItem,
    MappedRow,
    Mapping_,
    ObjectRef,
    Problem,
    SheetSummary,
    map_rows,
)
from gradesec.report.workbook.reader import RawSheet, WorkbookError, read_workbook
from gradesec.report.workbook.words import SUMMARY_NAMES, norm
from gradesec.report.workbook.writer import sheet_titles
from gradesec.usecases.context import one_transaction

if TYPE_CHECKING:
    from gradesec.usecases.context import Context
    from gradesec.usecases.views import InspectionView

Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    """What an import did (or, with ``check``, would do)."""

    recorded: int = 0
    unchanged: int = 0
    blank: int = 0
    invalid: int = 0
    extends_scope: int = 0
    checked_only: bool = False
    sheets: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    summary: list[SheetSummary] = field(default_factory=list)
    extensions: Counter[str] = field(default_factory=Counter)
    created: list[dict[str, str]] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)
    aliases: int = 0  # platform ids newly remembered

    @property
    def mapped(self) -> int:
        return sum(s.mapped for s in self.summary)

    def as_json(self) -> dict[str, object]:
        return {
            "recorded": self.recorded,
            "unchanged": self.unchanged,
            "blank": self.blank,
            "invalid": self.invalid,
            "mapped": self.mapped,
            "extends_scope": self.extends_scope,
            "check": self.checked_only,
            "sheets": self.sheets,
            "problems": self.problems,
            "rules": dict(self.rules),
            "aliases_learned": self.aliases,
            "extensions": dict(self.extensions),
            "created_assets": self.created,
            "summary": [s.as_json() for s in self.summary],
        }


def problem_text(p: Problem) -> str:
    message = t(f"workbook.problem.{p.key}", **dict(p.fields))
    if p.row:
        return t("report.xlsx.at_row", sheet=p.sheet, row=p.row, message=message)
    return t("report.xlsx.at_sheet", sheet=p.sheet, message=message)


def map_items(ctx: Context, view: InspectionView) -> list[MapItem]:
    """The inspection's items as the mapper needs them: control names, letter and wordings at the level."""
    from gradesec.catalog.wording import load_wording

    official = load_wording(ctx.catalog, view.inspection.level)
    official_en = load_wording(ctx.catalog, view.inspection.level, "en")
    out: list[MapItem] = []
    for snap in view.items:
        r = view.resolved.get(snap.id)
        if r is None:
            out.append(MapItem(snap.id, snap.category, (snap.control,), "", (), snap.objects))
            continue
        texts = [r.text.zh, r.text.en]
        if snap.id in official:
            texts.append(official[snap.id])
        if snap.id in official_en:
            texts.append(official_en[snap.id])
        out.append(
            MapItem(
                snap.id,
                snap.category,
                (r.control.name.zh, r.control.name.en),
                r.letter,
                tuple(texts),
                snap.objects,
            )
        )
    return out


def _skip(name: str) -> bool:
    return norm(name) in SUMMARY_NAMES


def known_aliases(ctx: Context, level: int) -> dict[str, str]:
    from gradesec.state import assess as db_assess
    from gradesec.state.workbook import aliases

    with db_assess.reader(ctx.store.db_path) as db:
        return aliases(db, level)


def new_aliases(rows: list[MappedRow], known: dict[str, str]) -> dict[str, str]:
    """The platform ids of rows matched by control point, letter or text that are not remembered yet."""
    return {
        r.platform_id: r.item_id
        for r in rows
        if r.platform_id and r.rule not in ("alias", "id") and known.get(r.platform_id) != r.item_id
    }


def _objects(view: InspectionView) -> list[ObjectRef]:
    return [ObjectRef(a.id, a.name, a.kind) for a in view.assets]


def map_workbook(
    ctx: Context,
    view: InspectionView,
    path: Path,
    progress: Progress | None = None,
    sheets: list[RawSheet] | None = None,
    objects: list[ObjectRef] | None = None,
) -> Mapping_:
    """Map the workbook at ``path`` (or its ``sheets``, already read) onto the inspection's objects and items
    (or onto ``objects``, when given)."""
    if sheets is None:
        sheets = read_workbook(Path(path), skip=_skip, progress=progress)
    if not any(s.rows or s.header_row < 0 for s in sheets):
        raise WorkbookError(t("workbook.empty", path=path), t("workbook.empty.hint"))
    catalog = ctx.catalog
    return map_rows(
        sheets,
        _objects(view) if objects is None else objects,
        map_items(ctx, view),
        titles=sheet_titles([(a.id, a.name) for a in view.assets]),
        category_kinds=catalog.category_kinds(),
        kinds=list(catalog.object_kinds),
        aliases=known_aliases(ctx, view.inspection.level),
    )


NEW_PREFIX = "\0new:"  # a provisional object id: a sheet whose asset is made only if the import goes ahead


def _with_new_assets(
    ctx: Context,
    view: InspectionView,
    path: Path,
    sheets: list[RawSheet],
    mapping: Mapping_,
    kinds: Mapping[str, str],
) -> Mapping_:
    """The mapping again for the sheets that matched no object, each onto a provisional object of the kind
    guessed for it (or the one the person chose in ``kinds``, by sheet name): its rows are mapped and checked
    before any asset exists, so a bad row stops the import with nothing made."""
    unmatched = {s.name: s for s in mapping.unmatched}
    provisional = [
        ObjectRef(f"{NEW_PREFIX}{n}", name, kinds.get(name) or summary.guessed_kind or "application")
        for n, (name, summary) in enumerate(unmatched.items())
    ]
    again = map_workbook(
        ctx, view, path, sheets=[s for s in sheets if s.name.strip() in unmatched], objects=provisional
    )
    by_name = {s.name: s for s in again.sheets}
    kind_of = {o.id: o.kind for o in provisional}
    for s in again.sheets:
        if s.asset_id is not None:
            s.guessed_kind = kind_of[s.asset_id]
    merged = Mapping_(
        rows=mapping.rows + again.rows,
        problems=mapping.problems + again.problems,
        sheets=[by_name.get(s.name, s) for s in mapping.sheets],
        extensions=mapping.extensions + again.extensions,
        blank=mapping.blank + again.blank,
    )
    return merged


@one_transaction
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
    """Record the results of a record workbook in an open inspection (see the module text). ``kinds`` names
    the kind of the asset to make for an unmatched sheet (by sheet name), where the guess is not wanted."""
    from gradesec.errors import GradesecError
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.inspections import MAX_TEXT

    view = uc.load_inspection(ctx, inspection_id)
    if not view.inspection.is_open:
        raise GradesecError(t("report.import.closed", id=inspection_id), t("report.import.closed.hint"))
    if not check:
        ctx.signer  # noqa: B018 - fail before reading the file when there is no key to sign with
    sheets = read_workbook(Path(path), skip=_skip, progress=progress)
    mapping = map_workbook(ctx, view, path, sheets=sheets)
    if not mapping.rows and not mapping.problems and not mapping.unmatched and not mapping.blank:
        levels = {1, 2, 3, 4} - {view.inspection.level}
        raise WorkbookError(
            t("workbook.nothing_maps", path=path, level=view.inspection.level),
            t("workbook.nothing_maps.hint", levels="/".join(map(str, sorted(levels)))),
        )
    unmatched = mapping.unmatched
    if unmatched and create_assets:
        mapping = _with_new_assets(ctx, view, path, sheets, mapping, kinds or {})
    result = ImportResult(
        blank=mapping.blank,
        checked_only=check,
        sheets=[s.name for s in mapping.sheets],
        summary=mapping.sheets,
        extensions=mapping.extensions,
    )
    problems = list(mapping.problems)
    if unmatched and not create_assets and not check:
        for s in unmatched:
            problems.append(Problem(s.name, 0, "no_object", (("kind", s.guessed_kind or "-"),)))
    rows = []
    for row in mapping.rows:
        if len(row.note) > MAX_TEXT:
            problems.append(Problem(row.sheet, row.row, "too_long", (("n", str(MAX_TEXT)),)))
        else:
            rows.append(row)
    order = {name: n for n, name in enumerate(result.sheets)}
    problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row))
    result.problems = [problem_text(p) for p in problems]
    result.invalid = len(problems)
    for s in mapping.sheets:
        result.rules.update(s.rules)
    result.extends_scope = sum(1 for r in rows if r.extends_scope)
    if check:
        return result
    if problems and not valid_only:
        raise WorkbookError(
            t("report.import.invalid", n=len(problems), path=path),
            t("workbook.invalid.hint") if unmatched else t("report.import.invalid.hint"),
            result.problems,
        )
    real: dict[str, str] = {}  # provisional object id -> the asset made for it
    if unmatched and create_assets:
        new = [s for s in result.summary if s.asset_id is not None and s.asset_id.startswith(NEW_PREFIX)]
        made = uc.add_assets(ctx, view.system.id, [(s.guessed_kind or "application", s.name) for s in new])
        uc.add_inspection_assets(ctx, inspection_id, [a.id for a in made])
        real = {str(s.asset_id): a.id for s, a in zip(new, made, strict=True)}
        for s in new:
            s.asset_id = real[str(s.asset_id)]
        result.created = [
            {"sheet": s.name, "id": a.id, "kind": a.kind} for s, a in zip(new, made, strict=True)
        ]
    todo: list[tuple[MappedRow, str]] = []
    for row in rows:
        asset_id = real.get(row.asset_id, row.asset_id)
        current = view.findings.get((row.item_id, asset_id))
        if (
            current is not None
            and current.result == row.result
            and current.note == row.note
            and (row.result != "na" or current.na_reason == row.reason)
        ):
            result.unchanged += 1
        else:
            todo.append((row, asset_id))
    entries = [
        uc.FindingInput(
            row.item_id, asset_id, row.result, note=row.note, reason=row.reason, method=row.method or None
        )
        for row, asset_id in todo
    ]
    level = view.inspection.level
    learned = new_aliases(rows, known_aliases(ctx, level))
    alias_event = [("item.aliases_learned", {"level": level, "aliases": learned})] if learned else []
    if entries:
        # The results and the aliases they teach in one signed transaction (one commit, all or nothing).
        uc.record_findings(ctx, inspection_id, entries, read_back=False, extra=alias_event)
    elif alias_event:
        ctx.store.append_many(ctx.signer, alias_event)
    result.recorded = len(entries)
    result.aliases = len(learned)
    if progress is not None:
        progress(1, 1)
    return result


def summary_lines(result: ImportResult) -> list[str]:
    """The human summary: one line per sheet, one per extension set, then the totals by rule."""
    lines: list[str] = []
    for s in result.summary:
        skipped = ", ".join(f"{t('workbook.skip.' + k)} {n}" for k, n in sorted(s.skipped.items()))
        rules = ", ".join(f"{k} {n}" for k, n in sorted(s.rules.items()))
        target = s.asset_id or t("workbook.sheet.new", kind=s.guessed_kind or "-")
        lines.append(
            t(
                "workbook.sheet.line",
                sheet=s.name,
                target=target,
                rows=s.rows,
                mapped=s.mapped,
                rules=rules or "-",
                skipped=skipped or "-",
            )
        )
    for ext, n in sorted(result.extensions.items()):
        lines.append(t("workbook.extension.line", n=n, ext=t(f"workbook.ext.{ext}")))
    return lines
