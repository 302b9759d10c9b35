"""accounts add / list / disable: the program's sign-in accounts, for the township's scripts."""

from __future__ import annotations

import argparse
import sys

from commands.common import add_command, add_db_argument, open_database
from commands.server import made_password
from models.core.access import SYSTEM, Role
from models.core.errors import ValidationError

ROLE_NAMES = {"书记": Role.SECRETARY, "文书": Role.CLERK, "镇级管理员": Role.TOWNSHIP_ADMIN,
              "纪工委监督员": Role.INSPECTOR}


def register(sub: argparse._SubParsersAction) -> None:
    accounts = add_command(sub, "accounts")
    actions = accounts.add_subparsers(dest="accounts_action", metavar="操作", required=True)

    add = actions.add_parser("add", help="新建一个账号")
    add_db_argument(add)
    add.add_argument("--login", required=True, metavar="登录名")
    add.add_argument("--name", required=True, metavar="姓名")
    add.add_argument("--role", required=True, choices=list(ROLE_NAMES), metavar="角色",
                     help="书记、文书、镇级管理员 或 纪工委监督员")
    add.add_argument("--village", metavar="村名", help="书记和文书所属的行政村（同名时写“镇名/村名”）")
    add.add_argument("--password-stdin", action="store_true",
                     help="从标准输入读取密码（不写则生成一个初始密码并显示）")
    add.set_defaults(action=cmd_add)

    listing = actions.add_parser("list", help="列出全部账号")
    add_db_argument(listing)
    listing.set_defaults(action=cmd_list)

    disable = actions.add_parser("disable", help="停用一个账号（可在“账号管理”中重新启用）")
    add_db_argument(disable)
    disable.add_argument("login", metavar="登录名")
    disable.set_defaults(action=cmd_disable)


def _service(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from models.accounts.service import AccountService

    return AccountService(open_database(args), SYSTEM)


def cmd_add(args: argparse.Namespace) -> int:
    service = _service(args)
    role = ROLE_NAMES[args.role]
    village_id = None
    if role in (Role.SECRETARY, Role.CLERK):
        if not args.village:
            raise ValidationError(f"{args.role}账号要用 --village 指定所属的行政村。")
        village_id = service.village_named(args.village)
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else made_password(8)
    service.create_account(args.login, args.name, role, village_id, password)
    print(f"已新建账号：{args.login}（{args.name}，{role.label}）")
    if not args.password_stdin:
        print(f"初始密码：{password}（请交给本人，登录后在“账号管理”中修改）")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = _service(args).accounts()
    for row in rows:
        print(f"{row.username}\t{row.display_name}\t{row.role.label}\t{row.village_name}\t{row.status}")
    print(f"共 {len(rows)} 个账号。")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    service = _service(args)
    row = service.account_named(args.login)
    service.set_active(row.id, False)
    print(f"已停用账号：{row.username}（{row.display_name}）")
    return 0
