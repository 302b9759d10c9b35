"""A throwaway PostgreSQL server for the tests: Debian's server binaries, a temp folder, a free
port on 127.0.0.1, stopped and removed afterwards. initdb refuses to run as root, so as root the
server runs as the `postgres` user in a folder that user owns.

With a `password`, the server asks for it over TCP (scram-sha-256), as a township's server does;
`admin()` then goes through the server's local socket, which trusts the superuser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

USER = "cunzhi"
# A second account that must give its password (every other connection is trusted): for the
# tests of a wrong password.
PASSWORD_USER, PASSWORD = "cunzhi_pw", "richtig-123"


def find_bindir() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self, bindir: Path, password: str | None = None, durable: bool = False,
                 settings: str = ""):
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="cunzhi-pg-"))
        self.port = _free_port()
        self.password = password
        # Durable: a commit waits for its WAL, so an immediate stop loses nothing committed.
        self.durable = durable
        self.settings = settings  # more server options, e.g. "-c ssl=on"
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> PostgresServer:
        if self._as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        auth = ["--auth=trust"]
        if self.password is not None:
            secret = self.folder / "superuser-password"
            secret.write_text(self.password + "\n", encoding="utf-8")
            if self._as_postgres:
                shutil.chown(secret, "postgres", "postgres")
            auth = ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={secret}"]
        self._run("initdb", "-D", str(data), "-U", USER, *auth, "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        hba = data / "pg_hba.conf"
        hba.write_text(f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        if self.password is not None:
            secret.unlink()
        self._options_and_start()
        self.admin(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
        return self

    def _options_and_start(self) -> None:
        data = self.folder / "data"
        commit = "" if self.durable else "-c synchronous_commit=off "
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F "
                   f"-c fsync=off {commit}-c full_page_writes=off -c max_connections=60 "
                   f"{self.settings}")
        self._run("pg_ctl", "-D", str(data), "-o", options, "-w", "-l",
                  str(self.folder / "server.log"), "start")

    def halt(self) -> None:
        """Stop the server at once (as a power cut or a crash would), keeping its files."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")

    def resume(self) -> None:
        self._options_and_start()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        host = str(self.folder) if self.password is not None else "127.0.0.1"
        with psycopg.connect(host=host, port=self.port, user=USER, dbname=database,
                             autocommit=True) as connection:
            connection.execute(sql)
