#!/bin/sh
# A PT_LOAD segment whose file bytes run past the end of the file, and
# one that starts past it.
. "$(dirname "$0")/lib/common.sh"
build_elf long.elf -DFILESZ=0x100000 -DMEMSZ=0x100000
expect_bad_input 'segment 0 .*outside the file' -kernel "$dir/long.elf"
build_elf far.elf -DSEG_OFFSET=0x80000000
expect_bad_input 'segment 0 .*outside the file' -kernel "$dir/far.elf"
echo PASS
