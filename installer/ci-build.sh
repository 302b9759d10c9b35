#!/usr/bin/env bash
# CI, after the test suite (.ci/run calls this): the frozen build from the lock, its smoke test,
# the .deb installed and run, the Windows installer compiled with makensis -WX. Each step says
# how long the whole has taken so far.
#
# The .deb goes into the real system when this runs as root in CI (a throwaway machine: apt
# brings its dependencies, postinst makes /var/lib/cunzhi); anywhere else it is unpacked into a
# fresh folder with dpkg-deb -x and run from there.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS=0
step() { echo "== $1 (${SECONDS} s)"; }

need=()
command -v objdump >/dev/null || need+=(binutils)  # PyInstaller and make_deb.py read ELF files
command -v makensis >/dev/null || need+=(nsis)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

step "build environment from installer/constraints.txt"
venv=build/venv-installer
rm -rf "$venv" && python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -c installer/constraints.txt -e . pyinstaller
python="$venv/bin/python"

step "frozen folder (installer/cunzhi.spec)"
rm -rf dist build/pyinstaller
# A fixed hash seed makes the compiled modules (sets among their constants) the same from build
# to build: two builds of one commit and lock are then the same bytes, file for file.
PYTHONHASHSEED=0 "$venv/bin/pyinstaller" installer/cunzhi.spec --noconfirm --log-level ERROR \
    --distpath dist --workpath build/pyinstaller
echo "dist/cunzhi: $(du -sm dist/cunzhi | cut -f1) MB, $(find dist/cunzhi -type f | wc -l) files"
"$python" installer/compare_builds.py dist/cunzhi --lock installer/constraints.txt

step "smoke test of the frozen folder"
"$python" installer/smoke_test.py dist/cunzhi

step ".deb"
"$python" installer/make_deb.py dist/cunzhi
deb=$(ls dist/cunzhi_*_amd64.deb)

step "the .deb installed and run"
if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
    installer/try_deb.sh "$deb"
else
    prefix=$(mktemp -d)
    trap 'rm -rf "$prefix"' EXIT
    dpkg-deb -x "$deb" "$prefix"
    "$python" installer/smoke_test.py "$prefix/usr/bin/cunzhi-cli"
fi

step "Windows installer (makensis -WX)"
"$python" installer/nsis_lists.py dist/cunzhi build/nsis
makensis -WX -V2 -DLISTS="$PWD/build/nsis" installer/cunzhi.nsi
ls -l dist/*.exe

step "done"
