"""The field's words in a record workbook, and how cells are compared.

What a result or method cell may say (符合, partially compliant …), the names of the summary and category sheets,
the words in a sheet's name that suggest an asset's kind, the extension sets a 扩展标准 cell names; and the
normalisations every comparison uses (``norm`` for names, ``norm_text`` for item wordings, ``letter_of`` for an
item's letter). ``mapper`` applies them to rows; ``assets``, ``importer`` and ``wording`` use them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

RESULT_WORDS: dict[str, str] = {
    "符合": "compliant",
    "部分符合": "partial",
    "不符合": "noncompliant",
    "不适用": "na",
    "compliant": "compliant",
    "partial": "partial",
    "partiallycompliant": "partial",
    "noncompliant": "noncompliant",
    "notcompliant": "noncompliant",
    "na": "na",
    "n/a": "na",
    "notapplicable": "na",
}
METHOD_WORDS: dict[str, str] = {
    "访谈": "interview",
    "核查": "examine",
    "测试": "test",
    "interview": "interview",
    "examine": "examine",
    "test": "test",
}
SUMMARY_NAMES: frozenset[str] = frozenset({"汇总", "summary", "概况", "说明"})
# Sheet names of the category objects, compared after removing spaces.
CATEGORY_SHEETS: dict[str, str] = {
    "中心机房": "PES",
    "机房": "PES",
    "安全物理环境": "PES",
    "物理环境": "PES",
    "安全通信网络": "CNS",
    "通信网络": "CNS",
    "系统边界": "ABS",
    "区域边界": "ABS",
    "安全区域边界": "ABS",
    "安全管理中心": "SMC",
    "管理中心": "SMC",
    "安全管理制度": "PSS",
    "管理制度": "PSS",
    "安全管理机构": "ORS",
    "管理机构": "ORS",
    "安全管理人员": "HRS",
    "管理人员": "HRS",
    "安全建设管理": "CMS",
    "建设管理": "CMS",
    "安全运维管理": "MMS",
    "运维管理": "MMS",
}
# Guessing an asset's kind from a sheet's name, first match wins (shown to the user before anything is made).
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "database",
        ("数据库", "mysql", "oracle", "sqlserver", "达梦", "postgres", "redis", "mongodb", "人大金仓"),
    ),
    (
        "middleware",
        ("中间件", "tomcat", "nginx", "weblogic", "apache", "iis", "jboss", "websphere", "东方通"),
    ),
    (
        "security_device",
        (
            "防火墙",
            "waf",
            "堡垒机",
            "审计",
            "ips",
            "ids",
            "漏洞扫描",
            "漏扫",
            "edr",
            "网闸",
            "vpn",
            "防病毒",
            "杀毒",
            "态势",
            "入侵",
            "抗ddos",
            "安全网关",
            "firewall",
        ),
    ),
    ("network_device", ("交换机", "路由器", "switch", "router", "负载均衡", "ac控制器", "无线")),
    ("terminal", ("终端", "pc", "笔记本", "运维机", "terminal")),
    ("data", ("数据", "个人信息", "data")),
    (
        "server",
        ("服务器", "主机", "linux", "windows", "centos", "ubuntu", "麒麟", "统信", "server", "虚拟机"),
    ),
    ("application", ("系统", "平台", "应用", "app", "网站", "门户", "小程序")),
)
EXTENSION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cloud", ("云计算",)),
    ("mobile", ("移动互联",)),
    ("iot", ("物联网",)),
    ("ics", ("工业控制",)),
    ("bigdata", ("大数据",)),
)
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"^\s*[（(]?\s*([a-zA-Z])\s*[）)．.、]")
_TEXT_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def norm(value: str) -> str:
    return _SPACES.sub("", value).casefold()


def letter_of(text: str) -> str:
    m = _LETTER.match(text)
    return m.group(1).lower() if m else ""


def norm_text(text: str) -> str:
    """Item text for comparison: without the letter, punctuation, spaces and case."""
    m = _LETTER.match(text)
    body = text[m.end() :] if m else text
    return _TEXT_NOISE.sub("", body).casefold()


def extension_of(mark: str) -> str | None:
    """The extension set a 扩展标准 cell names (``cloud`` …), ``other`` for another extension, or None."""
    if "扩展" not in mark and "extension" not in mark.casefold():
        return None
    for key, words in EXTENSION_WORDS:
        if any(w in mark for w in words):
            return key
    return "other"


def guess_kind(name: str, kinds: Iterable[str]) -> str:
    low = norm(name)
    known = set(kinds)
    for kind, words in KIND_WORDS:
        if kind in known and any(w in low for w in words):
            return kind
    return "application" if "application" in known else sorted(known)[0]
