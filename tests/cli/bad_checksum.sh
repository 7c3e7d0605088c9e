#!/bin/sh
# A multiboot header whose checksum does not make the sum zero
# (Multiboot spec 3.1.2).
. "$(dirname "$0")/lib/common.sh"
build_elf bad.elf -DBAD_CHECKSUM
expect_bad_input 'checksum' -kernel "$dir/bad.elf"
echo PASS
