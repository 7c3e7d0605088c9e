#!/bin/sh
# -kernel names something that cannot be read as a file: a directory, a
# device.
. "$(dirname "$0")/lib/common.sh"
mkdir "$dir/kdir"
expect_bad_input "kernel '$dir/kdir'.*directory" -kernel "$dir/kdir"
expect_bad_input "kernel '/dev/null'.*not a regular file" -kernel /dev/null
echo PASS
