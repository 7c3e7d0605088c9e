#!/bin/sh
# SIGINT or SIGTERM stop a guest that runs on (here the echo kernel,
# polling COM1 for input that never comes): status 128 + n, a line that
# says so, and one line per CPU saying where it was, so that a hung guest
# can be located.
. "$(dirname "$0")/lib/common.sh"
build_kernel echo
for spec in INT:2 TERM:15; do
	sig=${spec%:*}
	n=${spec#*:}
	echo "+ vmxsim -smp 2 -kernel echo.elf (SIG$sig after 1 s)"
	timeout -s "$sig" --preserve-status 1 "$sim" -smp 2 \
		-kernel "$dir/echo.elf" -display none </dev/null >"$out" 2>"$err"
	rc=$?
	[ "$rc" -eq $((128 + n)) ] || fail "SIG$sig: status $rc"
	grep -qx "vmxsim: stopped by signal $n" "$err" ||
		fail "SIG$sig: no 'stopped by signal $n'"
	grep -Eq '^vmxsim: CPU 0 at 0010:001[0-9a-f]{5}, 32-bit protected mode, CPL 0, running; last reason: none recorded$' "$err" ||
		fail "SIG$sig: CPU 0 not described"
	grep -q '^vmxsim: CPU 1 at f000:0000fff0, real mode, CPL 0, waiting for a SIPI' "$err" ||
		fail "SIG$sig: CPU 1 not described"
done
echo PASS
