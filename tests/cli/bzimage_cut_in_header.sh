#!/bin/sh
# A bzImage cut off just after its "HdrS" signature, before the boot
# protocol version at 0x206 (boot.rst, "The Real-Mode Kernel Header"):
# refused as truncated, without reading past the end of the file.
. "$(dirname "$0")/lib/common.sh"
nasm -f bin -I "$lib/" -o "$dir/bz" "$lib/bzimage.asm" || fail "cannot assemble"
for n in 518 519; do
	head -c $n "$dir/bz" >"$dir/cut$n"
	expect_bad_input "kernel '.*cut$n' has a truncated setup header \(the file ends at 0x20[67], before the protocol version at 0x206\)" \
		-kernel "$dir/cut$n" -m 64
done
# A header whose jump ends it before the fields its protocol has.
head -c 1000 "$dir/bz" >"$dir/short"
printf '\020' | dd of="$dir/short" bs=1 seek=$((0x201)) conv=notrunc 2>/dev/null
expect_bad_input "setup header that ends at 0x212 \(jump at 0x200\), too short for boot protocol 2\.15" \
	-kernel "$dir/short" -m 64
echo PASS
