#!/bin/sh
# In 16-bit code EIP advances as 32 bits (lib/eip_16bit.asm): from EIP
# above FFFFh the next instruction is the one that follows, on the cached
# and the uncached path alike. QEMU runs the same kernel to the same
# status.
. "$(dirname "$0")/lib/common.sh"
build_kernel eip_16bit
for cache in "" -no-block-cache; do
	run_sim -kernel "$dir/eip_16bit.elf" -display none $cache
	[ "$rc" -eq 67 ] || fail "exit status $rc, expected 67 $cache"
done
if run_qemu -kernel "$dir/eip_16bit.elf" -serial none; then
	[ "$qrc" -eq 67 ] || fail "QEMU exit status $qrc, expected 67"
fi
echo PASS
