#!/bin/sh
# Boots Debian's kernel with the busybox initramfs of scripts/linux-guest.sh
# on N CPUs and checks the run:
#   boot.sh VMXSIM N [KERNEL INITRD]
# /init must report N CPUs through nproc and /proc/cpuinfo and power the
# machine off (status 0); the kernel log must show N CPUs brought up and
# no APIC, TSC-calibration or timer warnings. The console goes to
# build/linux/boot-smpN.log. LINUX_TIMEOUT (seconds, default 1800) bounds
# the run; a kernel panic ends it at once.
set -u
sim=$1
n=$2
what="linux-boot -smp $n"
kernel_arg=${3:-}
initrd_arg=${4:-}
. "$(dirname "$0")/common.sh"
log=$root/build/linux/boot-smp$n.log
echo "+ vmxsim -smp $n -m 512M -kernel $kernel -initrd $initrd" \
	"-append console=ttyS0 -serial stdio -display none"
# Line-buffered, so that the log can be watched while the guest runs.
stdbuf -oL timeout "$limit" "$sim" -smp "$n" -m 512M -kernel "$kernel" \
	-initrd "$initrd" -append "console=ttyS0" -serial stdio \
	-display none -icount-report >"$log" 2>&1 &
pid=$!
panicked=0
while kill -0 "$pid" 2>/dev/null; do
	if [ "$panicked" -eq 0 ] &&
	   grep -q 'Kernel panic - not syncing' "$log" 2>/dev/null; then
		panicked=1
		sleep 2
		kill -INT "$pid" 2>/dev/null
	fi
	sleep 2
done
wait "$pid"
rc=$?
# The serial console ends lines with CR LF.
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
if [ "$panicked" -eq 1 ]; then
	fail "kernel panic (log: $log):"
	grep -m 1 -B 3 -A 12 -e '------------\[ cut here' \
		-e 'general protection fault' -e 'BUG:' -e 'Kernel panic' "$log"
elif [ "$rc" -ne 0 ]; then
	fail "exit status $rc, expected 0 (log: $log)"
	tail -n 5 "$log"
fi
grep -qx "init: nproc=$n" "$log" || fail "no 'init: nproc=$n'"
grep -qx "init: cpuinfo=$n" "$log" || fail "no 'init: cpuinfo=$n'"
grep -q "smp: Brought up 1 node, $n CPU" "$log" ||
	fail "the kernel did not bring up $n CPUs"
# What a healthy boot does not say.
if grep -Ein 'APIC.*(bug|error|fail|not (work|connected)|disabled due)|tsc: .*(fail|unable|unstable|inconsistent)|(timer|clocksource).*(warn|bug|not work|unstable|fail)|WARNING: CPU:|\[Firmware Bug\]' \
	"$log"; then
	fail "warnings in the kernel log (above)"
fi
grep '^instructions:' "$log"
[ "$bad" -eq 0 ] && echo "PASS linux-boot -smp $n"
exit "$bad"
