#!/bin/sh
# Linux kernels vmxsim cannot boot, each refused with one line and
# status 1: a boot protocol older than 2.06, a zImage, a truncated image,
# a kernel whose init_size does not fit in RAM, a command line longer
# than the kernel's cmdline_size; and a file that is no kernel of any
# kind (not multiboot, not a bzImage, not an ELF vmlinux).
. "$(dirname "$0")/lib/common.sh"

build_bz() {
	name=$1
	shift
	nasm -f bin -I "$lib/" "$@" -o "$dir/$name" "$lib/bzimage.asm" ||
		fail "cannot assemble $name"
}

build_bz old -DVERSION=0x0205
expect_bad_input "kernel '.*old' uses Linux boot protocol 2\.05, which is too old" \
	-kernel "$dir/old" -m 64
build_bz zimage -DLOADFLAGS=0
expect_bad_input 'is a zImage' -kernel "$dir/zimage" -m 64
build_bz long -DSETUP_SECTS=40
head -c 10000 "$dir/long" >"$dir/truncated"
expect_bad_input 'truncated' -kernel "$dir/truncated" -m 64
build_bz huge -DINIT_SIZE=0x10000000
expect_bad_input 'does not fit in 64 MiB of RAM; use a larger -m' \
	-kernel "$dir/huge" -m 64
build_bz short -DCMDLINE_SIZE=16
expect_bad_input '-append: the command line is 29 bytes.* at most 16' \
	-kernel "$dir/short" -m 64 -append "console=ttyS0 root=/dev/vda1 "
# Binary data that is none of the three.
LC_ALL=C awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%c", (i * 37 + 11) % 256 }' >"$dir/random"
expect_bad_input 'not a multiboot kernel, a Linux bzImage or an x86-64 ELF vmlinux' \
	-kernel "$dir/random"
echo PASS
