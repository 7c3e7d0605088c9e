#!/bin/sh
# e_phoff points past the end of the file.
. "$(dirname "$0")/lib/common.sh"
build_elf bad.elf -DPHOFF=0x10000
expect_bad_input 'program headers at offset 0x10000 lie outside the file' \
	-kernel "$dir/bad.elf"
echo PASS
