"""Pydantic models of the catalog files (YAML).

Every file is a mapping with a ``kind`` key naming its model. Models forbid unknown keys; cross-file checks
(duplicate ids, dangling references) are done by the loader once every file is read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Level = Annotated[int, Field(ge=1, le=4)]
Method = Literal["interview", "examine", "test"]
ResultValue = Literal["compliant", "partial", "noncompliant", "na"]
Risk = Literal["high", "medium", "low"]
CategoryClass = Literal["technical", "management"]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80)]

METHODS: tuple[Method, ...] = ("interview", "examine", "test")
RESULTS: tuple[ResultValue, ...] = ("compliant", "partial", "noncompliant", "na")
RISKS: tuple[Risk, ...] = ("high", "medium", "low")
Extension = Literal["cloud", "mobile", "iot", "ics", "bigdata"]
CloudSide = Literal["provider", "customer"]
EXTENSIONS: tuple[Extension, ...] = ("cloud", "mobile", "iot", "ics", "bigdata")
CLOUD_SIDES: tuple[CloudSide, ...] = ("provider", "customer")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Strict):
    """A text in both languages. Both are required and may not be empty."""

    zh: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


class ObjectKind(Strict):
    """A kind of object. A *category object* (``category`` set: the machine room, the communication network,
    the area boundary, the management centre, each management category) is assessed on exactly the items of
    its category, the way inspectors keep one record sheet per category."""

    id: Id
    name: Text
    description: Text | None = None
    category: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{1,7}$")] | None = None


class ObjectKinds(Strict):
    """The vocabulary of things an item is assessed on (machine room, server, documents …)."""

    kind: Literal["object_kinds"]
    # Optional: a second vocabulary file (e.g. the extension sets' kinds) needs its own id; the kinds of every
    # object_kinds document are merged, and a kind id may appear only once.
    id: Id = "object_kinds"
    kinds: Annotated[list[ObjectKind], Field(min_length=1)]


class Category(Strict):
    """A security category (安全类 / 层面), e.g. CES 安全计算环境."""

    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{1,7}$")]
    name: Text
    cls: Annotated[CategoryClass, Field(alias="class")]
    order: int = 0


class Item(Strict):
    """One requirement item (要求项 / 测评项).

    ``text`` is the wording used at every level in ``levels`` unless ``text_by_level`` gives one for that level.
    ``weight`` has a value for every level in ``levels``; ``weight_source`` says for each level whether the
    weight comes from real assessment records (``record``) or our judgement (``judged``).
    """

    id: Id
    levels: Annotated[list[Level], Field(min_length=1)]
    text: Text
    text_by_level: dict[Level, Text] = Field(default_factory=dict)
    weight: dict[Level, Annotated[float, Field(gt=0, le=1)]]
    weight_source: dict[Level, Literal["record", "judged"]] = Field(default_factory=dict)
    methods: Annotated[list[Method], Field(min_length=1)]
    objects: Annotated[list[Id], Field(min_length=1)]
    guidance: Text
    evidence: Text | None = None
    unit_ids: dict[Level, Annotated[str, Field(pattern=r"^L[1-4]-[A-Z]{3}[1-5]-\d{2}$")]] = Field(
        default_factory=dict
    )
    high_risk: list[Id] = Field(default_factory=list)
    links: list[Id] = Field(default_factory=list)
    # The item's letter a) b) … within its control point at a level, where it differs from its position among
    # the control point's items at that level (the position is the default).
    letters: dict[Level, Annotated[str, Field(pattern=r"^[a-z]$")]] = Field(default_factory=dict)
    # Cloud extension only: which side answers for the item (云服务商 provider, 云服务客户 customer, or both).
    sides: list[CloudSide] = Field(default_factory=list)

    @model_validator(mode="after")
    def _levels_consistent(self) -> Item:
        levels = set(self.levels)
        if len(levels) != len(self.levels):
            raise ValueError("levels: a level is listed twice")
        missing = sorted(levels - set(self.weight))
        if missing:
            raise ValueError(f"weight: no weight for level {', '.join(map(str, missing))}")
        for name, mapping in (
            ("weight", self.weight),
            ("text_by_level", self.text_by_level),
            ("weight_source", self.weight_source),
            ("unit_ids", self.unit_ids),
            ("letters", self.letters),
        ):
            extra = sorted(set(mapping) - levels)
            if extra:
                raise ValueError(f"{name}: level {', '.join(map(str, extra))} is not in levels")
        for level, unit in self.unit_ids.items():
            if not unit.startswith(f"L{level}-"):
                raise ValueError(f"unit_ids: {unit} does not belong to level {level}")
        return self

    def text_at(self, level: int) -> Text:
        return self.text_by_level.get(level, self.text)


class Control(Strict):
    """A control point (安全控制点) with its items."""

    id: Id
    category: str
    name: Text
    items: Annotated[list[Item], Field(min_length=1)]


class Checklist(Strict):
    kind: Literal["checklist"]
    id: Id
    version: Annotated[str, Field(min_length=1)] = "1"
    title: Text
    description: Text | None = None
    source: str | None = None
    # An extension set (安全扩展要求) of GB/T 22239-2019; None for the general requirements and other lists.
    extension: Extension | None = None
    # The high-risk catalog whose cases hang on this checklist's items (extension sets name theirs here, so a
    # composed profile such as ``mlps-l3+cloud`` picks it up).
    high_risk: Id | None = None
    categories: list[Category] = Field(default_factory=list)
    controls: Annotated[list[Control], Field(min_length=1)]


def _noncompliant_only() -> list[Literal["partial", "noncompliant"]]:
    return ["noncompliant"]


def _default_days() -> dict[Risk, int]:
    return {"high": 14, "medium": 30, "low": 90}


SYSTEM_CONDITIONS: tuple[str, ...] = ("business_continuity", "critical_industry")
"""System attributes a high-risk case may require (its 适用范围 names them): 业务连续性要求高, 关键行业."""


class Situation(Strict):
    """One problem situation of a case (问题描述): any one of them makes the finding high risk."""

    id: Annotated[int, Field(ge=1, le=20)]
    text: Text


class Prerequisite(Strict):
    """A named fact a mitigation depends on (e.g. the object does not serve the internet, is not Windows)."""

    id: Id
    text: Text


class Mitigation(Strict):
    """A mitigation the guide names (可能的缓解措施) and how far it lets the rating be lowered (风险评价).

    ``situations`` are the problem situations it can mitigate (empty: all of the case's situations);
    ``requires`` names prerequisites (declared at the top of the file) that must hold as well; ``down_to`` is the
    lowest risk the inspector may set with it.
    """

    id: Id
    text: Text
    situations: list[Annotated[int, Field(ge=1, le=20)]] = Field(default_factory=list)
    requires: list[Id] = Field(default_factory=list)
    down_to: Literal["medium", "low"] = "low"


class HighRiskCase(Strict):
    """A case of the high-risk determination guide (高风险判定指引), in our own words.

    ``item`` is the one requirement item the case belongs to (the guide's appendix A); ``levels`` and
    ``conditions`` are its 适用范围 (the case applies only to systems of those levels that have every listed
    condition); ``results`` are the item results that raise it; ``mitigations`` are the only grounds on which a
    suggested *high* may be lowered; ``advice`` is the remediation advice (appendix B).
    """

    id: Annotated[str, Field(pattern=r"^\d+(\.\d+){1,4}$")]
    levels: Annotated[list[Level], Field(min_length=1)]
    conditions: list[Id] = Field(default_factory=list)
    title: Text
    item: Id
    results: list[Literal["partial", "noncompliant"]] = Field(default_factory=_noncompliant_only)
    situations: Annotated[list[Situation], Field(min_length=1)]
    mitigations: list[Mitigation] = Field(default_factory=list)
    note: Text | None = None
    advice: Text

    @model_validator(mode="after")
    def _consistent(self) -> HighRiskCase:
        numbers = [s.id for s in self.situations]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("situations: ids must run 1, 2, 3 … in order")
        seen: set[str] = set()
        for m in self.mitigations:
            if m.id in seen:
                raise ValueError(f"mitigations: id {m.id} is listed twice")
            seen.add(m.id)
            unknown = sorted(set(m.situations) - set(numbers))
            if unknown:
                raise ValueError(
                    f"mitigations: {m.id} names situation {unknown[0]}, which the case does not have"
                )
        return self

    @property
    def items(self) -> list[str]:
        """The case's item as a list (the form pinned with an inspection)."""
        return [self.item]

    @property
    def downgradable(self) -> bool:
        """True when at least one mitigation allows lowering the rating."""
        return bool(self.mitigations)

    def mitigation(self, mitigation_id: str) -> Mitigation | None:
        return next((m for m in self.mitigations if m.id == mitigation_id), None)


class HighRiskCatalog(Strict):
    kind: Literal["high_risk"]
    id: Id
    title: Text
    source: str | None = None
    prerequisites: list[Prerequisite] = Field(default_factory=list)
    cases: Annotated[list[HighRiskCase], Field(min_length=1)]


class Profile(Strict):
    """What applies to a given system: level, checklists, object kinds, scoring policy."""

    kind: Literal["profile"]
    id: Id
    title: Text
    description: Text | None = None
    level: Level
    checklists: Annotated[list[Id], Field(min_length=1)]
    high_risk: Id | None = None
    object_kinds: list[Id] = Field(default_factory=list)
    policy: Id
    policies: list[Id] = Field(default_factory=list)
    remediation_days: dict[Risk, Annotated[int, Field(ge=1, le=3650)]] = Field(default_factory=_default_days)
    # Set only on composed profiles (``mlps-l3+cloud``, built by the catalog, never read from a file).
    extensions: list[Extension] = Field(default_factory=list)
    cloud_side: CloudSide | None = None
    base: Id | None = None
    extra_high_risk: list[Id] = Field(default_factory=list)

    @field_validator("checklists")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a checklist is listed twice")
        return value


class Policy(Strict):
    """A scoring policy: a named method of ``gradesec.assess.scoring`` plus its parameters."""

    kind: Literal["policy"]
    id: Id
    title: Text
    description: Text | None = None
    method: Literal["mlps-2019", "mlps-2021", "mlps-2025", "share-met"]
    params: dict[str, float | int | str | bool | dict[str, float]] = Field(default_factory=dict)
