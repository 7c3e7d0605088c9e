#!/bin/sh
# -d takes a level name or 0-4.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
expect_bad_input "-d: unknown log level 'loud'" -d loud -kernel "$dir/k.elf"
expect_bad_input "-d: unknown log level '5'" -d 5 -kernel "$dir/k.elf"
echo PASS
