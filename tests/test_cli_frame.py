"""The command line's frame (help panels, the usage line, usage errors) in the user's language: in Chinese no
English words of typer's show, and every usage error is one sentence and a hint with exit code 2."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

Cli = Callable[..., tuple[int, str, str]]

# What typer prints in English when nobody translates it.
TYPER_ENGLISH = re.compile(
    r"Usage|Options|Commands|Arguments|Show this|Missing|Invalid|No such|Got unexpected|\[required\]|"
    r"\[env var|\[default:|Error|Try '|COMMAND|\[OPTIONS\]|\[ARGS\]|Possible options|requires an argument"
)


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("system", "add"), "错误：缺少选项 --unit / -u。"),
        (("system", "add", "-u", "x", "--level", "abc"), "错误：--level / -l 的值无效：“abc”不是整数。"),
        (("unit", "add", "--bogus"), "错误：没有选项 --bogus。"),
        (("nonsense",), "错误：没有子命令“nonsense”。"),
        (("system", "add", "-u"), "错误：选项 -u 后面要跟一个值。"),
        (("unit", "list", "extra"), "错误：多余的参数：extra。"),
    ],
)
def test_usage_errors_in_chinese_are_one_sentence_and_a_hint(
    cli: Cli, args: tuple[str, ...], wanted: str
) -> None:
    code, _, err = cli("--lang", "zh", *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0] == wanted
    assert lines[1].startswith("提示：") and "-h 查看用法。" in lines[1]
    assert len(lines) == 2
    assert not TYPER_ENGLISH.search(err), err


def test_help_in_chinese_shows_none_of_typers_english(cli: Cli) -> None:
    for args in (("-h",), ("unit", "-h"), ("inspection", "show", "-h"), ("system", "add", "-h")):
        code, out, err = cli("--lang", "zh", *args)
        assert code == 0, err
        assert "用法：gradesec" in out
        assert "显示本帮助并退出。" in out
        assert not TYPER_ENGLISH.search(out), out
    code, out, _ = cli("--lang", "zh", "system", "add", "-h")
    assert "选项" in out and "[必填]" in out


def test_help_and_errors_in_english(cli: Cli) -> None:
    code, out, _ = cli("--lang", "en", "unit", "-h")
    assert code == 0
    assert "Usage: gradesec unit [OPTIONS] COMMAND [ARGS]..." in out
    assert "Show this help and exit." in out
    code, _, err = cli("--lang", "en", "system", "add", "-u", "x", "--level", "abc")
    assert code == 2
    assert err.splitlines() == [
        "Error: Invalid value for --level / -l: 'abc' is not a whole number.",
        "Hint: Run gradesec system add -h to see how to use it.",
    ]


def test_value_labels_are_plain_words_and_flags_show_none(cli: Cli) -> None:
    code, out, _ = cli("--lang", "zh", "bundle", "export", "-h")
    assert code == 0
    assert "<路径>" in out and "<文本>…" in out
    assert not re.search(r"<(str|bool|path|list\[str\]|int)>", out), out
    force = next(line for line in out.splitlines() if "--force" in line)
    assert "<" not in force  # a flag takes no value
    code, out, _ = cli("--lang", "en", "system", "add", "-h")
    assert "<integer>" in out and "<text>" in out and "<str>" not in out
