#!/bin/sh
# Only -display none exists so far.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
expect_bad_input "-display: only 'none' is supported.*'sdl'" \
	-display sdl -kernel "$dir/k.elf"
echo PASS
