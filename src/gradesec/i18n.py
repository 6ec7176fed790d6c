"""One mechanism for every string a person reads, in zh-CN and en.

Messages live in ``locales/*.yaml`` beside this module, one file per area (``core.yaml``, ``catalog.yaml``,
``journal.yaml`` …), each a flat mapping ``key: {zh: …, en: …}``. Keys are unique across all files. ``t(key,
**fields)`` returns the message in the current language with ``str.format`` fields filled in.

The current language comes from ``set_lang`` (the ``--lang`` option, the TUI switch), else ``GRADESEC_LANG``,
else the locale (``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` starting with ``zh`` means Chinese), else English.
"""

from __future__ import annotations

import hashlib
import json
import os
import string
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeAlias

Lang: TypeAlias = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_current: Lang | None = None


def detect_lang() -> Lang:
    env = os.environ.get("GRADESEC_LANG", "").strip().lower()
    # zh, zh-CN, zh_CN.UTF-8, zh-Hans … all mean Chinese; en, en-US, en_GB … English.
    for lang in LANGS:
        if env == lang or env.startswith((f"{lang}-", f"{lang}_", f"{lang}.")):
            return lang
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
    """All messages from all locale files (loaded once per process).

    Parsing the YAML costs ~40 ms, on every start-up; so the merged messages are also kept as JSON in the user
    cache dir, keyed by the files' names, sizes and modification times. Any problem with the cache only means
    the files are parsed again.
    """
    files = sorted(locales_dir().glob("*.yaml"))
    stamp = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
    cached = _cache_dir() / f"messages-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.json"
    try:
        data: dict[str, dict[str, str]] = json.loads(cached.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        pass
    merged = _parse(files)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cached)
    except OSError:
        pass
    return merged


def _cache_dir() -> Path:
    env = os.environ.get("GRADESEC_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("gradesec", appauthor=False))


def _parse(files: list[Path]) -> dict[str, dict[str, str]]:
    import yaml

    merged: dict[str, dict[str, str]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # a safe loader
        for key, value in data.items():
            if key in merged:
                raise RuntimeError(f"{path.name}: message key {key!r} is defined twice")
            merged[key] = value
    return merged


class _Counting(string.Formatter):
    """``str.format`` plus counted nouns: ``{n:~event}`` gives "1 event" or "3 events", and
    ``{n:~entry|entries}`` names an irregular plural (English messages; Chinese needs none)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if not format_spec.startswith("~"):
            return str(super().format_field(value, format_spec))
        singular, _, plural = format_spec[1:].partition("|")
        one = value == 1 or value == "1"
        return f"{value} {singular if one else (plural or singular + 's')}"


_COUNTING = _Counting()


def t(key: str, /, lang: str | None = None, **fields: object) -> str:
    """The message ``key`` in ``lang`` (default: the current language), with fields filled in."""
    entry = messages().get(key)
    if entry is None:
        # A missing key is a bug; show the key rather than crash in front of a user.
        return key
    text = entry.get(lang or get_lang()) or entry.get("en") or key
    if not fields:
        return text
    return _COUNTING.format(text, **fields) if ":~" in text else text.format(**fields)


def pick(text: dict[str, str] | None, lang: str | None = None) -> str:
    """Choose one language from a ``{zh: …, en: …}`` mapping taken from data files."""
    if not text:
        return ""
    chosen = lang or get_lang()
    return text.get(chosen) or text.get("en") or text.get("zh") or ""
