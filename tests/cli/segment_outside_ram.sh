#!/bin/sh
# Segments at addresses that are never RAM: the local APIC page, and one
# that wraps past 4 GiB.
. "$(dirname "$0")/lib/common.sh"
build_elf apic.elf -DPADDR=0xfee00000
expect_bad_input 'segment 0 \(0xfee00000-.*\) is outside RAM' \
	-kernel "$dir/apic.elf"
build_elf top.elf -DPADDR=0xfffff000 -DMEMSZ=0x2000
expect_bad_input 'segment 0 .* is outside RAM' -kernel "$dir/top.elf"
echo PASS
