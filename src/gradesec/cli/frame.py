"""The command line's frame in the user's language: the help panels' titles, the usage line and the help option,
and usage errors as gradesec writes every error (one sentence, a hint, exit code 2).

typer prints these parts in English and offers no setting for them. ``localise()`` sets the few module-level
texts typer reads when it prints help and replaces its error printer; ``tests/test_cli_frame.py`` fails when a
typer upgrade moves any of them, so a silent fall-back to English cannot ship.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from gradesec.i18n import t

_PANEL_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "cli.frame.arguments",
    "OPTIONS_PANEL_TITLE": "cli.frame.options",
    "COMMANDS_PANEL_TITLE": "cli.frame.commands",
    "REQUIRED_LONG_STRING": "cli.frame.required",
    "ENVVAR_STRING": "cli.frame.envvar",
    "DEFAULT_STRING": "cli.frame.default",
    "DEPRECATED_STRING": "cli.frame.deprecated",
}
# typer's value labels (``<str>``, ``<list[str]>`` …) in plain words; choices (``<pdf|xlsx>``) stay as they are.
_TYPE_LABELS = {
    "str": "cli.frame.type.text",
    "int": "cli.frame.type.integer",
    "float": "cli.frame.type.number",
    "path": "cli.frame.type.path",
    "file": "cli.frame.type.path",
    "directory": "cli.frame.type.folder",
    "datetime": "cli.frame.type.time",
}
_TYPE = re.compile(r"^<(?P<list>list\[)?(?P<label>[a-z]+)\]?>$")
_EXTRA = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$")
_NO_COMMAND = re.compile(r"^No such command '(?P<name>.*)'\.$")


def localise(command: Any = None) -> None:
    """Make typer print its frame in the current language (call before running ``command``, the click command
    typer built; its help options, built once, are given the current language's text too)."""
    from typer import rich_utils
    from typer._click import decorators, formatting

    for name, key in _PANEL_TEXTS.items():
        setattr(rich_utils, name, t(key))
    rich_utils.rich_format_error = print_usage_error  # type: ignore[assignment]
    rich_utils.rich_abort_error = _print_abort
    original = getattr(decorators.help_option, "__wrapped__", decorators.help_option)

    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        decorate = original(param_decls)

        def apply(command: Any) -> Any:
            command = decorate(command)
            command.params[-1].help = t("cli.frame.help_option")
            return command

        return apply

    help_option.__wrapped__ = original  # type: ignore[attr-defined]
    decorators.help_option = help_option
    write_usage = getattr(
        formatting.HelpFormatter.write_usage, "__wrapped__", formatting.HelpFormatter.write_usage
    )

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("COMMAND [ARGS]...", t("cli.frame.command_metavar"))
        args = args.replace("[OPTIONS]", t("cli.frame.options_metavar"))
        write_usage(self, prog, args, t("cli.frame.usage") if prefix is None else prefix)

    usage.__wrapped__ = write_usage  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    _localise_types()
    pending = [command] if command is not None else []
    while pending:
        current = pending.pop()
        built = getattr(current, "_help_option", None)
        if built is not None:
            built.help = t("cli.frame.help_option")
        pending.extend(getattr(current, "commands", {}).values())


def type_label(shown: str | None) -> str | None:
    """typer's label for a value (``<str>``, ``<list[str]>``, ``<pdf|xlsx>``) in the user's words."""
    if shown is None:
        return None
    m = _TYPE.match(shown)
    if m is None or m["label"] not in _TYPE_LABELS:
        return shown
    label = "<" + t(_TYPE_LABELS[m["label"]]) + ">"
    return label + t("cli.frame.type.repeatable") if m["list"] else label


def _localise_types() -> None:
    """Value labels in the help in the user's words; a flag (``--force``) shows none, it takes no value."""
    from typer import core

    parameter: Any = core._TyperParameter
    option: Any = core.TyperOption
    shown = getattr(parameter.display_type, "__wrapped__", parameter.display_type)
    shown_rich = getattr(option.display_type_rich, "__wrapped__", option.display_type_rich)

    def display_type(self: Any, ctx: Any) -> str | None:
        return type_label(shown(self, ctx))

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        return str(shown_rich(self, ctx))

    display_type.__wrapped__ = shown  # type: ignore[attr-defined]
    display_type_rich.__wrapped__ = shown_rich  # type: ignore[attr-defined]
    parameter.display_type = display_type
    option.display_type_rich = display_type_rich


def usage_error_text(exc: Exception) -> tuple[str, str]:
    """(message, hint) for one of typer's command-line errors, in the current language."""
    from typer._click import exceptions as ce

    ctx = getattr(exc, "ctx", None)
    hint = t("cli.usage.hint", command=ctx.command_path) if ctx is not None else t("cli.usage.hint_any")
    if isinstance(exc, ce.MissingParameter):
        param = exc.param
        kind = getattr(param, "param_type_name", "option")
        key = "cli.usage.missing_argument" if kind == "argument" else "cli.usage.missing_option"
        return t(key, option=_param_name(param, exc.param_hint)), hint
    if isinstance(exc, ce.BadParameter):
        detail = _value_problem(exc) or exc.message
        return t("cli.usage.bad_value", option=_param_name(exc.param, exc.param_hint), detail=detail), hint
    if isinstance(exc, ce.NoSuchOption):
        message = t("cli.usage.no_such_option", option=exc.option_name)
        if exc.possibilities:
            message += " " + t("cli.usage.did_you_mean", options=", ".join(sorted(exc.possibilities)))
        return message, hint
    if isinstance(exc, ce.BadOptionUsage):
        text = exc.message
        if " requires " in text:
            return t("cli.usage.needs_value", option=exc.option_name), hint
        if "does not take a value" in text:
            return t("cli.usage.takes_no_value", option=exc.option_name), hint
        return t("cli.usage.other", detail=text), hint
    if isinstance(exc, ce.UsageError):
        text = exc.message
        if (m := _EXTRA.match(text)) is not None:
            return t("cli.usage.extra_arguments", args=m["args"]), hint
        if text == "Missing command.":
            return t("cli.usage.missing_command"), hint
        if (m := _NO_COMMAND.match(text)) is not None:
            return t("cli.usage.no_such_command", name=m["name"]), hint
        return t("cli.usage.other", detail=text), hint
    return exc.format_message() if isinstance(exc, ce.ClickException) else str(exc), ""


def print_usage_error(exc: Exception) -> None:
    """typer's error printer, replaced: our one-sentence-and-hint form on stderr (typer then exits 2)."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        return  # the help has been printed already
    message, hint = usage_error_text(exc)
    sys.stderr.write(t("error.line", message=message) + "\n")
    if hint:
        sys.stderr.write(t("error.hint_line", hint=hint) + "\n")


def _print_abort() -> None:
    sys.stderr.write(t("cli.usage.aborted") + "\n")


def _param_name(param: Any, given_hint: Any) -> str:
    if given_hint:
        return given_hint if isinstance(given_hint, str) else " / ".join(given_hint)
    if param is None:
        return ""
    opts = list(getattr(param, "opts", []) or [])
    if getattr(param, "param_type_name", "") == "argument" or not opts:
        return str(getattr(param, "human_readable_name", "") or getattr(param, "name", "")).upper()
    return " / ".join(opts)


def _value_problem(exc: Exception) -> str:
    """The value's problem in our words, when typer's validation says what kind of value was wanted."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if not callable(errors):
        return ""
    try:
        first = errors()[0]
    except (IndexError, TypeError, ValueError):
        return ""
    kind, value = str(first.get("type", "")), first.get("input", "")
    if kind == "int_parsing" or kind == "int_from_float":
        return t("cli.usage.not_integer", value=value)
    if kind == "float_parsing":
        return t("cli.usage.not_number", value=value)
    if kind == "bool_parsing":
        return t("cli.usage.not_bool", value=value)
    if kind in ("enum", "literal_error"):
        expected = str((first.get("ctx") or {}).get("expected", ""))
        return t("cli.usage.not_choice", value=value, choices=expected)
    return ""
