#!/bin/sh
# The program header table runs past the end of the file.
. "$(dirname "$0")/lib/common.sh"
# The multiboot header ends at offset 96; a table there of two entries
# needs 64 bytes, the file is cut at 100.
build_elf full.elf -DPHOFF=96 -DPHNUM=2
head -c 100 "$dir/full.elf" >"$dir/cut.elf"
expect_bad_input 'program header table is truncated' -kernel "$dir/cut.elf"
echo PASS
