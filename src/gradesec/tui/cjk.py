"""Keep double-width (CJK) characters whole where Textual's compositor would cut them in half.

The bug: Textual composes each screen line from "chops", cutting every widget's line at every x where *any*
visible widget starts or ends — also widgets hidden behind it. A drop-down, a toast or the footer drawn over a
row of bordered panels is therefore cut at the panels' edges, and when a cut falls inside a character two cells
wide, Rich's ``Segment.divide`` turns both halves into spaces: "报告编号 GS-1" becomes "报告编   GS-1", "· 一般
损害" becomes "·   般损害" (Textualize/textual#6357, open for Textual 8.x). Nothing of ours mismeasured the
text; the cut is the cause.

The fix: while one widget fills two neighbouring chops, a cut between them is not needed. Where such a cut would
split a wide character, we drop it: the widget's text stays in one piece in the first chop and the second
chop's slot is removed from the line (its neighbours' end offsets are computed from the remaining chops, so
partial screen updates still write every cell). Cuts where a different widget wins one side are kept: that
character really is half covered.

``install()`` replaces two methods of ``textual._compositor.Compositor``; it refuses (and leaves Textual alone)
when their shape is not the one this was written against, so a Textual upgrade cannot silently corrupt output.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.cells import get_character_cell_size
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

_installed = False
ORIGINAL_RENDER_CHOPS = Compositor._render_chops
ORIGINAL_RENDER_PARTIAL_UPDATE = Compositor.render_partial_update
_HELD = Strip([], 0)  # marks a chop taken over by its left neighbour (removed before the line is used)


def _split_points(strip: Strip, cuts: Sequence[int]) -> set[int]:
    """The cuts (relative to the strip) that fall inside a two-cell character."""
    wanted = set(cuts)
    found: set[int] = set()
    x = 0
    last = max(cuts)
    for segment in strip:
        if segment.control:
            continue
        text = segment.text
        if text.isascii():
            x += len(text)
        else:
            for ch in text:
                w = get_character_cell_size(ch)
                if w == 2 and x + 1 in wanted:
                    found.add(x + 1)
                x += w
        if x > last:
            break
    return found


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    held_lines: set[int] = set()
    intersection = Region.intersection

    for region, clip, strips in self._get_renders(crop):
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            chops_line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            inner = final_cuts[1:-1]
            if inner and not strip.text.isascii():
                relative = [cut - render_x for cut in inner]
                splits = _split_points(strip, relative)
                if splits:
                    kept = [final_cuts[0]]
                    for cut in inner:
                        # Drop the cut only when this widget fills both sides of it.
                        if (
                            cut - render_x in splits
                            and chops_line.get(kept[-1]) is None
                            and chops_line.get(cut) is None
                        ):
                            chops_line[cut] = _HELD
                            held_lines.add(y)
                        else:
                            kept.append(cut)
                    kept.append(final_cuts[-1])
                    final_cuts = kept
            cut_strips = strip.divide([cut - render_x for cut in final_cuts[1:]])
            get = chops_line.get
            for cut, piece in zip(final_cuts, cut_strips, strict=False):
                if get(cut) is None:
                    chops_line[cut] = piece

    for y in held_lines:
        line = chops[y]
        for cut in [cut for cut, piece in line.items() if piece is _HELD]:
            del line[cut]
    return chops  # type: ignore[return-value]


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(list(update_regions)).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = self._render_chops(crop, is_rendered_line)
    # Each chop ends where the next remaining one starts (a held chop's cells belong to its left neighbour).
    chop_ends = [[*list(line)[1:], cut_set[-1]] for line, cut_set in zip(chops, self.cuts, strict=True)]
    return ChopsUpdate(chops, spans, chop_ends)


def _shape_ok() -> bool:
    try:
        chops = inspect.signature(Compositor._render_chops)
        partial = inspect.signature(Compositor.render_partial_update)
    except (AttributeError, TypeError, ValueError):
        return False
    return (
        list(chops.parameters) == ["self", "crop", "is_rendered_line"]
        and list(partial.parameters) == ["self"]
        and hasattr(Compositor, "_regions_to_spans")
        and hasattr(Compositor, "_dirty_regions") is False  # an instance attribute, not a class one
        and hasattr(Strip, "divide")
    )


def install() -> bool:
    """Patch the compositor once; ``False`` when this Textual's compositor has a different shape."""
    global _installed
    if _installed:
        return True
    if not _shape_ok():
        return False
    target: Any = Compositor
    target._render_chops = _render_chops
    target.render_partial_update = _render_partial_update
    _installed = True
    return True
