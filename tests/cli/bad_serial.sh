#!/bin/sh
# -serial kinds that do not exist, and a file that cannot be created.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
expect_bad_input "-serial: 'tcp::4444' is not supported" -serial tcp::4444 \
	-kernel "$dir/k.elf"
expect_bad_input "-serial: 'file:' is not supported" -serial file: \
	-kernel "$dir/k.elf"
expect_bad_input "-serial: cannot open '$dir/no/such/dir/out'" \
	-serial "file:$dir/no/such/dir/out" -kernel "$dir/k.elf"
echo PASS
