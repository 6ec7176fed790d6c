"""Hand a widget's repaint to its screen at once, so changes made in one handler reach one frame.

A widget's ``refresh()`` only marks it dirty; the widget tells its screen later, when its own message queue next
goes idle, and the screen draws a frame as soon as *its* queue goes idle (then at most once per refresh tick,
1/60 s apart, and a tick that comes late skips to the one after next). When a screen handler changes several
widgets, the screen can go idle before some of them have told it: the first frame then shows part of the change
and the rest waits 17–33 ms for a later tick. ``paint_now`` does what the widget's idle would do (its
``_check_refresh``: Textual is pinned, see pyproject) from the caller's turn, so the screen holds every change in
its queue before it goes idle, and draws them in one frame.
"""

from __future__ import annotations

from textual.widget import Widget


def paint_now(*widgets: Widget) -> None:
    """Send each widget's pending repaint (and scroll or layout) to its screen now rather than at its next idle."""
    for widget in widgets:
        if widget.is_mounted:
            widget._check_refresh()
