#!/bin/sh
# pref_address (boot.rst, protocol 2.10) counts only "if nonzero": a
# relocatable kernel without one is loaded at 1 MiB rounded up to its
# kernel_alignment (2 MiB), and starts there. A pref_address so high
# that aligning it would wrap is refused as beyond the mapped 4 GiB,
# not as a load at 0.
. "$(dirname "$0")/lib/common.sh"
# Assembled to run at 2 MiB; then pref_address (0x258) is zeroed.
nasm -f bin -I "$lib/" -DPREF=0x200000 -o "$dir/nopref" "$lib/bzimage.asm" ||
	fail "cannot assemble"
printf '\000\000\000\000\000\000\000\000' |
	dd of="$dir/nopref" bs=1 seek=$((0x258)) conv=notrunc 2>/dev/null
run_sim -kernel "$dir/nopref" -m 64 -serial stdio
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
grep -q "^entry=64 rip=0x00200200 " "$out" || fail "not entered at 0x200200"
cp "$dir/nopref" "$dir/high"
printf '\000\377\377\377\377\377\377\377' |
	dd of="$dir/high" bs=1 seek=$((0x258)) conv=notrunc 2>/dev/null
expect_bad_input "kernel '.*high' wants 0x400000 bytes at 0xffffffffffffff00 \(pref_address\), beyond the first 4 GiB" \
	-kernel "$dir/high" -m 64
echo PASS
