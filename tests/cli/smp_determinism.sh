#!/bin/sh
# Same inputs, same run: the SMP trampoline kernel on three CPUs retires
# the same number of instructions and logs the same IPIs, in the same
# order, every time; the quantum changes the interleaving but not the
# result. A guest whose CPUs all wait for ever ends with status 2.
. "$(dirname "$0")/lib/common.sh"
k=$root/build/roms/tests/smp_trampoline.elf
[ -f "$k" ] || fail "$k is not built (make roms)"
for q in 10000 777; do
	run_sim -smp 3 -quantum $q -kernel "$k" -serial none -d debug \
		-icount-report
	[ "$rc" -eq 1 ] || fail "-quantum $q: exit status $rc, expected 1"
	grep -E '^vmxsim: apic|^instructions' "$err" >"$dir/a"
	run_sim -smp 3 -quantum $q -kernel "$k" -serial none -d debug \
		-icount-report
	grep -E '^vmxsim: apic|^instructions' "$err" >"$dir/b"
	cmp -s "$dir/a" "$dir/b" || fail "-quantum $q: two runs differ"
	grep -q 'INIT level de-assert.*ignored' "$dir/a" ||
		fail "no ignored INIT de-assert in the log"
	grep -q 'STARTUP.*ignored: CPU 1 is' "$dir/a" ||
		fail "no ignored second SIPI in the log"
done
# A halted BSP with interrupts disabled and two APs that wait for a SIPI:
# nothing can ever run again.
build_kernel halt
run_sim -smp 3 -kernel "$dir/halt.elf" -serial none
[ "$rc" -eq 2 ] || fail "halted SMP guest: exit status $rc, expected 2"
grep -q '^vmxsim: guest halted with interrupts disabled on CPU 0' "$err" ||
	fail "message does not say CPU 0 halted"
echo PASS
