#!/bin/sh
# Boots Debian's kernel with the busybox initramfs of scripts/linux-guest.sh
# on N CPUs and checks the run:
#   boot.sh VMXSIM N [KERNEL INITRD]
# /init must report N CPUs through nproc and /proc/cpuinfo and power the
# machine off (status 0); the kernel log must show N CPUs up and no APIC,
# TSC-calibration or timer warnings. The console goes to
# build/linux/boot-smpN.log; LINUX_TIMEOUT (seconds, default 1800)
# bounds the run.
set -u
sim=$1
n=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${3:-$root/build/linux/vmlinuz}
initrd=${4:-$root/build/linux/initrd.cpio.gz}
log=$root/build/linux/boot-smp$n.log
limit=${LINUX_TIMEOUT:-1800}
bad=0

fail() {
	echo "linux-boot -smp $n: $*"
	bad=1
}

[ -f "$kernel" ] && [ -f "$initrd" ] ||
	{ echo "linux-boot: no $kernel or $initrd; run scripts/linux-guest.sh"; exit 1; }
echo "+ vmxsim -smp $n -m 512M -kernel $kernel -initrd $initrd" \
	"-append console=ttyS0 -serial stdio -display none"
timeout "$limit" "$sim" -smp "$n" -m 512M -kernel "$kernel" \
	-initrd "$initrd" -append "console=ttyS0" -serial stdio \
	-display none -icount-report >"$log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc, expected 0 (log: $log)"
grep -qx "init: nproc=$n" "$log" || fail "no 'init: nproc=$n'"
grep -qx "init: cpuinfo=$n" "$log" || fail "no 'init: cpuinfo=$n'"
grep -q "smp: Brought up 1 node, $n CPU" "$log" ||
	fail "the kernel did not bring up $n CPUs"
# What a healthy boot does not say.
grep -Ein 'APIC.*(bug|error|fail|not (work|connected))|tsc: .*(fail|unable|unstable)|(timer|clocksource).*(warn|bug|not work|unstable|fail)|WARNING:' \
	"$log" && fail "warnings in the kernel log (above)"
grep '^instructions:' "$log"
[ "$bad" -eq 0 ] && echo "PASS linux-boot -smp $n"
exit "$bad"
