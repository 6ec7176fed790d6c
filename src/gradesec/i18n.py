"""One mechanism for every string a person reads, in zh-CN and en.

Messages live in ``locales/*.yaml`` beside this module, one file per area (``core.yaml``, ``catalog.yaml``,
``journal.yaml`` …), each a flat mapping ``key: {zh: …, en: …}``. Keys are unique across all files. ``t(key,
**fields)`` returns the message in the current language with ``str.format`` fields filled in.

The current language comes from ``set_lang`` (the ``--lang`` option, the TUI switch), else ``GRADESEC_LANG``,
else the locale (``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` starting with ``zh`` means Chinese), else English.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Literal, TypeAlias

import yaml

Lang: TypeAlias = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_current: Lang | None = None


def detect_lang() -> Lang:
    env = os.environ.get("GRADESEC_LANG", "").strip().lower()
    if env in LANGS:
        return env  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def get_lang() -> Lang:
    global _current
    if _current is None:
        _current = detect_lang()
    return _current


def set_lang(lang: str | None) -> Lang:
    """Set the current language; ``None`` re-detects it from the environment."""
    global _current
    if lang is None:
        _current = detect_lang()
        return _current
    norm = lang.strip().lower().replace("_", "-")
    if norm in ("zh", "zh-cn", "cn", "chinese"):
        _current = "zh"
    elif norm in ("en", "en-us", "en-gb", "english"):
        _current = "en"
    else:
        raise ValueError(lang)
    return _current


def locales_dir() -> Path:
    return Path(__file__).with_name("locales")


@cache
def messages() -> dict[str, dict[str, str]]:
    """All messages from all locale files (loaded once)."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(locales_dir().glob("*.yaml")):
        # libyaml when present: the message files are read on every start-up.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # a safe loader
        for key, value in data.items():
            if key in merged:
                raise RuntimeError(f"{path.name}: message key {key!r} is defined twice")
            merged[key] = value
    return merged


def t(key: str, /, lang: str | None = None, **fields: object) -> str:
    """The message ``key`` in ``lang`` (default: the current language), with fields filled in."""
    entry = messages().get(key)
    if entry is None:
        # A missing key is a bug; show the key rather than crash in front of a user.
        return key
    text = entry.get(lang or get_lang()) or entry.get("en") or key
    return text.format(**fields) if fields else text


def pick(text: dict[str, str] | None, lang: str | None = None) -> str:
    """Choose one language from a ``{zh: …, en: …}`` mapping taken from data files."""
    if not text:
        return ""
    chosen = lang or get_lang()
    return text.get(chosen) or text.get("en") or text.get("zh") or ""
