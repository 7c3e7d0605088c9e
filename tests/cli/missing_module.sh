#!/bin/sh
# -initrd modules that do not exist or have no file name.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
echo data >"$dir/m1"
expect_bad_input "cannot open module '$dir/nope'" -kernel "$dir/k.elf" \
	-initrd "$dir/m1,$dir/nope args"
expect_bad_input "-initrd: module 2 has no file name" -kernel "$dir/k.elf" \
	-initrd "$dir/m1,"
echo PASS
