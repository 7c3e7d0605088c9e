#!/bin/sh
# A kernel that needs more RAM than -m gives: a 32 MiB segment in 16 MiB,
# and one loaded above the end of RAM.
. "$(dirname "$0")/lib/common.sh"
build_elf big.elf -DMEMSZ=0x2000000
expect_bad_input 'does not fit in 16 MiB of RAM.*-m' -m 16 \
	-kernel "$dir/big.elf"
build_elf high.elf -DPADDR=0x8000000
expect_bad_input 'does not fit in 64 MiB of RAM' -m 64M \
	-kernel "$dir/high.elf"
# The same kernels fit in more RAM (they then run; only loading matters
# here, so the status is not checked).
run_sim -m 64 -kernel "$dir/big.elf" -serial none
grep -q 'does not fit' "$err" && fail "rejected with -m 64"
echo PASS
