#!/bin/sh
# An x86-64 ELF executable without a multiboot header boots as a Linux
# vmlinux, as Firecracker boots one: loaded at its segments' physical
# addresses, entered at its entry point in 64-bit mode (EFER.LMA = 1)
# with RSI = boot_params, whose type_of_loader is 0xff and whose
# cmd_line_ptr points at the -append string.
. "$(dirname "$0")/lib/common.sh"
nasm -f elf64 -I "$lib/" -o "$dir/vmlinux.o" "$lib/vmlinux.asm" || fail "cannot assemble"
ld -m elf_x86_64 -nostdlib -static -Ttext=0x1000000 -e _start \
	-o "$dir/vmlinux" "$dir/vmlinux.o" || fail "cannot link"
run_sim -kernel "$dir/vmlinux" -m 64 -append "root=/dev/vda console=ttyS0" \
	-serial stdio
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
grep -qxF "vmlinux rip=0x01000000 rsi=0x00007000 lma=0x00000001 loader=0x000000ff cmdline=root=/dev/vda console=ttyS0" \
	"$out" || fail "unexpected output"
echo PASS
