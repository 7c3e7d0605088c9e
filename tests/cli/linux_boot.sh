#!/bin/sh
# Direct Linux boot of a hand-made bzImage (lib/bzimage.asm), whose
# protected-mode part prints what it was given. The expected values are
# the boot protocol's (Documentation/arch/x86/boot.rst): the 64-bit entry
# at pref_address + 0x200 in 64-bit mode (EFER.LMA = 1) with CS = 0x10,
# DS = ES = SS = 0x18, IF = 0 and RSI = boot_params; type_of_loader 0xff;
# the command line; the initrd page-aligned at the top of RAM; the ACPI
# RSDP; the e820 map. Without XLF_KERNEL_64 the 32-bit entry at the load
# address, ESI = boot_params.
. "$(dirname "$0")/lib/common.sh"

build_bz() {
	name=$1
	shift
	nasm -f bin -I "$lib/" "$@" -o "$dir/$name" "$lib/bzimage.asm" ||
		fail "cannot assemble $name"
}
expect_line() {
	grep -qxF -- "$1" "$out" || fail "no line '$1'"
}

build_bz bz64
printf 'first line of the initrd\nsecond\n' >"$dir/initrd.txt"
size=$(wc -c <"$dir/initrd.txt")
run_sim -kernel "$dir/bz64" -initrd "$dir/initrd.txt" -m 64 \
	-append "console=ttyS0 quiet x=1" -serial stdio
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
expect_line "entry=64 rip=0x01000200 rsi=0x00007000 cs=0x00000010 ds=0x00000018 es=0x00000018 ss=0x00000018 if=0x00000000 lma=0x00000001"
grep -q '^loader=0x000000ff ' "$out" || fail "type_of_loader is not 0xff"
# loadflags: LOADED_HIGH from the image, CAN_USE_HEAP from the loader.
grep -q ' loadflags=0x00000081 ' "$out" || fail "loadflags"
grep -q ' version=0x0000020f ' "$out" || fail "setup header not copied"
expect_line "cmdline=console=ttyS0 quiet x=1"
# The initrd: page-aligned, ending at most at 64 MiB, within a page of it.
set -- $(sed -n 's/^initrd=//p' "$out")
start=$(($1))
[ $(($2)) -eq "$size" ] || fail "ramdisk_size $2, file has $size bytes"
[ $((start % 4096)) -eq 0 ] || fail "initrd at $1 is not page-aligned"
[ $((start + size)) -le $((64 << 20)) ] || fail "initrd past the end of RAM"
[ $((start + size + 4096)) -gt $((64 << 20)) ] || fail "initrd not at the top"
expect_line "initrd_data=first line of the initrd"
expect_line "rsdp=0x00000000000e0000 RSD PTR "
expect_line "e820=0x00000006"
expect_line "e820=0x0000000000000000 0x000000000009fc00 0x00000001"
expect_line "e820=0x000000000009fc00 0x0000000000060400 0x00000002"
expect_line "e820=0x0000000000100000 0x0000000003f00000 0x00000001"
expect_line "e820=0x00000000fec00000 0x0000000000001000 0x00000002"
expect_line "e820=0x00000000fee00000 0x0000000000001000 0x00000002"
expect_line "e820=0x00000000ff000000 0x0000000000010000 0x00000002"

# RAM above 4 GiB is in the map too.
run_sim -kernel "$dir/bz64" -m 5G -serial stdio
[ "$rc" -eq 1 ] || fail "-m 5G: exit status $rc, expected 1"
expect_line "e820=0x0000000000100000 0x00000000bff00000 0x00000001"
expect_line "e820=0x0000000100000000 0x0000000080000000 0x00000001"

# A kernel without the 64-bit entry: the 32-bit protocol.
build_bz bz32 -DXLOADFLAGS=0
run_sim -kernel "$dir/bz32" -m 64 -serial stdio
[ "$rc" -eq 1 ] || fail "32-bit: exit status $rc, expected 1"
expect_line "entry=32 eip=0x01000000 esi=0x00007000 cs=0x00000010 ds=0x00000018 ss=0x00000018 if=0x00000000"
echo PASS
