#!/bin/sh
# Times Debian's kernel booting to /init (whose only job is to report the
# CPU count and power off) on vmxsim with -smp 1 and -smp 2:
#   bench-linux.sh VMXSIM KERNEL INITRD [RUNS]
# Prints, per CPU count, the median wall time, the guest instructions
# (the same every run: the boot is deterministic) and the MIPS.
set -u
sim=$1 kernel=$2 initrd=$3 runs=${4:-3}
. "$(dirname "$0")/bench-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

die() {
	echo "bench-linux: $*" >&2
	exit 1
}

for n in 1 2; do
	: >"$tmp/ns"
	for r in $(seq "$runs"); do
		t0=$(date +%s%N)
		"$sim" -smp "$n" -m 512M -kernel "$kernel" -initrd "$initrd" \
			-append console=ttyS0 -serial "file:$tmp/console" \
			-display none -icount-report 2>"$tmp/err"
		st=$?
		t1=$(date +%s%N)
		[ "$st" -eq 0 ] || die "-smp $n run $r ended with status $st"
		tr -d '\r' <"$tmp/console" | grep -qx "init: nproc=$n" ||
			die "-smp $n run $r: /init did not report $n CPUs"
		echo $((t1 - t0)) >>"$tmp/ns"
		icount=$(sed -n 's/^instructions: //p' "$tmp/err")
		echo "run $r: -smp $n $(secs $((t1 - t0))) s, $icount instructions"
	done
	ns=$(median <"$tmp/ns")
	echo "SUMMARY: linux boot -smp $n: median $(secs "$ns") s," \
		"$icount instructions, $(mips "$icount" "$ns") MIPS ($runs runs)"
done
