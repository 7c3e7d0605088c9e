#!/bin/sh
# Malformed and impossible -m values (QEMU's syntax: a number, MiB unless
# a K/M/G/T suffix says otherwise).
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
for m in "" 12X 1.5.5G -64 M 0x "64 M" 64MB 1.5B 0x1.5G; do
	expect_bad_input "-m: invalid size '$m'" -m "$m" -kernel "$dir/k.elf"
done
expect_bad_input '-m: 512K is too small' -m 512K -kernel "$dir/k.elf"
expect_bad_input '-m: 0 is too small' -m 0 -kernel "$dir/k.elf"
expect_bad_input '-m: 2T is more than' -m 2T -kernel "$dir/k.elf"
expect_bad_input '-m: invalid size' -m 99999999999999999999999 \
	-kernel "$dir/k.elf"
echo PASS
