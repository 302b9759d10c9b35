"""What the server tests share: a PostgreSQL that asks for passwords, the everyday login made
on a copy of a database, and a PC of its own (home, settings and data folders) for subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

from models.core import privileges
from models.core.db import Database
from models.server.setup import set_login
from tests.pgserver import PostgresServer, find_bindir

ROOT = Path(__file__).resolve().parent.parent.parent


def start_server(password: str | None = None, durable: bool = False,
                 tls: bool = False) -> PostgresServer:
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("CI 必须在 PostgreSQL 上运行测试，但没有找到 PostgreSQL 服务器程序 (initdb)。")
        pytest.skip("未安装 PostgreSQL 服务器程序。")
    server = PostgresServer(bindir, password=password, durable=durable)
    if tls:
        _self_signed(server)
    return server.start()


def _self_signed(server: PostgresServer) -> None:
    """A certificate of its own, as the guide's step 3 makes one; the server then takes TLS."""
    cert, key = server.folder / "server.crt", server.folder / "server.key"
    subprocess.run(["openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    key.chmod(0o600)
    if os.geteuid() == 0:
        for path in (cert, key):
            shutil.chown(path, "postgres", "postgres")
    server.settings = f"-c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"


def pc_environment(folder: Path) -> dict[str, str]:
    """A PC of its own for a subprocess: its user's home, settings and data folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "CUNZHI_DATA"}
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        path = folder / name.lower()
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[name] = str(path)
    env["CUNZHI_DATA"] = str(folder / "xdg_data_home" / "cunzhi")  # this PC's data folder
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_main(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=180,
                          check=False)


def with_everyday_login(owner: Database) -> Database:
    """The everyday login made on this database (trust authentication on the test server), and
    the database as that login sees it."""
    with owner.engine.begin() as connection:
        role = privileges.everyday_role(owner.url.database)
        set_login(connection, role, "not-asked-on-a-trusting-server")
        privileges.grant_everyday(connection, role)
    return Database(everyday_url(owner.url))


def everyday_url(url: URL | str) -> URL:
    url = make_url(url)
    return url.set(username=privileges.everyday_role(url.database))
