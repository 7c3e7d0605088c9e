#!/bin/sh
# Unknown options and stray arguments.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
expect_bad_input "unknown option '-frobnicate'" -kernel "$dir/k.elf" -frobnicate
expect_bad_input "unknown option '--frobnicate'" --frobnicate
expect_bad_input "unexpected argument 'disk.img'" -kernel "$dir/k.elf" disk.img
echo PASS
