"""textwidth measures as the terminal renderer does, so padded and clipped columns never split a character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from gradesec.i18n import messages
from gradesec.textwidth import clip, pad, width


def test_every_message_measures_as_the_renderer_does() -> None:
    for key, langs in messages().items():
        for text in langs.values():
            assert width(text) == cell_len(text), key


def test_wide_and_zero_width_characters() -> None:
    assert width("报告编号：GS-1") == 14
    assert width("ｅ") == 2  # fullwidth Latin
    assert width("e\u0301") == 1  # a combining accent takes no column
    assert width("a\u200bb") == 2  # zero-width space


@given(st.text(alphabet="报告编号一般损害 ·abcXYZ-（）：，\u0301", max_size=30), st.integers(1, 20))
def test_clip_and_pad_fit_the_column(text: str, cols: int) -> None:
    clipped = clip(text, cols)
    assert width(clipped) <= max(cols, 1)
    assert cell_len(clipped) == width(clipped)
    if width(text) <= cols:
        assert clipped == text
        assert width(pad(text, cols)) == cols
    else:
        assert clipped.endswith("…")


def test_distinct_cuts_in_the_middle_only_when_the_ends_would_read_alike() -> None:
    from gradesec.textwidth import clip_middle, distinct

    names = ["Portal web server web-01", "Portal web server web-02", "Core switch CS-01"]
    short = distinct(names, 15)
    assert short[0] != short[1] and all(width(s) <= 15 for s in short)
    assert short[0].endswith("web-01") and short[1].endswith("web-02")
    assert short[2] == clip("Core switch CS-01", 15)  # no twin: cut at the end as usual
    zh = distinct(["门户 Web 服务器 web-01", "门户 Web 服务器 web-02"], 12)
    assert zh[0].endswith("web-01") and zh[1].endswith("web-02") and all(width(s) <= 12 for s in zh)
    assert clip_middle("门户 Web 服务器 web-01", 9, 3) == "门…web-01"  # a two-cell character is never split
    assert clip_middle("short", 10) == "short"
