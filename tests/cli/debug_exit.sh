#!/bin/sh
# A kernel prints on COM1 and port 0xe9 and writes 0x21 to port 0xf4: the
# run ends with status (0x21 << 1) | 1 = 67, as QEMU's isa-debug-exit.
# COM1 goes where -serial says; port 0xe9 goes to stderr.
. "$(dirname "$0")/lib/common.sh"
build_kernel hello
run_sim -kernel "$dir/hello.elf" -display none
[ "$rc" -eq 67 ] || fail "exit status $rc, expected 67"
[ "$(cat "$out")" = hi ] || fail "stdout is not 'hi'"
[ "$(cat "$err")" = e9 ] || fail "stderr is not 'e9'"

run_sim -kernel "$dir/hello.elf" -serial "file:$dir/com1.txt"
[ "$rc" -eq 67 ] || fail "-serial file: exit status $rc, expected 67"
[ -s "$out" ] && fail "-serial file: output on stdout"
[ "$(cat "$dir/com1.txt")" = hi ] || fail "-serial file: file is not 'hi'"

run_sim -kernel "$dir/hello.elf" -serial none -no-block-cache
[ "$rc" -eq 67 ] || fail "-serial none: exit status $rc, expected 67"
[ -s "$out" ] && fail "-serial none: output on stdout"

# The oracle: QEMU runs the same kernel to the same status.
if run_qemu -kernel "$dir/hello.elf" -serial none; then
	[ "$qrc" -eq 67 ] || fail "QEMU exit status $qrc, expected 67"
fi
echo PASS
