"""The loaded catalog (``Catalog``) and an item as an inspection sees it (``ResolvedItem``): profiles composed
with extensions, the items of a profile at a level with their letters at that level, the pinned hashes.
Split from ``loader.py``, which re-exports every name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from gradesec.catalog.kinds import Origin
from gradesec.catalog.models import (
    CLOUD_SIDES,
    EXTENSIONS,
    Category,
    Checklist,
    Control,
    HighRiskCase,
    HighRiskCatalog,
    Item,
    ObjectKind,
    Policy,
    Profile,
    Text,
)
from gradesec.errors import NotFoundError
from gradesec.i18n import t


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
