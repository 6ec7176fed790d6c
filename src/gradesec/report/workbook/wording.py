"""``gradesec catalog wording import``: the standard's sentences from a file the user holds, mapped to item ids.

A record workbook in the field's layout is read and mapped like an import (category sheets by name, other
sheets as computing-environment objects; rows by control point and the letter at the level); a UTF-8 CSV file
gives either ``id,text`` or ``控制点,测评项`` (with the letter, optionally a ``层面`` category column). The result
is a ``wording`` document written into a catalog folder of the user's: gradesec never ships it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gradesec.errors import UsageError
from gradesec.i18n import t
from gradesec.report.workbook.mapper import ItemIndex, MapItem
from gradesec.report.workbook.reader import RawRow, WorkbookError, read_workbook
from gradesec.report.workbook.words import CATEGORY_SHEETS, letter_of, norm

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog

_LEAD = re.compile(r"^\s*[（(]?\s*[a-zA-Z]\s*[）)．.、]\s*")


@dataclass(frozen=True)
class WordingResult:
    path: Path
    level: int
    items: int
    rows: int
    unmapped: int
    items_en: int = 0  # sentences also given in English (a second layer, ``wording-lN-en.yaml``)

    def as_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "level": self.level,
            "items": self.items,
            "rows": self.rows,
            "unmapped": self.unmapped,
            "items_en": self.items_en,
        }


def sentence(text: str) -> str:
    """The sentence without its letter and trailing separator."""
    return _LEAD.sub("", text).strip().rstrip("；;，,").strip()


def _index(catalog: Catalog, level: int) -> tuple[ItemIndex, set[str]]:
    profile = next(
        (p for p in catalog.profiles.values() if p.level == level and p.id.startswith("mlps-")), None
    )
    if profile is None:
        raise UsageError(t("workbook.wording.no_level", level=level), t("workbook.wording.no_level.hint"))
    items = [
        MapItem(
            r.id,
            r.category.code,
            (r.control.name.zh, r.control.name.en),
            r.letter,
            (r.text.zh, r.text.en),
            r.objects,
        )
        for r in catalog.items_for(profile.id, level)
    ]
    return ItemIndex(items, {}), {i.id for i in items}


def _csv_rows(path: Path) -> list[tuple[str, RawRow]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbookError(
            t("workbook.unreadable", path=path, detail=type(exc).__name__), t("workbook.wording.csv.hint")
        ) from None
    reader = csv.DictReader(text.splitlines())
    fields = {norm(f): f for f in reader.fieldnames or []}
    out: list[tuple[str, RawRow]] = []

    def get(row: dict[str, str | None], *names: str) -> str:
        for name in names:
            if name in fields:
                return (row.get(fields[name]) or "").strip()
        return ""

    for n, row in enumerate(reader, start=2):
        item_id = get(row, "id", "编号")
        item = get(row, "text", "测评项", "测评指标", "item")
        english = get(row, "en", "texten", "itemen", "english", "英文", "测评项英文")
        control = get(row, "控制点", "安全控制点", "control")
        category = get(row, "层面", "category")
        if not item:
            continue
        out.append((category, RawRow(n, "", control, item, "", "", "", item_id, "", item_en=english)))
    if not out:
        raise WorkbookError(t("workbook.empty", path=path), t("workbook.wording.csv.hint"))
    return out


def import_wording(catalog: Catalog, source: Path, level: int, out_dir: Path) -> WordingResult:
    """Map the sentences of ``source`` to item ids at ``level`` and write ``out_dir/wording-l{level}.yaml``."""

    index, _known = _index(catalog, level)
    rows: list[tuple[str | None, RawRow]] = []
    if source.suffix.lower() in (".csv", ".txt"):
        for named, raw in _csv_rows(source):
            rows.append((CATEGORY_SHEETS.get(norm(named)) if named else None, raw))
    else:
        for sheet in read_workbook(source, skip=lambda name: norm(name) in ("汇总", "summary")):
            sheet_category: str | None = CATEGORY_SHEETS.get(norm(sheet.name)) or "CES"
            rows += [(sheet_category, raw) for raw in sheet.rows]
    found: dict[str, str] = {}
    found_en: dict[str, str] = {}  # from an English column of the same rows, when the file has one
    unmapped = 0
    for category, raw in rows:
        if not letter_of(raw.item) and not raw.item_id:
            unmapped += 1
            continue
        item, _rule = index.find(raw, category)
        if item is None:
            unmapped += 1
            continue
        found.setdefault(item.id, sentence(raw.item))
        if raw.item_en:
            found_en.setdefault(item.id, sentence(raw.item_en))
    if not found:
        raise WorkbookError(
            t("workbook.wording.nothing", path=source, level=level), t("workbook.wording.csv.hint")
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"wording-l{level}.yaml"
    _write(target, f"official-l{level}", level, source.name, "zh", found)
    english = out_dir / f"wording-l{level}-en.yaml"
    if found_en:
        _write(english, f"official-l{level}-en", level, source.name, "en", found_en)
    elif english.exists():
        english.unlink()  # an English layer from an earlier file would no longer match this one
    return WordingResult(target, level, len(found), len(rows), unmapped, len(found_en))


def _write(target: Path, doc_id: str, level: int, source: str, lang: str, items: dict[str, str]) -> None:
    import yaml

    doc = {
        "kind": "wording",
        "id": doc_id,
        "level": level,
        "source": source,
        "lang": lang,
        "items": dict(sorted(items.items())),
    }
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(
        "# The standard's wording, imported by the user from their own file; not part of gradesec.\n"
        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200),
        encoding="utf-8",
    )
    tmp.replace(target)
