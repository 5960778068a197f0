"""A throwaway PostgreSQL + PostGIS server for the tests: ``initdb`` into a temporary folder,
started on a free port of 127.0.0.1 (and a socket in that folder), trust authentication, removed
when done. Run as the ``postgres`` user when the tests run as root (the server refuses root)."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"


def _bin_dir() -> Path | None:
    """The newest installed server's programs (Debian: /usr/lib/postgresql/N/bin)."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                  key=lambda p: int(Path(p).parts[-3]))
    return Path(dirs[-1]).parent if dirs else None


def missing() -> str | None:
    """Why no server can be started here, or None."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return "PostgreSQL is not installed (Debian: apt-get install postgresql; make test does)"
    version = bin_dir.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
        return (f"PostGIS is not installed for PostgreSQL {version} (Debian: apt-get install "
                f"postgresql-{version}-postgis-3; make test does)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser: cannot start PostgreSQL as another user"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """The server, as a context manager; ``url`` is ``postgresql://postgres@127.0.0.1:PORT``."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.dir = Path(tempfile.mkdtemp(prefix="geomap-pg-"))
        self.port = _free_port()
        self.url = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, cwd=self.dir)

    def __enter__(self) -> PostgresServer:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        try:
            self._run("initdb", "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                      "--encoding=UTF8", "--locale=C.UTF-8")
            self._run("pg_ctl", "-D", str(data), "-l", str(self.dir / "log"), "-w", "-o",
                      f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
                      "-c fsync=off -c full_page_writes=off", "start")
        except subprocess.CalledProcessError as e:
            log = self.dir / "log"
            shutil.rmtree(self.dir, ignore_errors=True)
            raise RuntimeError(f"PostgreSQL did not start: {e.stderr.decode()}"
                               f"{log.read_text() if log.exists() else ''}") from e
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
