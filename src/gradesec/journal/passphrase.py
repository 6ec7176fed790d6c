"""The passphrase policy for new keys: a minimum length and a simple strength estimate.

The estimate is deliberately plain (no dictionary download, no network): the alphabet a passphrase draws
from (lower, upper, digits, other ASCII, other scripts such as Chinese), times the number of characters that
add something — a character repeating or continuing a run of its predecessor (``aaaa``, ``abcd``, ``4321``)
adds nothing, and the most common passwords and keyboard walks are taken out first. It is a floor against
``demo``, ``12345678`` and ``password!``, not a promise about a good one; the KDF (``keyfile``) does the rest.

The demo key (passphrase ``demo``, documented in the README) is written through ``keys.save_key(...,
policy=False)``; nothing a user runs takes that path.
"""

from __future__ import annotations

import math
import string

from gradesec.errors import UsageError
from gradesec.i18n import t

MIN_LENGTH = 10
MIN_BITS = 48

_COMMON = (
    "password",
    "passw0rd",
    "p@ssw0rd",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx",
    "iloveyou",
    "admin",
    "letmein",
    "welcome",
    "gradesec",
    "123456",
    "woaini",
    "abc123",
)


def _pool(text: str) -> int:
    pool = 0
    if any(c in string.ascii_lowercase for c in text):
        pool += 26
    if any(c in string.ascii_uppercase for c in text):
        pool += 26
    if any(c in string.digits for c in text):
        pool += 10
    if any(c.isascii() and not c.isalnum() for c in text):
        pool += 33
    if any(not c.isascii() for c in text):
        pool += 2500  # common CJK characters: a rough, conservative count
    return pool


def _useful_length(text: str) -> int:
    useful = 0
    for i, c in enumerate(text):
        if i > 0 and abs(ord(c) - ord(text[i - 1])) <= 1:
            continue  # a repeat or a run (aa, ab, ba) adds next to nothing
        useful += 1
    return useful


def strength_bits(passphrase: str) -> float:
    """A rough estimate of the guesses a passphrase resists, in bits."""
    text = passphrase.lower() if passphrase.lower() != passphrase.upper() else passphrase
    for word in _COMMON:
        text = text.replace(word, word[0])
    pool = _pool(passphrase)
    if pool == 0:
        return 0.0
    return _useful_length(text) * math.log2(pool)


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase that is too short or too easy to guess (exit 2, nothing written)."""
    if not passphrase:
        raise UsageError(t("key.error.empty_passphrase"), t("key.error.empty_passphrase.hint"))
    if len(passphrase) < MIN_LENGTH:
        raise UsageError(
            t("key.policy.short", n=len(passphrase), min=MIN_LENGTH), t("key.policy.hint", min=MIN_LENGTH)
        )
    if strength_bits(passphrase) < MIN_BITS:
        raise UsageError(t("key.policy.weak"), t("key.policy.hint", min=MIN_LENGTH))
