#!/bin/sh
# An ELF64 multiboot kernel (32-bit entry code in an x86-64 ELF file, as
# GRUB accepts) loads by its program headers like an ELF32 one. QEMU
# refuses such kernels, so the oracle is the kernel's own output.
. "$(dirname "$0")/lib/common.sh"
nasm -f elf64 -I "$lib/" -o "$dir/hello64.o" "$lib/hello.asm" ||
	fail "cannot assemble"
ld -m elf_x86_64 -nostdlib $ldflags -T "$root/roms/lib/link.ld" \
	-o "$dir/hello64.elf" "$dir/hello64.o" || fail "cannot link"
od -An -tx1 -j4 -N1 "$dir/hello64.elf" | grep -q 02 || fail "not ELF64"
run_sim -kernel "$dir/hello64.elf"
[ "$rc" -eq 67 ] || fail "exit status $rc, expected 67"
[ "$(cat "$out")" = hi ] || fail "stdout is not 'hi'"
echo PASS
