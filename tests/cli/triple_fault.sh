#!/bin/sh
# A triple fault ends the run (like QEMU with -no-reboot): status 3 and
# one line naming it and the reason.
. "$(dirname "$0")/lib/common.sh"
build_kernel triple
for cache in "" -no-block-cache; do
	run_sim -kernel "$dir/triple.elf" -serial none $cache
	[ "$rc" -eq 3 ] || fail "exit status $rc, expected 3"
	[ "$(wc -l <"$err")" -eq 1 ] || fail "expected one line on stderr"
	grep -q '^vmxsim: guest shut down (triple fault) on CPU 0' "$err" ||
		fail "message does not name the triple fault"
done
echo PASS
