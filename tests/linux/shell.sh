#!/bin/sh
# Debian's kernel with the busybox initramfs of scripts/linux-guest.sh,
# /init running a shell on the serial console (vmxsim.shell): commands
# come from a file on the simulator's standard input, through COM1's
# receive line and Linux's 8250 driver, and their output must show that
# the shell ran them. A second run must retire the same number of
# instructions (input from a file is delivered on virtual time).
#   shell.sh VMXSIM [KERNEL INITRD]
set -u
sim=$1
what=linux-shell
kernel_arg=${2:-}
initrd_arg=${3:-}
. "$(dirname "$0")/common.sh"
log=$root/build/linux/shell.log
cmds=$root/build/linux/shell-input.txt
# The arithmetic is the shell's, the file content the kernel's: neither
# can appear in the console's echo of the command line.
cat >"$cmds" <<'IN'
echo "shell: $((6 * 7)) $(/bin/busybox cat /proc/sys/kernel/ostype)"
/bin/busybox poweroff -f
IN

boot() {
	echo "+ vmxsim -m 256M -kernel $kernel -initrd $initrd" \
		"-append 'console=ttyS0 vmxsim.shell' <$cmds"
	timeout "$limit" "$sim" -m 256M -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 vmxsim.shell" -display none \
		-icount-report <"$cmds" >"$log" 2>&1
	rc=$?
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
}

boot
[ "$rc" -eq 0 ] || fail "exit status $rc, expected 0 (log: $log)"
grep -qx "init: shell" "$log" || fail "/init did not start the shell"
grep -qx "shell: 42 Linux" "$log" ||
	fail "no 'shell: 42 Linux': the shell did not run the commands"
first=$(grep '^instructions:' "$log")
echo "$first"
tail -n 8 "$log"
boot
second=$(grep '^instructions:' "$log")
[ "$first" = "$second" ] ||
	fail "second run: '$second', first: '$first' (not deterministic)"
[ "$bad" -eq 0 ] && echo "PASS linux-shell"
exit "$bad"
