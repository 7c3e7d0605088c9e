#!/bin/sh
# Guest MIPS of vmxsim against QEMU TCG on the same guest program.
#   bench.sh VMXSIM KERNEL [RUNS]
# The guest NAME (the kernel's file name without .elf) prints
# "NAME: checksum=0x..." when it succeeds. BENCH_QEMU_ARGS adds QEMU
# options (e.g. "-cpu max" for a guest that needs SSE4.2).
# Runs vmxsim and QEMU alternately, RUNS times each (default 5), and times
# each run's wall clock. The guest instruction count comes from vmxsim's
# -icount-report; the guest is deterministic, so QEMU retires the same
# instructions. Prints the median MIPS of each and the ratio vmxsim/QEMU.
# Both also boot the guest with "-append startup", which exits at once,
# to show how much of a run is start-up rather than guest code.
set -u
sim=$1
kernel=$2
runs=${3:-5}
guest=$(basename "$kernel" .elf)
limit=600
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

qemu=$(command -v qemu-system-x86_64 || true)

die() {
	echo "bench: $*" >&2
	exit 1
}

now_ns() {
	date +%s%N
}

# run_one vmxsim|qemu NAME [EXTRA ARGS]: one timed run; sets $ns. The
# guest's serial output goes to $tmp/NAME.serial, stderr to NAME.err.
run_one() {
	which=$1
	name=$2
	shift 2
	t0=$(now_ns)
	if [ "$which" = vmxsim ]; then
		timeout $limit "$sim" -kernel "$kernel" -display none \
			-serial "file:$tmp/$name.serial" -icount-report "$@" \
			>/dev/null 2>"$tmp/$name.err"
		st=$?
	else
		timeout $limit "$qemu" -accel tcg -kernel "$kernel" \
			-display none -serial "file:$tmp/$name.serial" \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-no-reboot ${BENCH_QEMU_ARGS:-} "$@" >/dev/null \
			2>"$tmp/$name.err"
		st=$?
	fi
	t1=$(now_ns)
	ns=$((t1 - t0))
	# The guest writes 0 to the exit port when its self-checks pass.
	if [ "$st" -ne 1 ]; then
		cat "$tmp/$name.err" "$tmp/$name.serial" >&2 2>/dev/null
		die "$which run $name ended with status $st, expected 1"
	fi
}

. "$(dirname "$0")/bench-lib.sh"

[ -x "$sim" ] || die "no simulator at $sim"
[ -f "$kernel" ] || die "no guest kernel at $kernel"
if [ -z "$qemu" ]; then
	echo "bench: qemu-system-x86_64 is not installed; measuring vmxsim only"
fi

echo "bench: $kernel, $runs runs each, alternating"
count=""
i=1
while [ "$i" -le "$runs" ]; do
	run_one vmxsim "v$i"
	echo "$ns" >>"$tmp/vmxsim.ns"
	n=$(sed -n 's/^instructions: //p' "$tmp/v$i.err")
	[ -n "$n" ] || die "vmxsim printed no instruction count"
	if [ -n "$count" ] && [ "$n" != "$count" ]; then
		die "instruction count changed between runs: $count, then $n"
	fi
	count=$n
	grep -q "^$guest: checksum=" "$tmp/v$i.serial" ||
		die "vmxsim: the guest printed no checksum"
	line="run $i: vmxsim $(secs "$ns") s"
	if [ -n "$qemu" ]; then
		run_one qemu "q$i"
		echo "$ns" >>"$tmp/qemu.ns"
		cmp -s "$tmp/v$i.serial" "$tmp/q$i.serial" ||
			die "the guest printed '$(cat "$tmp/v$i.serial")' on vmxsim" \
				"but '$(cat "$tmp/q$i.serial")' on QEMU"
		line="$line, qemu $(secs "$ns") s"
	fi
	echo "$line"
	i=$((i + 1))
done

# Start-up: the same boot with a guest that exits at once.
for i in 1 2 3; do
	run_one vmxsim "vs$i" -append startup
	echo "$ns" >>"$tmp/vmxsim.start"
	if [ -n "$qemu" ]; then
		run_one qemu "qs$i" -append startup
		echo "$ns" >>"$tmp/qemu.start"
	fi
done

v_ns=$(median <"$tmp/vmxsim.ns")
v_start=$(median <"$tmp/vmxsim.start")
v_mips=$(mips "$count" "$v_ns")
echo "guest: $count instructions, output $(cat "$tmp/v1.serial")"
echo "vmxsim: median $(secs "$v_ns") s, $v_mips MIPS" \
	"(start-up $(secs "$v_start") s)"
if [ -z "$qemu" ]; then
	echo "SUMMARY: $guest: vmxsim $v_mips MIPS; QEMU not installed, no ratio"
	exit 0
fi
q_ns=$(median <"$tmp/qemu.ns")
q_start=$(median <"$tmp/qemu.start")
q_mips=$(mips "$count" "$q_ns")
ratio=$(awk -v a="$v_mips" -v b="$q_mips" 'BEGIN { printf "%.3f", a / b }')
echo "qemu:   median $(secs "$q_ns") s, $q_mips MIPS" \
	"(start-up $(secs "$q_start") s)"
echo "ratio vmxsim/qemu: $ratio"
echo "SUMMARY: $guest: vmxsim $v_mips MIPS, QEMU TCG $q_mips MIPS, ratio $ratio"
