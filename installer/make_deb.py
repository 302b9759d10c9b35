"""Build the Linux package from the frozen folder: `dist/cunzhi_<version>_amd64.deb`.

    python3 installer/make_deb.py dist/cunzhi          # needs dpkg-deb and objdump (binutils)

/opt/cunzhi holds the frozen folder; /usr/bin/cunzhi and /usr/bin/cunzhi-cli lead to it; a
desktop entry in Chinese and the icon in every size go under /usr/share. The package depends on
the desktop's own libraries (X11/xcb, fontconfig, GLib, CUPS, D-Bus, the C++ runtime: the spec
leaves them out of the folder) and on the C library at least as new as the newest symbol version
any file of the folder asks for: that version is the package's glibc floor, printed at the end.
After installation /var/lib/cunzhi is the machine's data folder (models/core/data_folder.py), shared
by the group cunzhi; removing the package leaves it and the data in it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
PACKAGE = "cunzhi"
MAINTAINER = "村治通 <dev@cunzhi.local>"

# Every library the folder needs from the system, by soname, and the Debian package that has it
# (alternatives for the 64-bit time_t renames of Debian 13 / Ubuntu 24.04). A soname missing here
# stops the build, so a new dependency is looked at before it ships.
SYSTEM_LIBRARIES = {
    **dict.fromkeys(("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "libresolv.so.2",
                     "ld-linux-x86-64.so.2"), "libc6"),
    "libgcc_s.so.1": "libgcc-s1",
    "libstdc++.so.6": "libstdc++6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1",
    **{f"libxcb-{name}.so.{number}": f"libxcb-{name}{number}" for name, number in (
        ("cursor", 0), ("glx", 0), ("icccm", 4), ("image", 0), ("keysyms", 1), ("randr", 0),
        ("render", 0), ("shape", 0), ("shm", 0), ("sync", 1), ("util", 1), ("xfixes", 0),
        ("xkb", 1))},
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    **dict.fromkeys(("libglib-2.0.so.0", "libgthread-2.0.so.0", "libgobject-2.0.so.0",
                     "libgio-2.0.so.0"), "libglib2.0-0 | libglib2.0-0t64"),
    "libdbus-1.so.3": "libdbus-1-3",
    "libcups.so.2": "libcups2 | libcups2t64",
    "libzstd.so.1": "libzstd1",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    **dict.fromkeys(("libbrotlidec.so.1", "libbrotlicommon.so.1"), "libbrotli1"),
}
# Needed only by Qt's GTK platform theme (native file dialogs where GTK is the desktop's): the
# plugin is skipped when GTK is absent, so these are recommended, not required.
GTK_THEME_LIBRARIES = {
    "libgtk-3.so.0", "libgdk-3.so.0", "libatk-1.0.so.0", "libcairo.so.2", "libcairo-gobject.so.2",
    "libgdk_pixbuf-2.0.so.0", "libpango-1.0.so.0", "libpangocairo-1.0.so.0", "libharfbuzz.so.0",
}
RECOMMENDS = "libgtk-3-0 | libgtk-3-0t64, fonts-wqy-microhei | fonts-noto-cjk"
# GLIBCXX_3.4.N → the GCC whose libstdc++ first has it.
GCC_OF_GLIBCXX = {25: 8, 26: 9, 28: 10, 29: 11, 30: 12, 31: 13, 32: 14}

DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=村治通
GenericName=农村人居环境“五级架构”管理
Comment=行政村、自然村、片区、胡同、农户；积分银行；红黑榜
Exec=cunzhi
Icon=cunzhi
Terminal=false
Categories=Office;
Keywords=村治通;积分银行;红黑榜;片区;胡同;cunzhi;
StartupWMClass=cunzhi
"""

# The machine's data folder, for every account in the group cunzhi (models/core/data_folder.py).
# Existing accounts (UID_MIN..UID_MAX) join the group on the first installation; later accounts:
# `usermod -aG cunzhi NAME`. What the program makes there is the group's (setgid folder; the
# program runs with umask 002 there).
POSTINST = """#!/bin/sh
set -e
if [ "$1" = configure ]; then
    getent group cunzhi >/dev/null || groupadd --system cunzhi
    install -d -o root -g cunzhi -m 2775 /var/lib/cunzhi
    if [ -z "$2" ]; then
        low=$(awk '$1 == "UID_MIN" {print $2}' /etc/login.defs 2>/dev/null); low=${low:-1000}
        high=$(awk '$1 == "UID_MAX" {print $2}' /etc/login.defs 2>/dev/null); high=${high:-60000}
        getent passwd | awk -F: -v low="$low" -v high="$high" '$3 >= low && $3 <= high {print $1}' |
            while read -r account; do usermod -aG cunzhi "$account" || true; done
    fi
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q /usr/share/icons/hicolor || true
    fi
fi
exit 0
"""
# The data stays, even on purge: a village's points are not the package's to delete.
POSTRM = """#!/bin/sh
set -e
if [ "$1" = purge ]; then
    rmdir --ignore-fail-on-non-empty /var/lib/cunzhi 2>/dev/null || true
fi
exit 0
"""


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def dynamic_section(path: Path) -> str:
    return subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True,
                          check=True).stdout


def requirements(folder: Path) -> tuple[set[str], dict[str, tuple[int, ...]]]:
    """The sonames the folder's files need and do not carry, and the newest symbol version
    asked of each versioned runtime (GLIBC, GLIBCXX, CXXABI)."""
    carried = {path.name for path in folder.rglob("*")}
    needed: set[str] = set()
    newest: dict[str, tuple[int, ...]] = {}
    for path in elf_files(folder):
        text = dynamic_section(path)
        needed |= set(re.findall(r"^\s+NEEDED\s+(\S+)", text, flags=re.MULTILINE))
        for name, version in re.findall(r"\b(GLIBC|GLIBCXX|CXXABI)_([0-9.]+)\b", text):
            number = tuple(int(part) for part in version.split("."))
            newest[name] = max(newest.get(name, number), number)
    return needed - carried, newest


def depends(missing: set[str], newest: dict[str, tuple[int, ...]]) -> list[str]:
    unknown = sorted(missing - SYSTEM_LIBRARIES.keys() - GTK_THEME_LIBRARIES)
    if unknown:
        sys.exit(f"make_deb: no Debian package known for {', '.join(unknown)}: add it to "
                 "SYSTEM_LIBRARIES (or leave the library out of the frozen folder).")
    glibc = ".".join(map(str, newest["GLIBC"]))
    packages = {SYSTEM_LIBRARIES[name] for name in missing if name in SYSTEM_LIBRARIES}
    packages.discard("libc6")
    result = [f"libc6 (>= {glibc})"]
    if "libstdc++6" in packages and "GLIBCXX" in newest:
        packages.discard("libstdc++6")
        gcc = GCC_OF_GLIBCXX.get(newest["GLIBCXX"][-1])
        result.append(f"libstdc++6 (>= {gcc})" if gcc else "libstdc++6")
    return result + sorted(packages)


def write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def stage(frozen: Path, tree: Path) -> None:
    shutil.copytree(frozen, tree / "opt" / PACKAGE, symlinks=True)
    (tree / "usr" / "bin").mkdir(parents=True)
    for program in ("cunzhi", "cunzhi-cli"):
        (tree / "usr" / "bin" / program).symlink_to(f"../../opt/{PACKAGE}/{program}")
    write(tree / "usr" / "share" / "applications" / f"{PACKAGE}.desktop", DESKTOP_ENTRY)
    for icon in sorted(ICONS.glob("cunzhi-*.png")):
        size = icon.stem.split("-")[1]
        target = tree / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{PACKAGE}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon, target)
    doc = tree / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    copyright_text = ("村治通 (cunzhi) — Apache-2.0.\n"
                      "Bundled fonts: WenQuanYi Micro Hei (GPL-3 with font exception, Apache-2.0) and "
                      "HanaMinA (Hanazono Font License); their texts are in "
                      f"/opt/{PACKAGE}/_internal/resources/fonts.\n")
    write(doc / "copyright", copyright_text)
    for path in tree.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)


def control(tree: Path, version: str, requires: list[str]) -> str:
    size_kib = sum(path.lstat().st_size for path in tree.rglob("*")) // 1024
    return (f"Package: {PACKAGE}\nVersion: {version}\nArchitecture: amd64\nMaintainer: {MAINTAINER}\n"
            f"Installed-Size: {size_kib}\nDepends: {', '.join(requires)}\nRecommends: {RECOMMENDS}\n"
            "Section: misc\nPriority: optional\n"
            "Description: 村治通 — 农村人居环境“五级架构”管理程序\n"
            " 给村党支部办公室用的桌面程序：行政村、自然村、片区、胡同、农户的五级架构，\n"
            " 片区长、胡同长的积分银行和兑换柜台，月度、季度、年度红黑榜。数据保存在\n"
            " /var/lib/cunzhi（本机各账号共用），也可连接全镇共用的 PostgreSQL 服务器。\n")


def md5sums(tree: Path) -> str:
    lines = []
    for path in sorted(tree.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.relative_to(tree).parts:
            lines.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(tree).as_posix()}")
    return "\n".join(lines) + "\n"


def build(frozen: Path, output_folder: Path) -> Path:
    version = project_version()
    missing, newest = requirements(frozen)
    requires = depends(missing, newest)
    target = output_folder / f"{PACKAGE}_{version}_amd64.deb"
    with tempfile.TemporaryDirectory(prefix="cunzhi-deb-") as work:
        tree = Path(work) / "root"
        stage(frozen, tree)
        write(tree / "DEBIAN" / "control", control(tree, version, requires))
        write(tree / "DEBIAN" / "postinst", POSTINST, 0o755)
        write(tree / "DEBIAN" / "postrm", POSTRM, 0o755)
        write(tree / "DEBIAN" / "md5sums", md5sums(tree))
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z3", "--build", str(tree), str(target)],
                       check=True, stdout=subprocess.DEVNULL)
    glibcxx = ".".join(map(str, newest.get("GLIBCXX", ())))
    print(f"{target} ({target.stat().st_size // 1_000_000} MB): glibc ≥ {requires[0].split('>= ')[1][:-1]}, "
          f"GLIBCXX ≥ {glibcxx}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the .deb from the frozen folder.")
    parser.add_argument("frozen", type=Path, help="the frozen folder (dist/cunzhi)")
    parser.add_argument("--output", type=Path, default=None, help="where the .deb goes (default: beside it)")
    args = parser.parse_args()
    build(args.frozen.resolve(), (args.output or args.frozen.resolve().parent))


if __name__ == "__main__":
    main()
