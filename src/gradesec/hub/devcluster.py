"""A throwaway PostgreSQL cluster for tests and the demo: ``initdb`` + ``pg_ctl`` in a directory of its own.

The server listens only on a Unix socket inside that directory (``listen_addresses = ''``), never on TCP, and
is never the system's own cluster. initdb refuses to run as root, so as root the cluster runs as the
unprivileged ``postgres`` system user (Debian's postgresql package creates it), which owns the directory.

DIR must be reachable by that user (a fresh ``mktemp -d`` under /tmp is: it becomes the cluster's own).

    python -m gradesec.hub.devcluster start DIR     # prints the connection URL
    python -m gradesec.hub.devcluster stop DIR
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from gradesec.errors import GradesecError
from gradesec.i18n import t

RUN_AS = "postgres"
PORT = 5432  # the socket file's name only (.s.PGSQL.5432); no TCP port is opened
DATABASE = "gradesec"


def pg_bin() -> Path:
    """The newest PostgreSQL binaries folder under /usr/lib/postgresql, or a clear error."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if not found:
        raise GradesecError(t("hub.pg.missing"), t("hub.pg.missing.hint"))
    return Path(found[-1]).parent


def _version(path: str) -> int:
    try:
        return int(Path(path).parent.parent.name)
    except ValueError:
        return 0


@dataclass(frozen=True)
class Cluster:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def user(self) -> str:
        return RUN_AS if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql://{self.user}@/{database}?host={quote(str(self.socket_dir), safe='')}&port={PORT}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", RUN_AS, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd="/")

    def _check(self, what: str, proc: subprocess.CompletedProcess[str]) -> None:
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise GradesecError(
                t("hub.pg.failed", what=what, detail=" ".join(detail)),
                t("hub.pg.failed.hint", log=str(self.root / "server.log"), root=str(self.root)),
            )

    def start(self) -> str:
        """Create (first time) and start the cluster and its database; returns the connection URL."""
        binaries = pg_bin()
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(RUN_AS)
            for path in (self.root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o700)
        if not (self.data / "PG_VERSION").is_file():
            proc = self._run(
                str(binaries / "initdb"), "-D", str(self.data), "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "-U", self.user,
            )  # fmt: skip
            self._check("initdb", proc)
        options = f"-c listen_addresses='' -k {self.socket_dir} -p {PORT} -c fsync=off"
        proc = self._run(
            str(binaries / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "120", "start",
        )  # fmt: skip
        self._check("start", proc)
        created = self._run(
            str(binaries / "psql"), "-h", str(self.socket_dir), "-p", str(PORT), "-d", "postgres", "-qAt",
            "-c", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'",
        )  # fmt: skip
        self._check("psql", created)
        if created.stdout.strip() != "1":
            self._check("createdb", self.create_database(DATABASE))
        return self.url()

    def create_database(self, name: str) -> subprocess.CompletedProcess[str]:
        return self._run(str(pg_bin() / "createdb"), "-h", str(self.socket_dir), "-p", str(PORT), name)

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        self._check(
            "stop", self._run(str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python -m gradesec.hub.devcluster start|stop DIR", file=sys.stderr)
        return 2
    cluster = Cluster(Path(argv[1]).resolve())
    try:
        if argv[0] == "start":
            print(cluster.start())
        else:
            cluster.stop()
    except GradesecError as exc:
        print(f"{exc.message}\n{exc.hint}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
