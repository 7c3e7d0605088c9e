#!/bin/sh
# A kernel whose initrd_addr_max (boot.rst) leaves no room for the initrd
# above the kernel: the message names that field, since more RAM would
# not help.
. "$(dirname "$0")/lib/common.sh"
nasm -f bin -I "$lib/" -DINITRD_MAX=0x1200000 -o "$dir/bz" "$lib/bzimage.asm" ||
	fail "cannot assemble"
echo initrd >"$dir/initrd.img"
truncate -s 1M "$dir/initrd.img"
expect_bad_input "initrd '.*initrd.img' \(1048576 bytes\) does not fit between the kernel's end 0x1400000 and its initrd_addr_max 0x1200000" \
	-kernel "$dir/bz" -m 256 -initrd "$dir/initrd.img"
echo PASS
