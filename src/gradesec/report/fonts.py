"""Find a TrueType font that can set Chinese, register it with reportlab, and check it covers a text.

reportlab embeds a subset of a TrueType font (glyf outlines) but cannot use CFF-flavoured OpenType, so the
search tries TrueType files and TrueType collections (``.ttc``, with a sub-font index) and skips any file
reportlab refuses. The user's choice comes first: ``GRADESEC_FONT`` (``path`` or ``path#index``), then the
``font`` entry of ``config.yaml``; a chosen font that does not load is an error, never silently replaced.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gradesec.errors import GradesecError
from gradesec.i18n import t

# Known TrueType CJK fonts by platform, best first (regular weight, index in the collection).
_CANDIDATES: tuple[tuple[str, int], ...] = (
    # Debian / Ubuntu / Fedora
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
    ("/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf", 0),
    # Windows
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("C:/Windows/Fonts/simkai.ttf", 0),
    # macOS
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
)
# File-name fragments worth trying in the usual font folders when no known path exists.
_NAME_HINTS: tuple[str, ...] = (
    "wqy",
    "uming",
    "ukai",
    "simsun",
    "msyh",
    "simhei",
    "notosanssc",
    "droidsansfallback",
)
_FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "~/Library/Fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
_SAMPLE = "测评报告符合"  # a Chinese font must at least set these


@dataclass(frozen=True)
class FontInfo:
    """A registered font: the reportlab name to use and the characters it can set."""

    name: str
    path: Path
    subfont: int
    family: str
    chars: frozenset[int]

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The characters of ``texts`` the font cannot set (controls and spaces excepted), sorted."""
        seen: set[str] = set()
        for text in texts:
            seen.update(text)
        out = []
        for ch in seen:
            code = ord(ch)
            if code in self.chars or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            out.append(ch)
        return sorted(out)

    def check(self, texts: Iterable[str]) -> None:
        """Raise a ``GradesecError`` naming every character the font lacks."""
        missing = self.missing(texts)
        if missing:
            shown = [f"'{ch}' U+{ord(ch):04X}" for ch in missing]
            raise GradesecError(
                t("report.font.missing_chars", n=len(missing), font=self.family, chars=", ".join(shown[:40])),
                t("report.font.missing_chars.hint"),
            )


_lock = threading.Lock()
_registered: dict[tuple[str, int], FontInfo] = {}


def _parse_choice(value: str) -> tuple[Path, int]:
    text = value.strip()
    index = 0
    if "#" in text:
        head, _, tail = text.rpartition("#")
        if tail.isdigit():
            text, index = head, int(tail)
    return Path(text).expanduser(), index


def _user_choice() -> tuple[str, str] | None:
    """(where it came from, value) of the font the user asked for, if any."""
    env = os.environ.get("GRADESEC_FONT", "").strip()
    if env:
        return "GRADESEC_FONT", env
    from gradesec.config import load_config

    font = load_config().font
    if font is not None:
        return "config.yaml font", str(font)
    return None


def _search_dirs() -> list[tuple[Path, int]]:
    found: list[tuple[Path, int]] = []
    for folder in _FONT_DIRS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        try:
            files = sorted(root.rglob("*"))
        except OSError:
            continue
        for path in files:
            name = path.name.lower()
            if path.suffix.lower() in (".ttf", ".ttc") and any(h in name for h in _NAME_HINTS):
                found.append((path, 0))
    return found


def _load(path: Path, subfont: int) -> FontInfo:
    """Register one font with reportlab (once per process) or raise ``ValueError`` saying why not."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    key = (str(path.resolve()), subfont)
    with _lock:
        known = _registered.get(key)
        if known is not None:
            return known
        if not path.is_file():
            raise ValueError(t("report.font.no_file"))
        name = f"GradesecFont{len(_registered)}"
        try:
            font = TTFont(name, str(path), subfontIndex=subfont)
        except (TTFError, OSError, IndexError, KeyError, ValueError, AssertionError) as exc:
            raise ValueError(str(exc) or type(exc).__name__) from None
        chars = frozenset(font.face.charToGlyph)
        if any(ord(ch) not in chars for ch in _SAMPLE):
            raise ValueError(t("report.font.not_cjk"))
        pdfmetrics.registerFont(font)
        # One face for every style: CJK fonts rarely ship a bold, and a missing bold must not fail a report.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        raw = font.face.name
        family = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
        info = FontInfo(name, path, subfont, family, chars)
        _registered[key] = info
        return info


def find_font() -> FontInfo:
    """The font to set reports in: the user's choice, else the first usable one on the system."""
    choice = _user_choice()
    if choice is not None:
        source, value = choice
        path, index = _parse_choice(value)
        try:
            return _load(path, index)
        except ValueError as exc:
            raise GradesecError(
                t("report.font.bad_choice", source=source, path=path, detail=str(exc)),
                t("report.font.bad_choice.hint"),
            ) from None
    tried: set[str] = set()
    for raw, index in (*((Path(p), i) for p, i in _CANDIDATES), *_search_dirs()):
        path = Path(raw)
        if str(path) in tried or not path.is_file():
            continue
        tried.add(str(path))
        try:
            return _load(path, index)
        except ValueError:
            continue
    raise GradesecError(t("report.font.none"), t("report.font.none.hint"))
