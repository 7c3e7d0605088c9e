#!/bin/sh
# What a kernel finds in the multiboot information (Multiboot spec 3.3):
# the command line starts with the kernel's file name, as QEMU makes it;
# modules with their command lines; mem_lower/mem_upper and the memory
# map for several -m sizes.
. "$(dirname "$0")/lib/common.sh"
build_kernel mbinfo
cd "$dir" || fail "cd"
printf 'first module\nsecond line\n' >m1.txt
printf 'abc' >m,2.bin

expect_line() {
	grep -qxF -- "$1" "$out" || fail "no line '$1'"
}
hex() {
	printf '0x%08x' "$1"
}

run_sim -kernel mbinfo.elf -append "console=ttyS0 x=1" \
	-initrd "m1.txt arg1 arg2,m,,2.bin" -m 256 -serial stdio
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
expect_line "magic=0x2badb002"
expect_line "cmdline=mbinfo.elf console=ttyS0 x=1"
expect_line "loader=vmxsim"
expect_line "mods=0x00000002"
# Modules: page-aligned, mod_end is one past the last byte.
grep -Eq '^mod=0x[0-9a-f]{5}000 0x[0-9a-f]{8} m1.txt arg1 arg2\|first module$' \
	"$out" || fail "first module wrong"
grep -Eq '^mod=0x[0-9a-f]{5}000 0x[0-9a-f]{8} m,2.bin\|abc$' "$out" ||
	fail "second module wrong"
for f in m1.txt m,2.bin; do
	set -- $(grep "^mod=.* $f" "$out")
	[ $(($2 - ${1#mod=})) -eq "$(wc -c <"$f")" ] ||
		fail "module $f: mod_end - mod_start is not its size"
done
# flags: memory, cmdline, mods, mmap, boot loader name.
expect_line "flags=$(hex $(((1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9))))"

# QEMU's loader is the oracle for the command line and the modules.
if run_qemu -kernel mbinfo.elf -append "console=ttyS0 x=1" \
	-initrd "m1.txt arg1 arg2,m,,2.bin" -m 256 \
	-serial "file:$dir/qemu.txt"; then
	for k in cmdline mods; do
		a=$(grep "^$k=" "$out")
		b=$(grep "^$k=" qemu.txt)
		[ "$a" = "$b" ] || fail "QEMU says '$b', vmxsim '$a'"
	done
	a=$(grep '^mod=' "$out" | sed 's/^mod=[^ ]* [^ ]* //')
	b=$(grep '^mod=' qemu.txt | sed 's/^mod=[^ ]* [^ ]* //')
	[ "$a" = "$b" ] || fail "modules: QEMU says '$b', vmxsim '$a'"
fi

# No -append: QEMU still puts a space after the file name.
run_sim -kernel mbinfo.elf -serial stdio
expect_line "cmdline=mbinfo.elf "
expect_line "mods=0x00000000"

# Memory: mem_lower is the 639 KiB below the EBDA, mem_upper the KiB from
# 1 MiB to the end of low RAM; the map reserves 0x9fc00-0xfffff and the
# MMIO pages of the I/O APIC (0xfec00000), the local APIC (0xfee00000)
# and pc-testdev's 64 KiB at 0xff000000. Above 3.5 GiB, RAM past 3 GiB
# moves to 4 GiB.
for m in 16:16 128M:128 1G:1024 0x100:256 1.5G:1536 4G:4096; do
	arg=${m%%:*}
	mib=${m##*:}
	low=$mib
	[ "$mib" -gt 3584 ] && low=3072
	run_sim -kernel mbinfo.elf -serial stdio -m "$arg"
	[ "$rc" -eq 1 ] || fail "-m $arg: exit status $rc"
	expect_line "mem_lower=$(hex 639)"
	expect_line "mem_upper=$(hex $((low * 1024 - 1024)))"
	expect_line "mmap=0x00000000 0x00000000 0x00000000 0x0009fc00 0x00000001"
	expect_line "mmap=0x00000000 0x0009fc00 0x00000000 0x00060400 0x00000002"
	expect_line "mmap=0x00000000 0x00100000 0x00000000 $(hex $(((low - 1) << 20))) 0x00000001"
	expect_line "mmap=0x00000000 0xfec00000 0x00000000 0x00001000 0x00000002"
	expect_line "mmap=0x00000000 0xfee00000 0x00000000 0x00001000 0x00000002"
	expect_line "mmap=0x00000000 0xff000000 0x00000000 0x00010000 0x00000002"
	n=6
	if [ "$mib" -gt "$low" ]; then
		expect_line "mmap=0x00000001 0x00000000 0x00000000 $(hex $(((mib - low) << 20))) 0x00000001"
		n=7
	fi
	[ "$(grep -c '^mmap=' "$out")" -eq $n ] || fail "-m $arg: not $n map entries"
done
echo PASS
