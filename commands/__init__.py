"""The admin command line, one module per area. main.py imports a command's module only when
that command runs: COMMANDS names each command's module and its one-line help, so `main.py --help`
loads none of them (nor reportlab, openpyxl or the database)."""

from typing import NamedTuple


class Command(NamedTuple):
    module: str
    help: str


# In the order `main.py --help` lists them.
COMMANDS = {
    "demo": Command("commands.org", "生成演示数据（报告中的示范镇）"),
    "stats": Command("commands.org", "以 JSON 输出各级单位、片区长、胡同长、农户、人口数"),
    "check": Command("commands.org", "检查数据库完整性和业务规则"),
    "import-roster": Command("commands.roster", "从 Excel 导入农户和居民（有任何问题则全部不导入）"),
    "export-roster": Command("commands.roster", "把全部农户和居民导出为 Excel（可再导入）"),
    "roster-template": Command("commands.roster", "生成导入模板（带下拉列表和填写说明）"),
    "year-close": Command("commands.points", "积分年度结转：关闭该年度全部存折，下一年度按初始积分开户"),
    "import-evidence": Command("commands.points", "把本机数据文件夹里从前的积分证据文件存入数据库"),
    "goods-report": Command("commands.store", "导出物品库存与积分兑换报表（Excel）"),
    "print": Command("commands.printing", "打印（输出 PDF 或 xlsx）"),
    "setup-server": Command("commands.server", "镇（街道）服务器设置：建库、镇级管理员、各村书记账号"),
    "upgrade-server": Command("commands.server", "用数据库所有者账号升级镇（街道）服务器上的数据库"),
    "move-up": Command("commands.server", "把一个村原来的本机数据库（全部历史）迁入镇（街道）服务器"),
    "package": Command("commands.server", "没有网络的村：导出、导入月度数据包"),
    "connect": Command("commands.server", "让本机（当前用户）连接镇（街道）服务器"),
    "accounts": Command("commands.accounts", "账号：add 新建、list 列出、disable 停用"),
    "backup": Command("commands.backup", "立即备份数据库（或用 --list 列出已有备份）"),
    "restore": Command("commands.backup", "用备份恢复数据库（默认用最新的完好备份）"),
    "selftest": Command("commands.selftest", "安装自检：不显示窗口，逐一打开程序的每个页面（只读）"),
}
