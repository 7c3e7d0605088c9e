#!/bin/sh
# HLT with interrupts disabled stops the guest for good: status 2 and one
# line naming what happened.
. "$(dirname "$0")/lib/common.sh"
build_kernel halt
for cache in "" -no-block-cache; do
	run_sim -kernel "$dir/halt.elf" -serial none $cache
	[ "$rc" -eq 2 ] || fail "exit status $rc, expected 2"
	[ "$(wc -l <"$err")" -eq 1 ] || fail "expected one line on stderr"
	grep -q '^vmxsim: guest halted with interrupts disabled on CPU 0' \
		"$err" || fail "message does not say the guest halted"
done
echo PASS
