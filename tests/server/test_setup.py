"""镇（街道）服务器设置 from an empty database on a server that asks for passwords, then a village
PC that connects through its saved connection: the password in no file the program wrote (only
in libpq's own password file, readable by that user alone)."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

from tests.pgserver import PostgresServer
from tests.server.conftest import OWNER, OWNER_PASSWORD
from tests.server.helpers import pc_environment, run_main


def _printed(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, text
    return found.group(1)


def _files_holding(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_set_up_a_township_and_connect_a_village_pc_without_a_password_in_its_files(
        secured: PostgresServer, township_database: str, tmp_path: Path):
    server, town = f"127.0.0.1:{secured.port}", township_database
    township_pc = pc_environment(tmp_path / "township-pc") | {"PGPASSWORD": OWNER_PASSWORD}
    done = run_main(township_pc, "setup-server", "--server", server, "--database", town,
                    "--user", OWNER, "--no-tls", "--township", "示范镇",
                    "--admin", "zhen:镇管理员", "--village", "韩家村:hanjia:韩书记",
                    "--village", "李家村:lijia:李书记")
    assert done.returncode == 0, done.stderr
    everyday = _printed(rf"日常数据库账号：{town}_app\s+密码：(\S+)", done.stdout)
    hanjia = _printed(r"韩家村书记\s+hanjia\s+(\S+)", done.stdout)

    # Setting up twice is refused in one line, and changes nothing.
    again = run_main(township_pc, "setup-server", "--server", server, "--database", town,
                     "--user", OWNER, "--no-tls", "--township", "示范镇",
                     "--admin", "zhen2:镇管理员", "--village", "王家村:wang:王书记")
    assert again.returncode == 1 and "已经设置过账号" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1

    # A later program upgrades the schema with the owner login; the everyday login may not.
    upgraded = run_main(township_pc, "upgrade-server", "--server", server, "--database", town,
                        "--user", OWNER, "--no-tls")
    assert upgraded.returncode == 0 and "已升级" in upgraded.stdout, upgraded.stderr

    village_folder = tmp_path / "village-pc"
    village_pc = pc_environment(village_folder)
    wrong = run_main(village_pc, "connect", "--server", server, "--database", town, "--no-tls",
                     "--password-stdin", stdin="not-the-password\n")
    assert wrong.returncode == 1 and "拒绝了本机的数据库登录" in wrong.stderr
    connect = run_main(village_pc, "connect", "--server", server, "--database", town,
                       "--no-tls", "--password-stdin", stdin=everyday + "\n")
    assert connect.returncode == 0, connect.stderr
    assert "连接成功" in connect.stdout

    # From now on no --db and no password: the saved connection and libpq's passfile.
    listed = run_main(village_pc, "accounts", "list")
    assert listed.returncode == 0, listed.stderr
    assert "hanjia\t韩书记\t村党支部书记\t韩家村" in listed.stdout
    assert "共 3 个账号" in listed.stdout
    login = _login_through_saved_connection(village_pc, "hanjia", hanjia)
    assert login == "韩书记 secretary 韩家村", login
    stats = run_main(village_pc, "stats")
    assert json.loads(stats.stdout)["admin_villages"] == 2
    refused = run_main(village_pc | {"PGPASSWORD": everyday}, "upgrade-server", "--server", server,
                       "--database", town, "--user", f"{town}_app", "--no-tls")
    assert refused.returncode == 1 and "没有这项权限" in refused.stderr, refused.stderr

    saved = json.loads((Path(village_pc["XDG_CONFIG_HOME"]) / "cunzhi" / "connection.json")
                       .read_text(encoding="utf-8"))
    assert saved == {"host": "127.0.0.1", "port": secured.port, "database": town,
                     "user": f"{town}_app", "tls": False}
    passfile = Path(village_pc["HOME"]) / ".pgpass"
    assert _files_holding(village_folder, everyday) == [passfile]
    assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
    for secret in (hanjia, OWNER_PASSWORD):
        assert _files_holding(village_folder, secret) == []
    assert _files_holding(tmp_path / "township-pc", OWNER_PASSWORD) == []


def _login_through_saved_connection(env: dict[str, str], username: str, password: str) -> str:
    import subprocess
    import sys

    from tests.server.helpers import ROOT

    script = ("import sys\n"
              "from commands.common import database_target\n"
              "from models.accounts.service import login\n"
              "from models.core.db import Database\n"
              "from models.org.tables import AdminVillage\n"
              "import argparse\n"
              "db = Database(database_target(argparse.Namespace(db=None)))\n"
              "actor = login(db, sys.argv[1], sys.stdin.readline().strip())\n"
              "with db.read() as s:\n"
              "    village = s.get(AdminVillage, actor.village_id).name\n"
              "print(actor.name, actor.role.value, village)\n")
    done = subprocess.run([sys.executable, "-c", script, username], input=password + "\n",
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
                          check=False)
    return done.stdout.strip() or done.stderr
