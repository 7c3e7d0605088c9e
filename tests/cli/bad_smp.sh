#!/bin/sh
# -smp takes a number of CPUs from 1 to 255 (APIC IDs 0-254; FFH is the
# xAPIC broadcast); anything else is a one-line error, status 1.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
for n in 0 256 1000 -1 "" two 2x " 2" 0x2 cpus= 99999999999999999999999; do
	expect_bad_input "-smp: '$n' is not a number of CPUs from 1 to 255" \
		-smp "$n" -kernel "$dir/k.elf"
done
# QEMU's cpus= form and the limits are accepted.
for n in 1 cpus=2 255; do
	run_sim -smp "$n" -kernel "$dir/k.elf" -serial none
	[ "$rc" -eq 1 ] || fail "-smp $n: exit status $rc, expected 1"
done
echo PASS
