"""Build the offline installation archive for field laptops (``./run package``).

One archive, ``dist/gradesec-offline-<version>-<python tag>-<platform>.tar.gz``, holding a wheel of gradesec and
of every runtime dependency for the Python and platform this script runs on, the install script and a note.
On a laptop with no network, unpack it and run ``./install.sh``: it makes a virtual environment and installs
with ``pip install --no-index --find-links wheels``, then checks the command and the CJK font for PDF reports.

Building needs pip's cache or the network (pip downloads and, where there is no wheel, builds one).
Usage: python packaging/build_offline.py [--out DIR] [--project DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def archive_name(version: str) -> str:
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"gradesec-offline-{version}-{tag}-{platform}"


def step(text: str) -> None:
    print(f"gradesec: {text}", flush=True)


def build(project: Path, out: Path) -> Path:
    version = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    name = archive_name(version)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gradesec-package-") as tmp:
        stage = Path(tmp) / name
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        step(f"building wheels of gradesec and its runtime dependencies for Python {sys.version.split()[0]} "
             f"({sysconfig.get_platform()}) into the archive…")
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--progress-bar", "on", "--wheel-dir", str(wheels), str(project)],
            check=True,
        )
        # pip itself, so the laptop's venv can install wheels of any age without reaching the network
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", str(wheels), "pip"], check=True
        )
        shutil.copy2(HERE / "install.sh", stage / "install.sh")
        (stage / "install.sh").chmod(0o755)
        shutil.copy2(HERE / "OFFLINE.txt", stage / "README.txt")
        count = len(list(wheels.glob("*.whl")))
        target = out / f"{name}.tar.gz"
        partial = target.with_name(target.name + ".part")
        step(f"writing {target} ({count} wheels)…")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(stage, arcname=name)
        partial.replace(target)
    step(f"done: {target}")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the gradesec offline installation archive.")
    parser.add_argument("--out", type=Path, default=HERE.parent / "dist")
    parser.add_argument("--project", type=Path, default=HERE.parent)
    args = parser.parse_args()
    try:
        build(args.project.resolve(), args.out.resolve())
    except subprocess.CalledProcessError as exc:
        print(
            f"gradesec: building the archive failed ({' '.join(map(str, exc.cmd[:4]))} … exited {exc.returncode}). "
            "It needs pip's cache or the network; run it on a connected machine with the same Python and platform "
            "as the laptop.\n"
            f"gradesec: 离线安装包构建失败（命令退出码 {exc.returncode}）。构建需要网络或 pip 缓存，请在联网且 Python 版本、"
            "平台与目标笔记本相同的机器上运行。",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
