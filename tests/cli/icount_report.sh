#!/bin/sh
# -icount-report prints the retired instruction count, the same with and
# without the block cache. The kernel retires 2004 instructions, counted
# by hand in lib/count.asm.
. "$(dirname "$0")/lib/common.sh"
build_kernel count
for cache in "" -no-block-cache; do
	run_sim -kernel "$dir/count.elf" -serial none -icount-report $cache
	[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
	[ "$(cat "$err")" = "instructions: 2004" ] ||
		fail "expected 'instructions: 2004'"
done
echo PASS
