"""setup-server and connect: the township server's set-up, and pointing a PC at it.

setup-server runs with the owner login; its password comes from PGPASSWORD, libpq's password
file or a prompt, and is kept nowhere. The everyday login's password and the accounts' first
passwords are made here and printed once, for the IT person to hand out."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys

from pathlib import Path

from commands.common import add_command, add_db_argument, config_folder, fail, open_database
from models.core.errors import ValidationError

# Letters and digits that cannot be mistaken for each other when read off paper.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def made_password(length: int) -> str:
    return "".join(secrets.choice(_READABLE) for _ in range(length))


def _server_arguments(parser: argparse.ArgumentParser, user_help: str) -> None:
    parser.add_argument("--server", metavar="地址[:端口]", help="服务器地址，例如 192.168.1.10:5432")
    parser.add_argument("--db", metavar="地址",
                        help="或者整个写成 postgresql://登录名@地址:端口/数据库（代替上下几项）")
    parser.add_argument("--database", default="cunzhi", metavar="名称", help="数据库名称（默认 cunzhi）")
    parser.add_argument("--user", metavar="登录名", help=user_help)
    parser.add_argument("--no-tls", action="store_true", help="不加密连接（只在服务器就在本机时使用）")


def register(sub: argparse._SubParsersAction) -> None:
    setup = add_command(sub, "setup-server")
    _server_arguments(setup, "数据库的所有者登录名（建立数据库时创建的那个，只在设置时使用）")
    setup.add_argument("--township", required=True, metavar="名称", help="镇（街道）名称")
    setup.add_argument("--admin", required=True, metavar="登录名:姓名", help="镇级管理员账号")
    setup.add_argument("--village", action="append", required=True, metavar="村名:登录名:书记姓名",
                       help="一个行政村和它的书记账号（可写多次）")
    setup.add_argument("--save-connection", action="store_true",
                       help="同时把本机设为使用日常数据库账号连接这台服务器")
    setup.set_defaults(action=cmd_setup)

    upgrade = add_command(sub, "upgrade-server")
    _server_arguments(upgrade, "数据库的所有者登录名")
    upgrade.set_defaults(action=cmd_upgrade)

    move = add_command(sub, "move-up")
    add_db_argument(move)
    move.add_argument("--from", dest="source", required=True, type=Path, metavar="文件",
                      help="村里原来用的数据库文件（cunzhi.db）")
    move.add_argument("--village", required=True, metavar="村名", help="要迁入的行政村")
    move.set_defaults(action=cmd_move_up)

    package = add_command(sub, "package")
    actions = package.add_subparsers(dest="package_action", metavar="操作", required=True)
    for name, help_text in (("export-up", "村里：导出本月数据包（评议分、积分、兑换和出入库）交给镇里"),
                            ("export-down", "镇里：导出本月数据包（公示的红黑榜和镇里记入的积分）交给村里")):
        export = actions.add_parser(name, help=help_text)
        add_db_argument(export)
        export.add_argument("--village", required=True, metavar="村名")
        export.add_argument("--month", required=True, metavar="月份", help="例如 2026-11")
        export.add_argument("-o", "--output", required=True, type=Path, metavar="文件")
        export.set_defaults(action=cmd_package_export)
    for name, help_text in (("import-up", "镇里：导入村里交来的月度数据包"),
                            ("import-down", "村里：导入镇里下发的月度数据包")):
        load = actions.add_parser(name, help=help_text)
        add_db_argument(load)
        load.add_argument("file", type=Path, metavar="文件")
        load.set_defaults(action=cmd_package_import)

    connect = add_command(sub, "connect")
    _server_arguments(connect, "日常数据库账号（默认：数据库名_app）")
    connect.add_argument("--password-stdin", action="store_true", help="从标准输入读取数据库密码")
    connect.set_defaults(action=cmd_connect)


def _connection(args: argparse.Namespace, default_user: str | None):  # type: ignore[no-untyped-def]
    """The server named by --server/--database/--user/--no-tls, or by a --db URL; with the
    password the URL carries, if it does."""
    from models.core.db import to_url
    from models.server.connection import DEFAULT_PORT, ServerConnection

    if args.db:
        url = to_url(args.db)
        if url.get_backend_name() != "postgresql" or not url.host or not url.database:
            raise ValidationError("--db 要写 PostgreSQL 服务器的地址：postgresql://登录名@地址:端口/数据库。")
        tls = url.query.get("sslmode") not in ("disable", "allow", "prefer") and not args.no_tls
        user = url.username or args.user or default_user
        server = ServerConnection(url.host, url.port or DEFAULT_PORT, url.database, user or "", tls)
        return server.validated(), url.password
    if not args.server:
        raise ValidationError("请用 --server 写明服务器地址（或用 --db 写整个地址）。")
    host, _, port = args.server.partition(":")
    if port and not port.isdigit():
        raise ValidationError(f"端口“{port}”不是数字。")
    server = ServerConnection(host, int(port or DEFAULT_PORT), args.database,
                              args.user or default_user or "", not args.no_tls)
    return server.validated(), None


def _pairs(text: str, parts: int, what: str) -> list[str]:
    values = [value.strip() for value in text.split(":")]
    if len(values) != parts or not all(values):
        raise ValidationError(f"{what}“{text}”的写法不对。")
    return values


def cmd_setup(args: argparse.Namespace) -> int:
    from models.core.privileges import everyday_role
    from models.server import connection
    from models.server.setup import TownshipPlan, VillageAccount, set_up_township

    admin_login, admin_name = _pairs(args.admin, 2, "--admin")
    villages = tuple(VillageAccount(name, secretary, login, made_password(8))
                     for name, login, secretary in (_pairs(v, 3, "--village") for v in args.village))
    plan = TownshipPlan(args.township, admin_name, admin_login, made_password(8), villages,
                        made_password(20))
    server, owner = _owner_database(args)
    try:
        done = set_up_township(owner, plan)
    finally:
        owner.dispose()
    everyday = connection.ServerConnection(server.host, server.port, server.database,
                                           everyday_role(done.database), server.tls)
    print(f"服务器设置完成：{owner.describe()}，{args.township}，{len(villages)} 个行政村。")
    print(f"日常数据库账号：{everyday.user}    密码：{plan.everyday_password}")
    print("各台电脑用“连接服务器”（或命令 connect）填入上面的日常数据库账号和密码。")
    print("程序登录账号和初始密码（请交给本人，登录后在“账号管理”中修改密码）：")
    print(f"  镇级管理员  {admin_login}  {plan.admin_password}")
    for village in villages:
        print(f"  {village.village}书记  {village.username}  {village.password}")
    if args.save_connection:
        connection.save(config_folder(), everyday, plan.everyday_password)
        print(f"本机已保存连接：{everyday.label()}（密码在 {connection.passfile_path()}）")
    return 0


def _owner_database(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from models.core.db import Database

    server, given = _connection(args, None)
    if not server.user:
        raise ValidationError("请用 --user 指定数据库所有者的登录名。")
    password = given or _owner_password(server)
    url = server.url()
    return server, Database(url.set(password=password) if password else url)


def cmd_upgrade(args: argparse.Namespace) -> int:
    """A new program on an old township database: the owner upgrades the schema; the everyday
    login's rights and the change notifications follow the new tables."""
    from models.core.schema import migrate, require_ours, stored_revision

    _server, owner = _owner_database(args)
    try:
        require_ours(owner)  # an empty database is set up (setup-server), not upgraded
        before = stored_revision(owner)
        migrate(owner, force_refresh=True)
        print(f"已升级：{owner.describe()}（数据库版本 {before} → {stored_revision(owner)}）")
    finally:
        owner.dispose()
    return 0


def _owner_password(server) -> str | None:  # type: ignore[no-untyped-def]
    """None lets libpq find it (PGPASSWORD, the password file); else ask on a terminal."""
    import os

    from models.server import connection

    if os.environ.get("PGPASSWORD") or connection.passfile_has(server):
        return None
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"数据库所有者 {server.user} 的密码：")


def cmd_move_up(args: argparse.Namespace) -> int:
    from models.core.access import SYSTEM
    from models.core.db import Database
    from models.server.moving import MoveService

    source = Database(args.source, read_only=True)
    try:
        report = MoveService(open_database(args), SYSTEM).move_up(source, args.village)
    finally:
        source.dispose()
    print(report.describe())
    return 0


def _packages(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from models.core.access import SYSTEM
    from models.server.package import PackageService

    return PackageService(open_database(args), SYSTEM)


def cmd_package_export(args: argparse.Namespace) -> int:
    from models.accounts.service import AccountService
    from models.core.access import SYSTEM

    service = _packages(args)
    village = AccountService(service.db, SYSTEM).village_named(args.village)
    export = service.export_up if args.package_action == "export-up" else service.export_down
    print(export(village, args.month, args.output).describe() + f" 已写入：{args.output}")
    return 0


def cmd_package_import(args: argparse.Namespace) -> int:
    service = _packages(args)
    load = service.import_up if args.package_action == "import-up" else service.import_down
    print(load(args.file).describe())
    return 0


def cmd_connect(args: argparse.Namespace) -> int:
    from models.core.privileges import everyday_role
    from models.server import connection

    server, password = _connection(args, everyday_role(args.database))
    if password is None and args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        password = getpass.getpass(f"数据库账号 {server.user} 的密码：")
    state = connection.probe(server.url().set(password=password))
    if state.schema_revision is None:
        return fail(f"{server.label()} 还没有做过“镇（街道）服务器设置”，本机没有保存连接。")
    connection.save(config_folder(), server, password)
    print(state.describe())
    print(f"本机（当前 Windows 用户）已保存连接：{server.label()}。以后打开程序不用再输入数据库密码。")
    return 0
