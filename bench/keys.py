"""What one passphrase guess costs against a key file: the old PEM (PBKDF2) against the Argon2id format.

    .venv/bin/python bench/keys.py            # 5 guesses per format
    .venv/bin/python bench/keys.py --guesses 20

An attacker holding a copy of a key file tries passphrases offline; each try costs one key derivation. The
figure that matters is the time (and memory) per guess with the parameters we ship, measured here against
the raw primitive of the old format (PBKDF2-SHA256, 2,048 rounds, what BestAvailableEncryption used).
Not a test: nothing here asserts timings. Record the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gradesec.journal import keyfile
from gradesec.journal.keys import key_id_of


def per_guess(fn: object, guesses: int) -> tuple[float, float]:
    times = []
    for i in range(guesses):
        t0 = time.perf_counter()
        fn(f"guess number {i}")  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guesses", type=int, default=5)
    args = parser.parse_args()
    seed = hashlib.sha256(b"bench key").digest()
    private = Ed25519PrivateKey.from_private_bytes(seed)
    kid = key_id_of(
        private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"the real passphrase"),
    )
    sealed = keyfile.seal(seed, kid, "the real passphrase")

    def try_pem(guess: str) -> None:
        with contextlib.suppress(ValueError):
            serialization.load_pem_private_key(pem, password=guess.encode())

    def try_sealed(guess: str) -> None:
        with contextlib.suppress(keyfile.KeyFileError):
            keyfile.open_sealed(sealed, guess, kid)

    def raw_argon2(guess: str) -> None:
        keyfile.derive(guess, os.urandom(16), keyfile.DEFAULT_KDF)

    p = keyfile.DEFAULT_KDF
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"Argon2id parameters: {p.memory_kib // 1024} MiB, {p.iterations} passes, {p.lanes} lane(s)")
    pem_min, pem_med = per_guess(try_pem, max(args.guesses, 50))
    raw_min, raw_med = per_guess(raw_argon2, args.guesses)
    new_min, new_med = per_guess(try_sealed, args.guesses)
    print(
        f"old PEM (PBKDF2-SHA256, 2048):  {pem_min * 1000:8.2f} ms/guess min, {pem_med * 1000:8.2f} median"
        f"  → {1 / pem_min:,.0f} guesses/s per core"
    )
    print(f"raw Argon2id derive:           {raw_min * 1000:8.2f} ms/guess min, {raw_med * 1000:8.2f} median")
    print(
        f"new key file (Argon2id + GCM): {new_min * 1000:8.2f} ms/guess min, {new_med * 1000:8.2f} median"
        f"  → {1 / new_min:,.1f} guesses/s per core, {p.memory_kib // 1024} MiB each"
    )
    print(
        f"ratio new/raw Argon2id: {new_min / raw_min:.3f}; cost per guess new/old: {new_min / pem_min:,.0f}×"
    )
    print(f"target ≥ 100 ms per guess: {'met' if new_min >= 0.1 else 'NOT met'}")


if __name__ == "__main__":
    main()
