#!/bin/sh
# An initrd or a multiboot module larger than the guest's RAM is refused
# by its size, before it is read: a 3-GiB file costs neither the time to
# read it nor 3 GiB of host memory (the address space is capped here).
. "$(dirname "$0")/lib/common.sh"
nasm -f bin -I "$lib/" -o "$dir/bz" "$lib/bzimage.asm" || fail "cannot assemble"
build_kernel halt
truncate -s 3G "$dir/big" || fail "truncate"
# 2 GB of address space is plenty for a 64-MiB guest, not for a 3-GiB
# buffer. (A sanitizer build cannot start under such a cap: then only
# the messages are checked.)
if (ulimit -v 2000000 && "$sim" -h) >/dev/null 2>&1; then
	ulimit -v 2000000
fi
expect_bad_input "initrd '.*big' \(3221225472 bytes\) does not fit in 64 MiB of RAM; use a larger -m" \
	-kernel "$dir/bz" -m 64 -initrd "$dir/big"
expect_bad_input "module '.*big' \(3221225472 bytes\) does not fit in 64 MiB of RAM; use a larger -m" \
	-kernel "$dir/halt.elf" -m 64 -initrd "$dir/big"
echo PASS
