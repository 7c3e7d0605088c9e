#!/bin/sh
# The guest turns the machine off (ACPI S5 through PM1a_CNT, "Shutdown"
# on port 0x8900) or resets it (0xcf9, the keyboard controller's 0xFE,
# port 0x92): the run ends at once with status 0, as QEMU's does with
# -no-reboot; a power-off is silent, a reset says so in one line.
. "$(dirname "$0")/lib/common.sh"

build_action() {
	nasm -f elf32 -I "$lib/" -DACTION="$1" -o "$dir/power$1.o" \
		"$lib/power.asm" || fail "cannot assemble power.asm"
	ld -m elf_i386 -nostdlib $ldflags -T "$root/roms/lib/link.ld" \
		-o "$dir/power$1.elf" "$dir/power$1.o" || fail "cannot link"
}

for a in 1 2 3 4 5; do
	build_action $a
	for cache in "" -no-block-cache; do
		run_sim -kernel "$dir/power$a.elf" -display none $cache
		[ "$rc" -eq 0 ] || fail "action $a: exit status $rc, expected 0"
		[ "$(cat "$out")" = before ] || fail "action $a: the guest went on"
		if [ $a -le 2 ]; then
			[ -s "$err" ] && fail "action $a: power-off wrote to stderr"
		else
			[ "$(wc -l <"$err")" -eq 1 ] ||
				fail "action $a: expected one line on stderr"
			grep -q '^vmxsim: guest reset the machine (' "$err" ||
				fail "action $a: no reset message"
		fi
	done
done

# The oracle for the resets: QEMU with -no-reboot ends with 0 too.
for a in 3 4 5; do
	run_qemu -kernel "$dir/power$a.elf" -serial "file:$dir/q.txt" || break
	[ "$qrc" -eq 0 ] || fail "QEMU: action $a: exit status $qrc"
	[ "$(cat "$dir/q.txt")" = before ] || fail "QEMU: action $a went on"
done
echo PASS
