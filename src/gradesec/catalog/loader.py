"""Load and validate the catalog: every file strictly, then every reference across files.

Folders are read in layers: the shipped data first, then each extra folder the user names. A document in a
later layer with the same kind and id as one in an earlier layer replaces it (that is how a user customises a
shipped checklist: copy, edit, point gradesec at the copy). The same id twice within one layer is an error.

Problems are collected, never raised one by one, so ``gradesec catalog lint`` can list all of them as
``file:line: what is wrong``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from gradesec import paths
from gradesec.catalog.models import (
    CLOUD_SIDES,
    EXTENSIONS,
    SYSTEM_CONDITIONS,
    Category,
    Checklist,
    Control,
    HighRiskCase,
    HighRiskCatalog,
    Item,
    ObjectKind,
    ObjectKinds,
    Policy,
    Profile,
    Text,
)
from gradesec.catalog.yamlsource import Path_, Source, read_source
from gradesec.errors import CatalogError, NotFoundError
from gradesec.i18n import t


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


Checker = Callable[["Catalog", Any, "Origin"], list[tuple[Path_, str]]]


@dataclass(frozen=True)
class KindSpec:
    """How to load one ``kind`` of document: its model and an optional cross-reference checker."""

    model: type[BaseModel]
    checker: Checker | None = None


KINDS: dict[str, KindSpec] = {
    "checklist": KindSpec(Checklist),
    "profile": KindSpec(Profile),
    "policy": KindSpec(Policy),
    "high_risk": KindSpec(HighRiskCatalog),
    "object_kinds": KindSpec(ObjectKinds),
}


def register_kind(kind: str, model: type[BaseModel], checker: Checker | None = None) -> None:
    """Add a document kind (scenarios and report templates register themselves this way)."""
    KINDS[kind] = KindSpec(model, checker)


def _register_plugins() -> None:
    # Kinds that live with their own feature; importing them registers them.
    import importlib

    for name in (
        "gradesec.catalog.scenario",
        "gradesec.catalog.template",
        "gradesec.catalog.major_risk",
        "gradesec.catalog.threats",
        "gradesec.catalog.remediation",
        "gradesec.catalog.wording",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


@dataclass(frozen=True)
class Origin:
    """Where a document came from."""

    source: Source
    layer: int
    root: Path

    @property
    def rel(self) -> str:
        try:
            return self.source.path.relative_to(self.root.parent).as_posix()
        except ValueError:
            return self.source.path.name


@dataclass(frozen=True)
class ResolvedItem:
    """One item as it applies at one level, with its place in the category and control tree."""

    id: str
    checklist: str
    category: Category
    control: Control
    item: Item
    level: int
    order: int
    letter: str = ""  # a, b, c … within the control point at this level
    objects: tuple[str, ...] = ()  # the object kinds it applies to, category objects included
    extension: str | None = None  # the extension set (安全扩展要求) the item belongs to; None: general

    @property
    def text(self) -> Text:
        return self.item.text_at(self.level)

    @property
    def weight(self) -> float:
        return self.item.weight[self.level]

    @property
    def unit_id(self) -> str | None:
        return self.item.unit_ids.get(self.level)

    def as_json(self) -> dict[str, Any]:
        """The stable scripting shape of ``gradesec catalog items --json``."""
        return {
            "id": self.id,
            "checklist": self.checklist,
            "category": self.category.code,
            "category_name": self.category.name.as_dict(),
            "category_class": self.category.cls,
            "control": self.control.id,
            "control_name": self.control.name.as_dict(),
            "level": self.level,
            "text": self.text.as_dict(),
            "weight": self.weight,
            "weight_source": self.item.weight_source.get(self.level, "judged"),
            "methods": list(self.item.methods),
            "object_kinds": list(self.objects or self.item.objects),
            "letter": self.letter,
            "unit_id": self.unit_id,
            "guidance": self.item.guidance.as_dict(),
            "evidence": self.item.evidence.as_dict() if self.item.evidence else None,
            "high_risk": list(self.item.high_risk),
            "links": list(self.item.links),
            "extension": self.extension,
            "sides": list(self.item.sides),
        }


@dataclass
class Catalog:
    """Every validated document, indexed by id."""

    checklists: dict[str, Checklist] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    high_risk: dict[str, HighRiskCatalog] = field(default_factory=dict)
    object_kinds: dict[str, ObjectKind] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    controls: dict[str, tuple[str, Control]] = field(default_factory=dict)
    items: dict[str, tuple[str, Control, Item]] = field(default_factory=dict)
    cases: dict[str, HighRiskCase] = field(default_factory=dict)
    extras: dict[str, dict[str, BaseModel]] = field(default_factory=dict)
    broken: set[tuple[str, str]] = field(default_factory=set)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """Hash of the whole catalog: the sorted ``path hash`` lines of every file loaded."""
        lines = "".join(f"{rel} {digest}\n" for rel, digest in sorted(self.files.items()))
        return hashlib.sha256(lines.encode()).hexdigest()

    def hash_of(self, kind: str, doc_id: str) -> str:
        return self.origins[(kind, doc_id)].source.sha256

    def profile(self, profile_id: str) -> Profile:
        """A shipped profile, or a composed one: ``mlps-l3+cloud``, ``mlps-l3+cloud-customer+iot`` …"""
        if "+" in profile_id:
            return self._compose(profile_id)
        try:
            return self.profiles[profile_id]
        except KeyError:
            raise NotFoundError(
                t("catalog.no_profile", id=profile_id),
                t("catalog.no_profile.hint", ids=", ".join(sorted(self.profiles)) or "-"),
            ) from None

    def find_profile(self, profile_id: str) -> Profile | None:
        """Like ``profile`` but None when there is no such profile (composed ids included)."""
        try:
            return self.profile(profile_id)
        except NotFoundError:
            return None

    def extension_checklists(self, extension: str, level: int | None = None) -> list[Checklist]:
        """The checklists of one extension set (in id order), those with an item at ``level`` if given."""
        out = [c for _, c in sorted(self.checklists.items()) if c.extension == extension]
        if level is not None:
            out = [c for c in out if any(level in i.levels for ctl in c.controls for i in ctl.items)]
        return out

    def _compose(self, profile_id: str) -> Profile:
        """General profile + extension sets. Tokens are extension ids (``cloud``, ``mobile``, ``iot``, ``ics``,
        ``bigdata``); ``cloud-provider`` / ``cloud-customer`` keep only the cloud items of that side."""
        base_id, *tokens = profile_id.split("+")
        base = self.profile(base_id)
        if base.extensions:
            raise NotFoundError(
                t("catalog.ext.nested", id=profile_id), t("catalog.ext.bad.hint", known=_ext_tokens())
            )
        chosen: dict[str, str | None] = {}
        for token in tokens:
            ext, _, side = token.strip().lower().partition("-")
            if (
                ext not in EXTENSIONS
                or (side and (ext != "cloud" or side not in CLOUD_SIDES))
                or ext in chosen
            ):
                raise NotFoundError(
                    t("catalog.ext.bad", token=token, id=profile_id),
                    t("catalog.ext.bad.hint", known=_ext_tokens()),
                )
            chosen[ext] = side or None
        checklists: list[str] = []
        high_risk: list[str] = []
        for ext in EXTENSIONS:
            if ext not in chosen:
                continue
            found = self.extension_checklists(ext, base.level)
            if not found:
                raise NotFoundError(
                    t("catalog.ext.none_at_level", ext=ext, level=base.level),
                    t("catalog.ext.none_at_level.hint", ext=ext),
                )
            for checklist in found:
                checklists.append(checklist.id)
                if checklist.high_risk and checklist.high_risk not in high_risk:
                    high_risk.append(checklist.high_risk)
        canonical = "+".join(
            [
                base.id,
                *(
                    ext if chosen[ext] is None else f"{ext}-{chosen[ext]}"
                    for ext in EXTENSIONS
                    if ext in chosen
                ),
            ]
        )

        def name(ext: str, lang: str) -> str:
            side = chosen[ext]
            text = t(f"catalog.ext.name.{ext}", lang)
            return f"{text} ({t(f'catalog.ext.side.{side}', lang)})" if side else text

        title = Text(
            zh=base.title.zh + " + " + "、".join(name(e, "zh") for e in EXTENSIONS if e in chosen),
            en=base.title.en + " + " + ", ".join(name(e, "en") for e in EXTENSIONS if e in chosen),
        )
        return base.model_copy(
            update={
                "id": canonical,
                "title": title,
                "checklists": [*base.checklists, *checklists],
                "extensions": [ext for ext in EXTENSIONS if ext in chosen],
                "cloud_side": chosen.get("cloud"),
                "base": base.id,
                "extra_high_risk": high_risk,
            }
        )

    def high_risk_ids(self, profile: Profile) -> list[str]:
        """Every high-risk catalog a profile draws cases from: its own, then its extension sets'."""
        ids = [profile.high_risk] if profile.high_risk else []
        return [*ids, *(h for h in profile.extra_high_risk if h not in ids)]

    def policy(self, policy_id: str) -> Policy:
        try:
            return self.policies[policy_id]
        except KeyError:
            raise NotFoundError(
                t("catalog.no_policy", id=policy_id),
                t("catalog.no_policy.hint", ids=", ".join(sorted(self.policies)) or "-"),
            ) from None

    def items_for(self, profile_id: str, level: int | None = None) -> list[ResolvedItem]:
        """The items a profile applies, in catalog order (category order, then file order)."""
        profile = self.profile(profile_id)
        lvl = level if level is not None else profile.level
        out: list[ResolvedItem] = []
        checklists = [self.checklists[c] for c in profile.checklists if c in self.checklists]
        blocks: list[tuple[int, int, int, Checklist, Control]] = []
        for ci, checklist in enumerate(checklists):
            # Extension sets come after the general requirements, each set in category order.
            ext_rank = EXTENSIONS.index(checklist.extension) + 1 if checklist.extension else 0
            for control in checklist.controls:
                cat = self.categories.get(control.category)
                blocks.append((ext_rank, cat.order if cat else 999, ci, checklist, control))
        blocks.sort(key=lambda b: (b[0], b[1], b[2]))
        side = profile.cloud_side
        by_category = self.category_kinds()
        category_kinds = set(by_category.values())
        for _rank, _order, _ci, checklist, control in blocks:
            category = self.categories.get(control.category)
            if category is None:  # reported by lint; an unusable control applies nothing
                continue
            position = 0
            own = by_category.get(category.code)
            for item in control.items:
                if lvl not in item.levels:
                    continue
                letter = item.letters.get(lvl) or _letter(position)
                position += 1
                # The other side's cloud items are left out; the letters keep the standard's numbering.
                if side and checklist.extension == "cloud" and item.sides and side not in item.sides:
                    continue
                objects = [k for k in item.objects if k not in category_kinds]
                if own is not None:
                    objects.append(own)
                out.append(
                    ResolvedItem(
                        item.id,
                        checklist.id,
                        category,
                        control,
                        item,
                        lvl,
                        len(out),
                        letter,
                        tuple(objects),
                        checklist.extension,
                    )
                )
        return out

    def category_kinds(self) -> dict[str, str]:
        """The category object kind of each category code that has one (``PES`` → ``machine_room``)."""
        return {k.category: k.id for k in self.object_kinds.values() if k.category is not None}

    def pinned_hashes(self, profile_id: str) -> dict[str, str]:
        """The content hashes an inspection with this profile depends on, keyed ``kind:id``."""
        profile = self.profile(profile_id)
        own = profile.base or profile.id
        pins = {f"profile:{own}": self.hash_of("profile", own)}
        for checklist_id in profile.checklists:
            pins[f"checklist:{checklist_id}"] = self.hash_of("checklist", checklist_id)
        for hr_id in self.high_risk_ids(profile):
            pins[f"high_risk:{hr_id}"] = self.hash_of("high_risk", hr_id)
        for policy_id in {profile.policy, *profile.policies}:
            pins[f"policy:{policy_id}"] = self.hash_of("policy", policy_id)
        return pins


def _letter(position: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[position] if position < 26 else str(position + 1)


def _ext_tokens() -> str:
    return ", ".join([*EXTENSIONS, *(f"cloud-{side}" for side in CLOUD_SIDES)])


def _catalog_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def default_roots(extra_dirs: Sequence[Path] = ()) -> list[list[Path]]:
    """Layers of folders: the shipped data first, then the user's configured and extra folders."""
    from gradesec.config import load_config

    layers = [paths.shipped_catalog_roots()]
    for extra in [*load_config().catalog_dirs, *extra_dirs]:
        layers.append([Path(extra).expanduser()])
    return layers


def lint(layers: Sequence[Sequence[Path]]) -> tuple[Catalog, list[Problem]]:
    """Read every file of every layer; return the catalog and every problem found."""
    _register_plugins()
    problems: list[Problem] = []
    docs: dict[tuple[str, str], tuple[BaseModel, Origin]] = {}
    broken: set[tuple[str, str]] = set()
    for layer_no, roots in enumerate(layers):
        seen_in_layer: dict[tuple[str, str], Origin] = {}
        for root in roots:
            if not root.exists():
                problems.append(Problem(root, 1, t("lint.no_such_path")))
                continue
            for file in _catalog_files(root):
                origin = Origin(read_source(file), layer_no, root if root.is_dir() else root.parent)
                doc = _validate_document(origin, problems)
                if doc is None:
                    broken.add(_raw_identity(origin.source.data))
                    continue
                key = (doc[0], doc[1])
                if key in seen_in_layer:
                    first = seen_in_layer[key]
                    problems.append(
                        Problem(
                            file, 1, t("lint.duplicate_doc", kind=key[0], id=key[1], other=first.source.path)
                        )
                    )
                    continue
                seen_in_layer[key] = origin
                docs[key] = (doc[2], origin)
    catalog = _index(docs, problems)
    catalog.broken = broken
    _check_references(catalog, problems)
    return catalog, problems


def load_catalog(extra_dirs: Sequence[Path] = (), layers: Sequence[Sequence[Path]] | None = None) -> Catalog:
    """Load the catalog or raise ``CatalogError`` listing every problem."""
    catalog, problems = lint(layers if layers is not None else default_roots(extra_dirs))
    if problems:
        raise CatalogError(
            t("catalog.invalid", n=len(problems)), t("catalog.invalid.hint"), [str(p) for p in problems]
        )
    return catalog


def _validate_document(origin: Origin, problems: list[Problem]) -> tuple[str, str, BaseModel] | None:
    src = origin.source
    for sp in src.problems:
        problems.append(Problem(src.path, sp.line, t(sp.message_key, None, **sp.fields)))
    if src.problems and src.data is None:
        return None
    data = src.data
    if data is None:
        problems.append(Problem(src.path, 1, t("lint.empty_file")))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(src.path, 1, t("lint.not_mapping")))
        return None
    kind = data.get("kind")
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        problems.append(
            Problem(
                src.path, src.line_of(("kind",)), t("lint.unknown_kind", kind=kind, kinds=", ".join(KINDS))
            )
        )
        return None
    try:
        model = spec.model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(Problem(src.path, src.line_of(loc), _describe(err, loc)))
        return None
    doc_id = str(getattr(model, "id", kind))
    return str(kind), doc_id, model


def _raw_identity(data: Any) -> tuple[str, str]:
    """(kind, id) of a document that failed validation, as far as it can be read."""
    if isinstance(data, dict):
        return str(data.get("kind", "?")), str(data.get("id", data.get("kind", "?")))
    return "?", "?"


def _where(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(err: Any, loc: Path_) -> str:
    """A pydantic error in the user's words."""
    kind = err["type"]
    where = _where(loc)
    last = loc[-1] if loc else ""
    if kind == "missing":
        if last in ("zh", "en"):
            return t("lint.missing_translation", language=last, where=_where(loc[:-1]))
        return t("lint.missing_key", key=last, where=_where(loc[:-1]) or "/")
    if kind == "extra_forbidden":
        return t("lint.unknown_key", key=last, where=_where(loc[:-1]) or "/")
    if kind == "string_too_short" and last in ("zh", "en"):
        return t("lint.missing_translation", language=last, where=_where(loc[:-1]))
    if kind in ("greater_than", "less_than_equal", "greater_than_equal", "less_than") and "weight" in loc:
        return t("lint.bad_weight", where=where, value=err.get("input"))
    if kind in ("greater_than_equal", "less_than_equal") and ("level" in loc or "levels" in loc):
        return t("lint.bad_level", where=where, value=err.get("input"))
    if kind == "too_short":
        return t("lint.empty_list", where=where)
    if kind == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        return t("lint.invalid", where=where or "/", detail=msg)
    return t(
        "lint.wrong_value", where=where or "/", detail=err.get("msg", kind), value=repr(err.get("input"))[:60]
    )


def _index(docs: dict[tuple[str, str], tuple[BaseModel, Origin]], problems: list[Problem]) -> Catalog:
    cat = Catalog()
    for (kind, doc_id), (model, origin) in docs.items():
        cat.origins[(kind, doc_id)] = origin
        cat.files[origin.rel] = origin.source.sha256
        if isinstance(model, Checklist):
            cat.checklists[doc_id] = model
        elif isinstance(model, Profile):
            cat.profiles[doc_id] = model
        elif isinstance(model, Policy):
            cat.policies[doc_id] = model
        elif isinstance(model, HighRiskCatalog):
            cat.high_risk[doc_id] = model
        elif isinstance(model, ObjectKinds):
            for i, ok in enumerate(model.kinds):
                if ok.id in cat.object_kinds:
                    problems.append(
                        _at(origin, ("kinds", i, "id"), t("lint.duplicate_id", what="object kind", id=ok.id))
                    )
                cat.object_kinds[ok.id] = ok
        else:
            cat.extras.setdefault(kind, {})[doc_id] = model

    for checklist in cat.checklists.values():
        origin = cat.origins[("checklist", checklist.id)]
        for ci, category in enumerate(checklist.categories):
            if category.code in cat.categories:
                problems.append(
                    _at(
                        origin,
                        ("categories", ci, "code"),
                        t("lint.duplicate_id", what="category", id=category.code),
                    )
                )
            cat.categories[category.code] = category
        for k, control in enumerate(checklist.controls):
            if control.id in cat.controls or control.id in cat.items:
                problems.append(
                    _at(origin, ("controls", k, "id"), t("lint.duplicate_id", what="control", id=control.id))
                )
            cat.controls[control.id] = (checklist.id, control)
            for i, item in enumerate(control.items):
                if item.id in cat.items or item.id in cat.controls:
                    problems.append(
                        _at(
                            origin,
                            ("controls", k, "items", i, "id"),
                            t("lint.duplicate_id", what="item", id=item.id),
                        )
                    )
                cat.items[item.id] = (checklist.id, control, item)

    for hr in cat.high_risk.values():
        origin = cat.origins[("high_risk", hr.id)]
        for i, case in enumerate(hr.cases):
            if case.id in cat.cases:
                problems.append(
                    _at(origin, ("cases", i, "id"), t("lint.duplicate_id", what="high-risk case", id=case.id))
                )
            cat.cases[case.id] = case
    return cat


def _at(origin: Origin, loc: Path_, message: str) -> Problem:
    return Problem(origin.source.path, origin.source.line_of(loc), message)


def _check_references(cat: Catalog, problems: list[Problem]) -> None:
    # A document that failed validation is missing from the indexes; references into it would only repeat
    # that failure, so they are not reported again.
    broken_kinds = {kind for kind, _ in cat.broken}
    unreadable = "?" in broken_kinds
    items_known = "checklist" not in broken_kinds and not unreadable
    cases_known = "high_risk" not in broken_kinds and not unreadable

    def missing(kind: str, doc_id: str, index: dict[str, Any]) -> bool:
        return doc_id not in index and (kind, doc_id) not in cat.broken and not unreadable

    if not cat.object_kinds:
        problems.append(Problem(Path("<catalog>"), 1, t("lint.no_object_kinds")))
    for checklist in cat.checklists.values():
        origin = cat.origins[("checklist", checklist.id)]
        if checklist.high_risk and missing("high_risk", checklist.high_risk, cat.high_risk):
            problems.append(
                _at(
                    origin,
                    ("high_risk",),
                    t("lint.dangling", what="high-risk catalog", id=checklist.high_risk),
                )
            )
        for k, control in enumerate(checklist.controls):
            if checklist.extension != "cloud":
                for i, item in enumerate(control.items):
                    if item.sides:
                        problems.append(
                            _at(origin, ("controls", k, "items", i, "sides"), t("lint.sides_not_cloud"))
                        )
            if control.category not in cat.categories and items_known:
                problems.append(
                    _at(
                        origin,
                        ("controls", k, "category"),
                        t("lint.dangling", what="category", id=control.category),
                    )
                )
            for i, item in enumerate(control.items):
                base: Path_ = ("controls", k, "items", i)
                for j, obj in enumerate(item.objects):
                    if cat.object_kinds and obj not in cat.object_kinds:
                        problems.append(
                            _at(origin, (*base, "objects", j), t("lint.dangling", what="object kind", id=obj))
                        )
                for j, case_id in enumerate(item.high_risk):
                    case = cat.cases.get(case_id)
                    if case is None and cases_known:
                        problems.append(
                            _at(
                                origin,
                                (*base, "high_risk", j),
                                t("lint.dangling", what="high-risk case", id=case_id),
                            )
                        )
                    elif case is not None and case.item != item.id:
                        problems.append(
                            _at(
                                origin,
                                (*base, "high_risk", j),
                                t("lint.case_other_item", case=case_id, item=item.id, other=case.item),
                            )
                        )
                for j, link in enumerate(item.links):
                    if link not in cat.items and link not in cat.controls and items_known:
                        problems.append(
                            _at(
                                origin,
                                (*base, "links", j),
                                t("lint.dangling", what="item or control", id=link),
                            )
                        )

    for hr in cat.high_risk.values():
        _check_cases(cat, hr, problems, items_known=items_known)

    for profile in cat.profiles.values():
        origin = cat.origins[("profile", profile.id)]
        for j, checklist_id in enumerate(profile.checklists):
            if missing("checklist", checklist_id, cat.checklists):
                problems.append(
                    _at(origin, ("checklists", j), t("lint.dangling", what="checklist", id=checklist_id))
                )
        if profile.high_risk and missing("high_risk", profile.high_risk, cat.high_risk):
            problems.append(
                _at(
                    origin, ("high_risk",), t("lint.dangling", what="high-risk catalog", id=profile.high_risk)
                )
            )
        if missing("policy", profile.policy, cat.policies):
            problems.append(_at(origin, ("policy",), t("lint.dangling", what="policy", id=profile.policy)))
        for j, policy_id in enumerate(profile.policies):
            if missing("policy", policy_id, cat.policies):
                problems.append(_at(origin, ("policies", j), t("lint.dangling", what="policy", id=policy_id)))
        for j, kind in enumerate(profile.object_kinds):
            if cat.object_kinds and kind not in cat.object_kinds:
                problems.append(
                    _at(origin, ("object_kinds", j), t("lint.dangling", what="object kind", id=kind))
                )
        if all(c in cat.checklists for c in profile.checklists) and not cat.items_for(profile.id):
            problems.append(_at(origin, ("level",), t("lint.profile_empty", level=profile.level)))

    for kind, docs in cat.extras.items():
        spec = KINDS[kind]
        if spec.checker is None:
            continue
        for doc_id, model in docs.items():
            origin = cat.origins[(kind, doc_id)]
            for loc, message in spec.checker(cat, model, origin):
                problems.append(_at(origin, loc, message))


def _check_cases(cat: Catalog, hr: HighRiskCatalog, problems: list[Problem], *, items_known: bool) -> None:
    """A high-risk file against the checklists and the system attributes (both ways: the case's item exists at
    every level of the case and lists the case; every condition is a known system attribute; every prerequisite a
    mitigation requires is declared)."""
    origin = cat.origins[("high_risk", hr.id)]
    declared = {p.id for p in hr.prerequisites}
    listed: dict[
        str, set[str]
    ] = {}  # item id -> cases listed by any definition of it (ids may be duplicated)
    levels: dict[str, set[int]] = {}  # item id -> levels of any definition of it
    for checklist in cat.checklists.values():
        for control in checklist.controls:
            for item in control.items:
                listed.setdefault(item.id, set()).update(item.high_risk)
                levels.setdefault(item.id, set()).update(item.levels)
    for i, case in enumerate(hr.cases):
        entry = cat.items.get(case.item)
        if entry is None and items_known:
            problems.append(_at(origin, ("cases", i, "item"), t("lint.dangling", what="item", id=case.item)))
        elif entry is not None:
            missing_levels = sorted(set(case.levels) - levels.get(case.item, set()))
            if missing_levels:
                problems.append(
                    _at(
                        origin,
                        ("cases", i, "levels"),
                        t(
                            "lint.case_levels_missing",
                            case=case.id,
                            item=case.item,
                            levels=", ".join(map(str, missing_levels)),
                        ),
                    )
                )
            if case.id not in listed.get(case.item, set()):
                problems.append(
                    _at(
                        origin, ("cases", i, "item"), t("lint.case_not_on_item", case=case.id, item=case.item)
                    )
                )
        for j, condition in enumerate(case.conditions):
            if condition not in SYSTEM_CONDITIONS:
                problems.append(
                    _at(
                        origin,
                        ("cases", i, "conditions", j),
                        t("lint.unknown_condition", id=condition, known=", ".join(SYSTEM_CONDITIONS)),
                    )
                )
        for k, mitigation in enumerate(case.mitigations):
            for j, req in enumerate(mitigation.requires):
                if req not in declared:
                    problems.append(
                        _at(
                            origin,
                            ("cases", i, "mitigations", k, "requires", j),
                            t("lint.dangling", what="prerequisite", id=req),
                        )
                    )


def check_policies(cat: Catalog, check: Callable[[str, Mapping[str, Any]], list[str]]) -> list[Problem]:
    """Every policy's method and parameters through ``check`` (``assess.scoring.check_params``, passed in so the
    catalog does not import the scoring engine), each problem at the line of the parameter it concerns."""
    problems: list[Problem] = []
    for policy in cat.policies.values():
        origin = cat.origins[("policy", policy.id)]
        method_problems = check(policy.method, {})
        if method_problems:
            problems.extend(_at(origin, ("method",), m) for m in method_problems)
            continue
        for name, value in policy.params.items():
            problems.extend(_at(origin, ("params", name), m) for m in check(policy.method, {name: value}))
    return problems


def iter_problem_lines(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]
