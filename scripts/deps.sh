#!/bin/sh
# Installs the Debian packages vmxsim needs to build and test, if missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -e

# python3-mpmath computes the correctly rounded references of the x87
# transcendental test (tests/unit/fp_trans_ref.py).
PACKAGES="build-essential pkg-config libsdl2-dev libreadline-dev liblua5.4-dev \
libcmocka-dev nasm libzydis-dev python3 python3-mpmath"

# Extra packages callers may ask for (e.g. the benchmark's reference QEMU).
PACKAGES="$PACKAGES $*"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "vmxsim: missing packages:$missing" >&2
	echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "vmxsim: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
