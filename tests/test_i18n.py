"""Every message a person reads exists in zh and en, with the same fields to fill in."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

from gradesec import i18n

LOCALES = sorted(i18n.locales_dir().glob("*.yaml"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("path", LOCALES, ids=lambda p: p.name)
def test_every_message_has_both_languages_and_the_same_fields(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data
    for key, entry in data.items():
        assert isinstance(entry, dict), key
        assert set(entry) == {"zh", "en"}, key
        assert str(entry["zh"]).strip() and str(entry["en"]).strip(), key
        assert _fields(str(entry["zh"])) == _fields(str(entry["en"])), key


def test_keys_are_unique_across_files() -> None:
    """Parsing the files themselves (not the cache) refuses a key defined twice."""
    assert len(i18n._parse(LOCALES)) > 100


def test_messages_are_cached_and_the_cache_follows_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADESEC_CACHE", str(tmp_path / "cache"))
    i18n.messages.cache_clear()
    first = i18n.messages()
    cached = list((tmp_path / "cache").glob("messages-*.json"))
    assert len(cached) == 1
    i18n.messages.cache_clear()
    assert i18n.messages() == first  # read back from the cache
    assert first == i18n._parse(LOCALES)
    i18n.messages.cache_clear()


def test_language_follows_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADESEC_LANG", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert i18n.set_lang(None) == "zh"
    assert i18n.t("word.yes") == "是"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert i18n.set_lang(None) == "en"
    assert i18n.t("word.yes") == "yes"
    monkeypatch.setenv("GRADESEC_LANG", "zh")
    assert i18n.set_lang(None) == "zh"
    for spelled in ("zh-CN", "zh_CN.UTF-8", "ZH-Hans"):
        monkeypatch.setenv("GRADESEC_LANG", spelled)
        assert i18n.set_lang(None) == "zh"
    monkeypatch.setenv("GRADESEC_LANG", "en-US")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.set_lang(None) == "en"
    monkeypatch.setenv("GRADESEC_LANG", "zhx")  # not a language tag: the locale decides
    assert i18n.set_lang(None) == "zh"


def test_unknown_key_shows_the_key_instead_of_crashing() -> None:
    assert i18n.t("no.such.key") == "no.such.key"


def test_counted_nouns_agree_with_their_number() -> None:
    assert i18n.t("verify.failed", lang="en", n=1) == "Verification failed: 1 problem found."
    assert i18n.t("verify.failed", lang="en", n=3) == "Verification failed: 3 problems found."
    assert i18n._COUNTING.format("{n:~entry|entries}", n=2) == "2 entries"
    assert i18n._COUNTING.format("{n:~entry|entries}", n="1") == "1 entry"
    assert i18n._COUNTING.format("{x:>4}|{n:~row}", x=7, n=0) == "   7|0 rows"


def test_no_english_message_says_s_in_brackets() -> None:
    """Counted nouns use ``{n:~noun}``; "(s)" reads as a form letter."""
    offenders = [
        key for key, entry in i18n.messages().items() if "} " in entry.get("en", "") and "(s)" in entry["en"]
    ]
    assert offenders == []
