#!/usr/bin/env bash
# Install the .deb into this system (as root, on a throwaway machine or in a fresh chroot: it
# creates the group cunzhi and /var/lib/cunzhi), run it, remove it, and check the data stays.
#     installer/try_deb.sh dist/cunzhi_0.1.0_amd64.deb
set -euo pipefail
deb=$(realpath "$1")
here=$(dirname "$(realpath "$0")")

# A machine where the package ran before may still have it, and keeps its data (the data
# outlives the package): the try removes the package, sets that folder aside, starts from none,
# and puts the folder back however the try ends.
if dpkg-query -W -f='${Status}' cunzhi 2>/dev/null | grep -q installed; then
    dpkg --purge cunzhi
fi
data=/var/lib/cunzhi
aside=""
if [ -e "$data" ]; then
    aside=$(mktemp -d /var/lib/cunzhi-before-try.XXXXXX)
    mv "$data" "$aside/"
fi
put_back() {
    userdel --remove wenshu 2>/dev/null || true
    if [ -n "$aside" ]; then
        rm -rf "$data"
        mv "$aside/cunzhi" "$data"
        rmdir "$aside"
    fi
}
trap put_back EXIT

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb"  # + Depends
test "$(stat -c %G:%a /var/lib/cunzhi)" = cunzhi:2775
python3 "$here/smoke_test.py" /usr/bin/cunzhi-cli
# Without --db: the machine's data folder, /var/lib/cunzhi, and the report's totals there.
cunzhi-cli demo >/dev/null
cunzhi-cli stats | python3 -c '
import json, sys
stats = json.load(sys.stdin)
totals = [stats[key] for key in ("admin_villages", "natural_villages", "zones", "alleys",
                                 "households", "residents")]
print("cunzhi-cli stats（/var/lib/cunzhi/cunzhi.db）：", totals)
assert totals == [6, 32, 193, 385, 3070, 7397], totals'
# A second account of the office, in the group cunzhi like every account present at installation:
# it reads the database root made and writes backups beside it; root writes into its backups.
useradd --create-home --groups cunzhi wenshu
runuser -u wenshu -- cunzhi-cli stats >/dev/null
runuser -u wenshu -- cunzhi-cli backup
cunzhi-cli backup
dpkg --purge cunzhi
test -f /var/lib/cunzhi/cunzhi.db  # the data outlives the package, even purged
test ! -e /opt/cunzhi && test ! -e /usr/bin/cunzhi-cli && test ! -e /usr/share/applications/cunzhi.desktop
echo "try_deb: installed, run, removed; /var/lib/cunzhi/cunzhi.db kept"
