#!/bin/sh
# PT_LOAD segments that overlap in physical memory are refused, naming
# both: the bytes they share have no defined value. Without the check a
# 2-MB file of 60000 such segments, each 64 MiB, had the loader clear
# 4 TB of guest RAM.
. "$(dirname "$0")/lib/common.sh"
cat >"$dir/segs.asm" <<'ASM'
; ELF32 multiboot kernel whose COPIES program headers all load the
; same 64 MiB at 1 MiB.
	bits 32
ehdr:
	db 0x7f, "ELF", 1, 1, 1, 0
	times 8 db 0
	dw 2, 3                         ; ET_EXEC, EM_386
	dd 1, 0x100000 + (code - ehdr)  ; e_version, e_entry
	dd phdrs - ehdr, 0, 0           ; e_phoff, e_shoff, e_flags
	dw 52, 32, COPIES, 0, 0, 0      ; e_ehsize .. e_shstrndx
	dd 0x1badb002, 0, -0x1badb002   ; multiboot header
code:
	cli
	hlt
phdrs:
%rep COPIES
	dd 1, 0, 0x100000, 0x100000, code_end - ehdr, 0x4000000, 7, 0x1000
%endrep
code_end equ code + 2
ASM
nasm -f bin -DCOPIES=2 -o "$dir/two.elf" "$dir/segs.asm" || fail "cannot assemble"
expect_bad_input "kernel '.*two.elf': ELF segments 0 \(0x100000-0x40fffff\) and 1 \(0x100000-0x40fffff\) overlap in physical memory" \
	-kernel "$dir/two.elf" -m 128
nasm -f bin -DCOPIES=60000 -o "$dir/many.elf" "$dir/segs.asm" || fail "cannot assemble"
expect_bad_input "ELF segments 0 .* and 1 .* overlap in physical memory" \
	-kernel "$dir/many.elf" -m 128
echo PASS
