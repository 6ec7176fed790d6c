"""The light theme passes WCAG AA (4.5:1) for every text colour, computed from the theme's own variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color

from gradesec.tui.app import LIGHT, GradesecApp
from gradesec.tui.session import Launch

TEXTS = (
    "foreground",
    "text",
    "text-muted",
    "text-primary",
    "text-secondary",
    "text-accent",
    "text-success",
    "text-warning",
    "text-error",
)
BACKGROUNDS = ("background", "surface", "panel")
# Text drawn on its own background: (foreground variable, background variable).
PAIRS = (
    ("footer-key-foreground", "footer-background"),
    ("footer-description-foreground", "footer-background"),
    ("footer-foreground", "footer-background"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("button-foreground", "surface"),
    ("input-selection-foreground", "surface"),
)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def drawn(value: str, background: Color) -> Color:
    """The colour a text variable ends up as on ``background`` (``auto N%`` and alpha resolved)."""
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        color = background.get_contrast_text(alpha)
    else:
        color = Color.parse(value)
    return background.blend(color.with_alpha(1), color.a) if color.a < 1 else color


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert contrast(Color(0x77, 0x77, 0x77), Color(255, 255, 255)) == pytest.approx(4.48, abs=0.01)


async def test_every_text_colour_of_the_light_theme_passes_aa(tmp_path: Path) -> None:
    app = GradesecApp(Launch(store_dir=tmp_path / "store", theme=LIGHT))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == LIGHT
        variables = app.get_css_variables()
        low: list[str] = []
        checks = [(t, b) for t in TEXTS for b in BACKGROUNDS] + list(PAIRS)
        for text, back in checks:
            background = Color.parse(variables[back])
            ratio = contrast(drawn(variables[text], background), background)
            if ratio < 4.5:
                low.append(f"{text} on {back}: {ratio:.2f}")
        assert not low, low
