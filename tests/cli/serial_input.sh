#!/bin/sh
# COM1's receive line from standard input (-serial stdio): the echo kernel
# (lib/echo.asm) polls COM1 and echoes each line in upper case.
# - With RTS off nothing arrives (RTS/CTS flow control), then all of it
#   does, none lost to an overrun although the guest polls slowly.
# - Input from a file is delivered on virtual time: two runs retire the
#   same number of instructions.
# - A pipe whose writer is slow still gets through.
# - Once the input has ended, a guest waiting for an interrupt that
#   nothing will send ends as it would without input (lib/idle.asm:
#   status 2), instead of waiting for more.
. "$(dirname "$0")/lib/common.sh"
build_kernel echo
build_kernel idle

printf 'hello\nWorld 42\r\n\n%s\n.\n' \
	"a line longer than the sixteen-byte receive FIFO" >"$dir/in.txt"
expected="rts: held
echo: HELLO
echo: WORLD 42
echo: A LINE LONGER THAN THE SIXTEEN-BYTE RECEIVE FIFO"

echo "+ vmxsim -kernel echo.elf -icount-report <in.txt"
timeout 60 "$sim" -kernel "$dir/echo.elf" -display none -icount-report \
	<"$dir/in.txt" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 67 ] || fail "exit status $rc, expected 67"
[ "$(cat "$out")" = "$expected" ] || fail "unexpected output"
first=$(grep '^instructions:' "$err")

timeout 60 "$sim" -kernel "$dir/echo.elf" -display none -icount-report \
	<"$dir/in.txt" >"$out" 2>"$err"
second=$(grep '^instructions:' "$err")
[ -n "$first" ] && [ "$first" = "$second" ] ||
	fail "instruction counts differ: '$first' and '$second'"
echo "deterministic: $first"

echo "+ (slow writer) | vmxsim -kernel echo.elf"
(sleep 1; printf 'slow\n'; sleep 1; printf '.\n') |
	timeout 60 "$sim" -kernel "$dir/echo.elf" -display none >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 67 ] || fail "pipe: exit status $rc, expected 67"
[ "$(tail -n 1 "$out")" = "echo: SLOW" ] || fail "pipe: unexpected output"

echo "+ vmxsim -kernel idle.elf <in.txt"
timeout 60 "$sim" -kernel "$dir/idle.elf" -display none \
	<"$dir/in.txt" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 2 ] || fail "idle: exit status $rc, expected 2"
grep -q 'waiting for an interrupt' "$err" || fail "idle: unexpected message"
echo PASS
