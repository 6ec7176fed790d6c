"""The light theme: Textual's light theme with every text colour dark enough for WCAG AA (4.5:1) on the
backgrounds it is drawn on (background, surface, panel, the footer).

Textual's ``textual-light`` puts its success, warning and accent texts (and the footer's keys) at 2.8–3.8:1
on its light greys; these colours are darkened versions of the same hues. ``tests/tui/test_theme.py``
computes the ratios from the theme's own variables.
"""

from __future__ import annotations

from textual.theme import Theme

LIGHT_THEME = Theme(
    name="gradesec-light",
    primary="#004578",
    secondary="#0161AE",
    accent="#8A5300",
    warning="#8A5300",
    error="#A3203F",
    success="#2E7D46",
    foreground="#1F1F1F",
    background="#F2F2F2",
    surface="#EAEAEA",
    panel="#E0E0E0",
    dark=False,
    variables={
        "footer-key-foreground": "#004F8B",
        "text-success": "#1D6634",
        "text-warning": "#774600",
        "text-accent": "#774600",
        "text-error": "#8E1D38",
        "text-secondary": "#004F8B",
        # Textual's "auto 60%" is blended only where CSS draws it; in the Rich text of tree, grid and panel
        # labels (component styles) it came out near white on light grey. A solid grey (5.3:1 on panel).
        "text-muted": "#595959",
    },
)
