"""Write what installer/cunzhi.nsi installs and uninstalls, file by file, from the frozen folder:

    python installer/nsis_lists.py dist/cunzhi build/nsis

build/nsis/install.nsh   SetOutPath + File for every file of the folder
build/nsis/uninstall.nsh Delete for every one of those files, then RMDir (never /r) for every
                         folder, deepest first: the uninstaller removes what it installed and
                         nothing else, whatever folder the user chose
build/nsis/defines.nsh   VERSION, VERSION4 (for the version resource), ESTIMATED_SIZE_KB
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent


def windows_path(relative: PurePosixPath) -> str:
    return "$INSTDIR" + "".join(f"\\{part}" for part in relative.parts)


def write_lists(frozen: Path, output: Path) -> None:
    # A Windows folder has no symbolic links; a Linux one (built only to try this script in CI)
    # has a few, which NSIS would copy as second files.
    files = sorted(path for path in frozen.rglob("*") if path.is_file() and not path.is_symlink())
    folders = sorted({PurePosixPath(path.relative_to(frozen).as_posix()).parent for path in files})
    install, uninstall = [], []
    for folder in folders:
        install.append(f'SetOutPath "{windows_path(folder)}"')
        for path in files:
            relative = PurePosixPath(path.relative_to(frozen).as_posix())
            if relative.parent == folder:
                install.append(f'File "{path}"')
                uninstall.append(f'Delete "{windows_path(relative)}"')
    every_folder = {parent for folder in folders for parent in (folder, *folder.parents)}
    for folder in sorted(every_folder, key=lambda f: (-len(f.parts), str(f))):
        if folder.parts:  # $INSTDIR itself goes last, in the script, after uninstall.exe
            uninstall.append(f'RMDir "{windows_path(folder)}"')
    install.append('SetOutPath "$INSTDIR"')
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = project["version"]
    numbers = [*version.split(".")[:3], "0"][:4]
    size_kb = sum(path.stat().st_size for path in files) // 1024
    output.mkdir(parents=True, exist_ok=True)
    (output / "install.nsh").write_text("\n".join(install) + "\n", encoding="utf-8")
    (output / "uninstall.nsh").write_text("\n".join(uninstall) + "\n", encoding="utf-8")
    (output / "defines.nsh").write_text(
        f'!define VERSION "{version}"\n!define VERSION4 "{".".join(numbers)}"\n'
        f"!define ESTIMATED_SIZE_KB {size_kb}\n", encoding="utf-8")
    print(f"{len(files)} 个文件，{len(every_folder) - 1} 个文件夹，{size_kb // 1024} MB → {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description="File lists for the NSIS installer.")
    parser.add_argument("frozen", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    write_lists(args.frozen.resolve(), args.output.resolve())


if __name__ == "__main__":
    main()
