#!/bin/sh
# Files without a multiboot header: text, an empty file, an ELF without
# one.
. "$(dirname "$0")/lib/common.sh"
echo "this is not a kernel" >"$dir/text"
: >"$dir/empty"
expect_bad_input 'not a multiboot kernel' -kernel "$dir/text"
expect_bad_input 'not a multiboot kernel' -kernel "$dir/empty"
# The host's own shell is an ELF file but no multiboot kernel.
expect_bad_input 'not a multiboot kernel' -kernel /bin/sh
echo PASS
