#!/bin/sh
# A multiboot module whose file name is longer than a path can be is
# refused as such, rather than cut to a name that may be another file:
# here the first 4095 bytes of the name spell an existing module.
. "$(dirname "$0")/lib/common.sh"
build_kernel halt
echo module >"$dir/m"
# "$dir////...//m": 4095 bytes naming $dir/m, then one more byte.
name=$dir
while [ ${#name} -lt 4094 ]; do name=$name/; done
name=${name}m
[ ${#name} -eq 4095 ] || fail "name is ${#name} bytes"
expect_bad_input "-initrd: the file name of module 1 is 4096 bytes long; the limit is 4095" \
	-kernel "$dir/halt.elf" -initrd "${name}x"
echo PASS
