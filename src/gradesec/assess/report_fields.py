"""The fields of the official inspection report that the inspector writes (pure: no SQL, no UI).

Everything the report needs beyond the recorded results is a *field*: a dotted path and a value, set by a
signed ``report.field_set`` event. Paths follow the report's chapters::

    unit.contact                      被测单位联系人            (a fixed path)
    narrative.TCE.measures            3.x 已有安全控制措施汇总分析 (one per 安全类, by category code)
    risk.TCE-01-a@asset-0001.threats  表5-1 关联威胁            (one per problem: item id @ asset id)

``FIELDS`` declares every pattern with its kind (how a value is checked) and the chapter it belongs to;
``MANDATORY`` lists what each template needs before the report can be handed over. ``parse_path`` resolves a
path to its spec and the placeholders it names (``cat``, ``item``, ``asset``), ``check_value`` normalises a
value or says what is wrong with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

FieldKind = Literal["line", "text", "date", "choice", "grading", "list", "file", "code"]
Value = str | list[str]

GRADING = re.compile(r"^S([1-5])A([1-5])G([1-5])$")
PROBLEM = r"(?P<item>[A-Za-z0-9][A-Za-z0-9_.\-]*)@(?P<asset>[A-Za-z0-9][A-Za-z0-9_.\-]*)"
CATEGORY = r"(?P<cat>[A-Za-z0-9][A-Za-z0-9_\-]*)"


@dataclass(frozen=True)
class FieldSpec:
    """One pattern of field paths.

    ``pattern`` is the path with placeholders ``{cat}`` (a 安全类 code of the inspection) or ``{problem}``
    (``item@asset`` of a current problem); ``chapter`` groups the field on the report screens and in
    ``report show``; ``choices`` are the allowed values of a ``choice`` field.
    """

    pattern: str
    kind: FieldKind
    chapter: str
    choices: tuple[str, ...] = ()
    limit: int = 4000
    extension: str = (
        ""  # an extension set (cloud, bigdata): the field exists only where the inspection has it
    )

    @property
    def regex(self) -> re.Pattern[str]:
        body = re.escape(self.pattern).replace(r"\{cat\}", CATEGORY).replace(r"\{problem\}", PROBLEM)
        return re.compile(f"^{body}$")

    @property
    def per(self) -> str:
        """What the pattern repeats over: ``""`` (one field), ``cat`` or ``problem``."""
        if "{cat}" in self.pattern:
            return "cat"
        if "{problem}" in self.pattern:
            return "problem"
        return ""

    def path(self, *, cat: str = "", problem: str = "") -> str:
        return self.pattern.replace("{cat}", cat).replace("{problem}", problem)


def _f(
    pattern: str, kind: FieldKind, chapter: str, *choices: str, limit: int = 4000, extension: str = ""
) -> FieldSpec:
    return FieldSpec(pattern, kind, chapter, tuple(choices), limit, extension)


# Chapters, in the order the report screens and ``report show`` walk them.
CHAPTERS: tuple[str, ...] = (
    "front",
    "project",
    "object",
    "results",
    "verification",
    "overall",
    "risk",
    "evaluation",
    "previous",
)

FIELDS: tuple[FieldSpec, ...] = (
    # Front pages: the basic-information table and the report number.
    _f("unit.address", "line", "front", limit=200),
    _f("unit.contact", "line", "front", limit=100),
    _f("unit.phone", "line", "front", limit=60),
    _f("unit.email", "line", "front", limit=120),
    _f("org.name", "line", "front", limit=200),
    _f("org.code", "code", "front", limit=4),
    _f("org.address", "line", "front", limit=200),
    _f("org.contact", "line", "front", limit=100),
    _f("org.phone", "line", "front", limit=60),
    _f("org.email", "line", "front", limit=120),
    _f("system.filing_no", "line", "front", limit=60),
    _f("report.serial", "code", "front", limit=2),
    _f("report.date", "date", "front"),
    _f("sign.prepared", "line", "front", limit=100),
    _f("sign.prepared_date", "date", "front"),
    _f("sign.reviewed", "line", "front", limit=100),
    _f("sign.reviewed_date", "date", "front"),
    _f("sign.approved", "line", "front", limit=100),
    _f("sign.approved_date", "date", "front"),
    # 等级测评结论扩展表 (云计算安全 / 大数据安全): only where the inspection has that extension set.
    _f("ext.cloud.form", "choice", "front", "public", "private", "hybrid", "community", extension="cloud"),
    _f("ext.cloud.ops_location", "line", "front", limit=200, extension="cloud"),
    _f("ext.cloud.service_model", "choice", "front", "iaas", "paas", "saas", extension="cloud"),
    _f("ext.cloud.services", "text", "front", extension="cloud"),
    _f("ext.bigdata.form", "line", "front", limit=200, extension="bigdata"),
    _f("ext.bigdata.ops_location", "line", "front", limit=200, extension="bigdata"),
    _f("ext.bigdata.deployment", "line", "front", limit=200, extension="bigdata"),
    _f("ext.bigdata.services", "text", "front", extension="bigdata"),
    # 1 测评项目概述
    _f("project.purpose", "text", "project"),
    _f("project.basis", "text", "project"),
    _f("process.preparation", "line", "project", limit=100),
    _f("process.planning", "line", "project", limit=100),
    _f("process.onsite", "line", "project", limit=100),
    _f("process.reporting", "line", "project", limit=100),
    _f("project.distribution", "text", "project"),
    # 2 被测对象描述
    _f("system.grading", "grading", "object"),
    _f("object.business", "text", "object"),
    _f("object.technology", "text", "object"),
    _f("object.network", "text", "object"),
    _f("object.network_image", "file", "object"),
    _f("object.selection", "text", "object"),
    # 3 单项测评结果分析
    _f("narrative.{cat}.measures", "text", "results"),
    _f("narrative.{cat}.problems", "text", "results"),
    _f("narrative.other", "text", "results"),
    # 3.12 验证测试
    _f("verify.scan_tools", "line", "verification", limit=300),
    _f("verify.scan", "text", "verification"),
    _f("verify.pentest_tools", "line", "verification", limit=300),
    _f("verify.pentest", "text", "verification"),
    _f("verify.declined", "text", "verification"),
    _f("verify.declined_by", "line", "verification", limit=100),
    # 4 整体测评
    _f("overall.controls", "text", "overall"),
    _f("overall.areas", "text", "overall"),
    _f("overall.{problem}.change", "choice", "overall", "none", "up", "down"),
    _f("overall.{problem}.description", "text", "overall"),
    # 5 安全问题风险分析, 8 整改建议
    _f("risk.{problem}.assets", "line", "risk", limit=300),
    _f("risk.{problem}.threats", "list", "risk"),
    _f("risk.{problem}.analysis", "text", "risk"),
    _f("risk.{problem}.level", "choice", "risk", "high", "medium", "low"),
    _f("major.{problem}.trigger", "line", "risk", limit=200),
    _f("major.{problem}.consequence", "text", "risk"),
    _f("major.{problem}.remediated", "choice", "risk", "yes", "no"),
    _f("advice.{problem}", "text", "risk"),
    # 6 总体评价
    _f("evaluation", "text", "evaluation"),
    # 附录B 上次测评问题整改情况
    _f("previous.{problem}.state", "choice", "previous", "fixed", "partly", "open"),
    _f("previous.{problem}.note", "text", "previous"),
)

# What each template needs filled before the report is handed over (patterns; per-category and per-problem
# patterns are expanded over the inspection's categories and problems). Verification needs either the scan and
# penetration-test summaries or the unit's signed refusal; ``missing_fields`` handles that pair.
_COMMON: tuple[str, ...] = (
    "unit.address",
    "unit.contact",
    "unit.phone",
    "org.name",
    "org.code",
    "org.contact",
    "system.filing_no",
    "sign.prepared",
    "sign.reviewed",
    "sign.approved",
    "project.purpose",
    "project.basis",
    "process.preparation",
    "process.planning",
    "process.onsite",
    "process.reporting",
    "system.grading",
    "object.business",
    "object.technology",
    "object.network",
    "object.selection",
    "narrative.{cat}.measures",
    "narrative.{cat}.problems",
    "overall.controls",
    "overall.areas",
    "risk.{problem}.assets",
    "risk.{problem}.threats",
    "risk.{problem}.analysis",
    "risk.{problem}.level",
    "advice.{problem}",
    "evaluation",
)
MANDATORY: dict[str, tuple[str, ...]] = {
    "2025": (*_COMMON, "project.distribution", "major.{problem}.trigger", "major.{problem}.consequence"),
    "2021": _COMMON,
}
TEMPLATES: tuple[str, ...] = ("2025", "2021")
# Every field of an extension's conclusion table is needed wherever the inspection has that extension set.
EXTENSION_TABLES: tuple[str, ...] = ("cloud", "bigdata")


def service_rows(text: str) -> list[tuple[str, str]]:
    """The platform-service list of an extension table: one service a line, ``service | evaluation`` (a tab,
    ``|``, ``｜`` or a full-width colon separates them; a line without one is a service not yet evaluated)."""
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = re.split(r"\t|\||｜|：", line, maxsplit=1)
        rows.append((parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""))
    return rows


class FieldError(ValueError):
    """A path or value the report model refuses; ``key`` is the message key, ``fields`` its placeholders."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


def parse_path(path: str) -> tuple[FieldSpec, dict[str, str]]:
    """The spec of ``path`` and the placeholders it fills (``cat``; ``item`` and ``asset``)."""
    for spec in FIELDS:
        match = spec.regex.match(path)
        if match is not None:
            return spec, {k: v for k, v in match.groupdict().items() if v is not None}
    raise FieldError("report.field.unknown", path=path)


def spec_of(pattern: str) -> FieldSpec:
    for spec in FIELDS:
        if spec.pattern == pattern:
            return spec
    raise KeyError(pattern)


def check_value(spec: FieldSpec, raw: object) -> Value:
    """``raw`` normalised for ``spec`` (stripped text, a list of ids, an ISO date), or a ``FieldError``."""
    if spec.kind == "list":
        items = raw if isinstance(raw, list) else re.split(r"[,，、\s]+", str(raw or ""))
        values = [str(x).strip() for x in items if str(x).strip()]
        if len(set(values)) != len(values):
            raise FieldError("report.field.duplicate", path=spec.pattern)
        return values
    if isinstance(raw, (list, dict)):
        raise FieldError("report.field.not_text", path=spec.pattern)
    text = str(raw if raw is not None else "").strip()
    if len(text) > spec.limit:
        raise FieldError("report.field.too_long", path=spec.pattern, limit=spec.limit)
    if not text:
        return ""  # an empty value clears the field
    if spec.kind == "line" and "\n" in text:
        raise FieldError("report.field.one_line", path=spec.pattern)
    if spec.kind == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise FieldError("report.field.bad_date", path=spec.pattern, value=text) from None
    if spec.kind == "choice" and text not in spec.choices:
        raise FieldError(
            "report.field.bad_choice", path=spec.pattern, value=text, choices=", ".join(spec.choices)
        )
    if spec.kind == "grading":
        text = text.upper()
        match = GRADING.match(text)
        if match is None or int(match[3]) != max(int(match[1]), int(match[2])):
            raise FieldError("report.field.bad_grading", value=text)
    if spec.kind == "code" and not text.isdigit():
        raise FieldError("report.field.bad_code", path=spec.pattern, value=text, n=spec.limit)
    if spec.kind == "code":
        text = text.zfill(spec.limit)
    return text


def grading_level(grading: str) -> int:
    """The system level a 定级结果 states: G, the higher of S (业务信息安全) and A (系统服务安全)."""
    match = GRADING.match(grading)
    return int(match[3]) if match is not None else 0


def problem_key(item_id: str, asset_id: str) -> str:
    return f"{item_id}@{asset_id}"


def expand(
    patterns: tuple[str, ...], categories: list[str], problems: list[str], majors: list[str]
) -> list[str]:
    """Every concrete path of ``patterns`` for these categories, problems and major-risk problems."""
    out: list[str] = []
    for pattern in patterns:
        if "{cat}" in pattern:
            out.extend(pattern.replace("{cat}", c) for c in categories)
        elif pattern.startswith("major."):
            out.extend(pattern.replace("{problem}", p) for p in majors)
        elif "{problem}" in pattern:
            out.extend(pattern.replace("{problem}", p) for p in problems)
        else:
            out.append(pattern)
    return out


def label_key(pattern: str) -> str:
    """The message key of a field pattern's label: ``narrative.{cat}.measures`` → ``official.f.narrative.measures``."""
    key = pattern.replace(".{cat}", "").replace(".{problem}", "")
    return f"official.f.{key}"


def official_number(filing: str, code: str, serial: str, year: int) -> str:
    """The report number of the template: ``备案证明编号-年份(2位)-机构代码(4位)-序号(2位)``."""
    return f"{filing}-{year % 100:02d}-{code}-{serial or '01'}"
