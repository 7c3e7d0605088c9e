#!/bin/sh
# An initrd that cannot fit in RAM above the kernel: one line, status 1,
# naming the file and suggesting more RAM. With more RAM it loads.
. "$(dirname "$0")/lib/common.sh"
nasm -f bin -I "$lib/" -o "$dir/bz" "$lib/bzimage.asm" || fail "cannot assemble"
# A newline first: the test kernel prints the initrd's first line.
echo >"$dir/initrd.img"
truncate -s 100M "$dir/initrd.img" || fail "truncate"
expect_bad_input "initrd '.*initrd.img' \(104857600 bytes\) does not fit in 64 MiB of RAM.*use a larger -m" \
	-kernel "$dir/bz" -m 64 -initrd "$dir/initrd.img"
run_sim -kernel "$dir/bz" -m 256 -initrd "$dir/initrd.img" -serial none
[ "$rc" -eq 1 ] || fail "-m 256: exit status $rc, expected 1"
echo PASS
