#!/bin/sh
# -kernel names a file that does not exist.
. "$(dirname "$0")/lib/common.sh"
expect_bad_input "kernel '$dir/nope.elf'.*no such file" -kernel "$dir/nope.elf"
echo PASS
