"""The report model: what the inspector writes for the official report, as signed events, with drafts and
completeness.

``set_report_fields`` validates every path and value (``gradesec.assess.report_fields``) and appends one
``report.field_set`` event per field in one transaction (all or nothing). ``accept_drafts`` records the
current drafts of some fields as the inspector's (``origin: draft``). ``report_model`` (in ``report_view``,
importable from here) reads everything back with the drafts for the fields nobody has written and says what
the chosen template still needs.

Report fields may be written while the inspection is open and after it is closed: the report is written from
the results, usually after the on-site work ends.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gradesec.assess.report_fields import (
    FieldError,
    FieldSpec,
    Value,
    check_value,
    grading_level,
    parse_path,
    problem_key,
)
from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.usecases.assess_checks import need_inspection, read_db
from gradesec.usecases.report_drafts import categories_of
from gradesec.usecases.report_view import (
    FieldState,
    PreviousProblem,
    ReportModel,
    Status,
    _previous_inspection,
    _previous_problems,
    report_model,
    threat_list,
)

if TYPE_CHECKING:
    from gradesec.usecases.context import Context
    from gradesec.usecases.views import InspectionView

__all__ = [
    "IMAGE_TYPES",
    "MAX_IMAGE",
    "FieldState",
    "PreviousProblem",
    "ReportModel",
    "Status",
    "accept_drafts",
    "report_model",
    "set_report_fields",
    "threat_list",
]

IMAGE_TYPES = ("image/png", "image/jpeg")
MAX_IMAGE = 20 * 1024 * 1024


def _refuse(exc: FieldError) -> GradesecError:
    fields = {k: str(v) for k, v in exc.fields.items()}
    return UsageError(t(exc.key, **fields), t(exc.key + ".hint", **fields))


def _check_placeholders(
    path: str, spec: FieldSpec, names: dict[str, str], view: InspectionView, previous: set[str]
) -> None:
    if spec.extension and spec.extension not in {i.extension for i in view.items}:
        raise UsageError(
            t("report.field.no_extension", path=path, ext=t(f"catalog.ext.name.{spec.extension}")),
            t("report.field.no_extension.hint"),
        )
    if "cat" in names and names["cat"] not in categories_of(view):
        raise UsageError(
            t("report.field.no_category", path=path, cat=names["cat"]),
            t("report.field.no_category.hint", cats=", ".join(categories_of(view))),
        )
    if "item" in names:
        key = problem_key(names["item"], names["asset"])
        pool = (
            previous
            if spec.chapter == "previous"
            else {problem_key(i.item_id, i.asset_id) for i in view.issues}
        )
        if key not in pool:
            hint = (
                "report.field.no_previous.hint"
                if spec.chapter == "previous"
                else "report.field.no_problem.hint"
            )
            raise UsageError(t("report.field.no_problem", path=path, key=key), t(hint))


def set_report_fields(
    ctx: Context,
    inspection_id: str,
    values: Mapping[str, object],
    *,
    origin: Literal["inspector", "draft"] = "inspector",
) -> list[str]:
    """Record ``values`` (path → value) as signed ``report.field_set`` events; returns the paths written.

    Every value is checked before anything is written. A ``file`` field takes the path of a PNG or JPEG: the
    file goes into the evidence store and the field keeps its SHA-256 and name. An empty value clears a field.
    """
    from gradesec.usecases import inspections as uc

    if not values:
        raise UsageError(t("report.field.nothing"), t("report.field.nothing.hint"))
    with read_db(ctx) as db:
        need_inspection(db, inspection_id)
    view = uc.load_inspection(ctx, inspection_id)
    previous = {p.key for p in _previous_problems(ctx, _previous_inspection(ctx, view), "en")}
    threats = threat_list(ctx)
    known_threats = {th.id for th in threats.threats} if threats is not None else set()
    checked: list[tuple[str, FieldSpec, Value]] = []
    files: list[tuple[int, Path]] = []
    for path, raw in values.items():
        try:
            spec, names = parse_path(path)
            value = check_value(spec, raw)
        except FieldError as exc:
            raise _refuse(exc) from None
        _check_placeholders(path, spec, names, view, previous)
        if spec.kind == "list" and isinstance(value, list):
            unknown = [v for v in value if v not in known_threats]
            if unknown:
                raise UsageError(
                    t("report.field.bad_threat", ids=", ".join(unknown)),
                    t("report.field.bad_threat.hint", ids=", ".join(sorted(known_threats)) or "-"),
                )
        if spec.kind == "grading" and value and grading_level(str(value)) != view.inspection.level:
            raise UsageError(
                t("report.field.grading_level", value=value, level=view.inspection.level),
                t("report.field.grading_level.hint"),
            )
        if spec.kind == "file" and value:
            source = Path(str(value)).expanduser()
            media = mimetypes.guess_type(source.name)[0]
            if not source.is_file():
                raise NotFoundError(t("report.field.no_file", path=source), t("report.field.no_file.hint"))
            if media not in IMAGE_TYPES or source.stat().st_size > MAX_IMAGE:
                raise UsageError(t("report.field.not_image", path=source), t("report.field.not_image.hint"))
            files.append((len(checked), source))
        checked.append((path, spec, value))
    signer = ctx.signer
    events: list[tuple[str, dict[str, Any]]] = []
    stored = {index: source for index, source in files}
    for index, (path, _spec, value) in enumerate(checked):
        if index in stored:
            source = stored[index]
            blob = ctx.store.evidence.put(source)
            ref = {
                "sha256": blob.sha256,
                "name": source.name,
                "size": blob.size,
                "media_type": mimetypes.guess_type(source.name)[0] or "application/octet-stream",
            }
            events.append(("evidence.attached", {**ref, "target": {"kind": "report", "id": inspection_id}}))
            value = f"{blob.sha256} {source.name}"
        events.append(
            (
                "report.field_set",
                {"inspection": inspection_id, "path": path, "value": value, "origin": origin},
            )
        )
    ctx.store.append_many(signer, events)
    return [path for path, _spec, _value in checked]


def accept_drafts(
    ctx: Context, inspection_id: str, paths: list[str] | None = None, lang: str = "zh"
) -> list[str]:
    """Record the current drafts of ``paths`` (default: every field that prints a draft) as accepted."""
    model = report_model(ctx, inspection_id, lang)
    wanted = paths if paths is not None else [f.path for f in model.fields.values() if f.status == "draft"]
    values: dict[str, object] = {}
    for path in wanted:
        state = model.get(path)
        if state is None or state.draft in ("", []):
            raise UsageError(t("report.field.no_draft", path=path), t("report.field.no_draft.hint"))
        values[path] = state.draft
    if not values:
        return []
    return set_report_fields(ctx, inspection_id, values, origin="draft")
