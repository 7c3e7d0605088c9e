#!/bin/sh
# No -kernel at all: a clear error, not a crash or a hang.
. "$(dirname "$0")/lib/common.sh"
expect_bad_input 'no kernel' -m 64
echo PASS
