#!/bin/sh
# A guest whose #UD handler is the faulting UD2 itself retires nothing,
# but its clock must run: each delivered exception counts as an
# instruction, so the PIT interrupt comes and ends the run (status 67),
# with and without the block cache. (Without that, the stack the faults
# push runs into the IDT and the guest shuts down. QEMU is no oracle
# here: its clock is the host's, so whether the interrupt beats the stack
# depends on the host's speed.)
. "$(dirname "$0")/lib/common.sh"
build_kernel fault_loop
for cache in "" -no-block-cache; do
	run_sim -kernel "$dir/fault_loop.elf" -display none $cache
	[ "$rc" -eq 67 ] || fail "exit status $rc, expected 67 $cache"
done
echo PASS
