"""From raw workbook rows to results on (item, object): sheet → object, row → item, with a summary per sheet.

A sheet is an object of the inspection: a category sheet (中心机房, 安全通信网络, 系统边界, 安全管理中心, the five
management sheets) is that category's object; any other sheet is an asset, found by its name. A row is an item,
found by the first rule that holds:

1. ``id``: the row names a gradesec item id (an export of gradesec, or a hand-filled 编号 column);
2. ``alias``: the row's platform id was matched to an item before (remembered per level);
3. ``letter+text`` / ``letter``: (category, control point, the item's letter *at the inspection's level*),
   confirmed when the text equals a wording gradesec knows for it (its own, or the user's official layer);
4. ``text``: the text equals exactly one item's wording.

Rows that map to nothing are counted by reason (not assessed yet, an extension set the profile does not have,
an unknown control point …), so every row is accounted for. An item recorded on an object whose kind the
catalog did not expect is kept and marked as an extension of scope. The words cells may hold, and how they are
compared, are in ``words``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gradesec.report.workbook.reader import RawRow, RawSheet
from gradesec.report.workbook.words import (
    CATEGORY_SHEETS,
    METHOD_WORDS,
    RESULT_WORDS,
    extension_of,
    guess_kind,
    letter_of,
    norm,
    norm_text,
)


@dataclass(frozen=True)
class ObjectRef:
    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class MapItem:
    """What the mapper needs of one item of the inspection."""

    id: str
    category: str
    control: tuple[str, ...]  # the control point's names (zh, en)
    letter: str
    texts: tuple[str, ...]  # wordings known for it at the level (ours zh/en, the user's official one)
    objects: tuple[str, ...]


@dataclass(frozen=True)
class MappedRow:
    sheet: str
    row: int
    asset_id: str
    item_id: str
    result: str
    note: str
    reason: str
    rule: str
    extends_scope: bool
    platform_id: str = ""
    method: str = ""


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    key: str  # a message key of workbook.problem.*
    fields: tuple[tuple[str, str], ...] = ()


@dataclass
class SheetSummary:
    name: str
    asset_id: str | None = None
    category: str | None = None
    rows: int = 0
    mapped: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    guessed_kind: str | None = None  # a sheet that matches no object: the kind gradesec would give it

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.name,
            "asset": self.asset_id,
            "category": self.category,
            "rows": self.rows,
            "mapped": self.mapped,
            "rules": dict(self.rules),
            "skipped": dict(self.skipped),
            "guessed_kind": self.guessed_kind,
        }


@dataclass
class Mapping_:
    rows: list[MappedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetSummary] = field(default_factory=list)
    extensions: Counter[str] = field(default_factory=Counter)
    blank: int = 0

    @property
    def unmatched(self) -> list[SheetSummary]:
        return [s for s in self.sheets if s.asset_id is None and s.rows]


class ItemIndex:
    """The inspection's items, indexed for the rules above."""

    def __init__(self, items: Sequence[MapItem], aliases: Mapping[str, str]) -> None:
        self.by_id = {i.id: i for i in items}
        self.aliases = {k: v for k, v in aliases.items() if v in self.by_id}
        self.by_letter: dict[tuple[str, str, str], MapItem] = {}
        self.by_control: dict[tuple[str, str], list[MapItem]] = {}
        self.controls: set[str] = set()
        # Normalised once here, not per row: the item's wordings and control names.
        self.texts: dict[str, frozenset[str]] = {}
        self.control_keys: dict[str, frozenset[str]] = {}
        by_text: dict[str, list[MapItem]] = {}
        for item in items:
            keys = frozenset(norm(name) for name in item.control)
            self.control_keys[item.id] = keys
            for key in keys:
                self.controls.add(key)
                self.by_letter.setdefault((item.category, key, item.letter), item)
                self.by_control.setdefault((item.category, key), []).append(item)
            normed = frozenset(norm_text(text) for text in item.texts)
            self.texts[item.id] = normed
            for text in normed:
                by_text.setdefault(text, []).append(item)
        self.by_text = {k: v[0] for k, v in by_text.items() if len({i.id for i in v}) == 1}
        self._categories: dict[str, list[str]] = {}
        for cat, key in self.by_control:
            self._categories.setdefault(key, []).append(cat)

    def confirms(self, item: MapItem, text: str) -> bool:
        wanted = norm_text(text)
        return bool(wanted) and wanted in self.texts.get(item.id, frozenset())

    def find(self, raw: RawRow, category: str | None) -> tuple[MapItem | None, str]:
        """(item, rule) or (None, why)."""
        if raw.item_id and raw.item_id in self.by_id:
            return self.by_id[raw.item_id], "id"
        if raw.platform_id and raw.platform_id in self.aliases:
            # Platform ids are not stable across institutions: an alias counts only where the row's control
            # point agrees with the item it names.
            named = self.by_id[self.aliases[raw.platform_id]]
            if not raw.control or norm(raw.control) in self.control_keys[named.id]:
                return named, "alias"
        control = norm(raw.control)
        letter = letter_of(raw.item)
        categories = [category] if category else []
        categories += sorted({c for c in self._categories.get(control, ()) if c != category})
        for cat in categories:
            if letter:
                hit = self.by_letter.get((cat, control, letter))
                if hit is not None:
                    return hit, "letter+text" if self.confirms(hit, raw.item) else "letter"
            for item in self.by_control.get((cat, control), []):
                if self.confirms(item, raw.item):
                    return item, "text"
        if raw.item:
            hit = self.by_text.get(norm_text(raw.item))
            if hit is not None:
                return hit, "text"
        if raw.item_id:
            return None, "unknown_id"
        if control and control not in self.controls:
            return None, "unknown_control"
        return None, "letter_not_at_level" if letter else "no_letter"


def match_sheet(
    name: str, objects: Sequence[ObjectRef], titles: Mapping[str, str], category_kinds: Mapping[str, str]
) -> tuple[ObjectRef | None, str | None]:
    """(object, category of a category sheet) for a sheet name."""
    key = norm(name)
    for obj in objects:
        if key in (norm(obj.name), norm(titles.get(obj.id, "")), norm(obj.id)):
            return obj, None
    category = CATEGORY_SHEETS.get(key)
    if category is not None:
        kind = category_kinds.get(category)
        found = next((o for o in objects if kind is not None and o.kind == kind), None)
        return found, category
    return None, None


def map_rows(
    sheets: Sequence[RawSheet],
    objects: Sequence[ObjectRef],
    items: Sequence[MapItem],
    *,
    titles: Mapping[str, str],
    category_kinds: Mapping[str, str],
    kinds: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    object_category: str = "CES",
) -> Mapping_:
    """Map every sheet and row; nothing is written. See the module text for the rules."""
    index = ItemIndex(items, aliases or {})
    kind_list = list(kinds)
    out = Mapping_()
    seen_objects: dict[str, str] = {}
    for sheet in sheets:
        summary = SheetSummary(sheet.name.strip())
        out.sheets.append(summary)
        if sheet.header_row == 0:
            continue  # empty
        if sheet.header_row < 0:
            out.problems.append(Problem(sheet.name, 0, "no_header"))
            continue
        summary.rows = len(sheet.rows)
        obj, category = match_sheet(sheet.name, objects, titles, category_kinds)
        summary.category = category
        if obj is None:
            summary.guessed_kind = (
                category_kinds.get(category, "") if category else guess_kind(sheet.name, kind_list)
            )
            summary.skipped["no_object"] = summary.rows
            continue
        if obj.id in seen_objects:
            out.problems.append(Problem(sheet.name, 0, "asset_twice", (("other", seen_objects[obj.id]),)))
            summary.skipped["same_object"] = summary.rows
            continue
        seen_objects[obj.id] = sheet.name
        summary.asset_id = obj.id
        sheet_category = category or (None if obj.kind in category_kinds.values() else object_category)
        if obj.kind in category_kinds.values():
            sheet_category = next(c for c, k in category_kinds.items() if k == obj.kind)
        seen_items: dict[str, int] = {}
        for raw in sheet.rows:
            ext = extension_of(raw.ext)
            item, rule = index.find(raw, sheet_category)
            if item is None:
                if ext is not None:
                    out.extensions[ext] += 1
                    summary.skipped["extension"] += 1
                elif not raw.result and not raw.record:
                    out.blank += 1
                    summary.skipped["blank"] += 1
                else:
                    summary.skipped[rule] += 1
                continue
            if item.id in seen_items:
                out.problems.append(
                    Problem(
                        sheet.name,
                        raw.row,
                        "item_twice",
                        (("id", item.id), ("row", str(seen_items[item.id]))),
                    )
                )
                summary.skipped["duplicate"] += 1
                continue
            seen_items[item.id] = raw.row
            if not raw.result:
                if raw.record:
                    out.problems.append(Problem(sheet.name, raw.row, "no_result", (("id", item.id),)))
                    summary.skipped["no_result"] += 1
                else:
                    out.blank += 1
                    summary.skipped["blank"] += 1
                continue
            result = RESULT_WORDS.get(norm(raw.result).replace("-", "").replace("_", ""))
            if result is None:
                out.problems.append(Problem(sheet.name, raw.row, "bad_result", (("value", raw.result),)))
                summary.skipped["bad_result"] += 1
                continue
            reason = raw.reason or (raw.record if result == "na" else "")
            if result == "na" and not reason:
                out.problems.append(Problem(sheet.name, raw.row, "na_reason", (("id", item.id),)))
                summary.skipped["na_reason"] += 1
                continue
            summary.mapped += 1
            summary.rules[rule] += 1
            out.rows.append(
                MappedRow(
                    sheet.name,
                    raw.row,
                    obj.id,
                    item.id,
                    result,
                    raw.record,
                    reason,
                    rule,
                    obj.kind not in item.objects,
                    raw.platform_id,
                    METHOD_WORDS.get(norm(raw.method), ""),
                )
            )
    return out
