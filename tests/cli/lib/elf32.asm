; A hand-made ELF32 multiboot kernel whose header fields a test can
; override with -D, to build exactly the malformed file it needs:
;   nasm -f bin -DPHOFF=0x10000 -o bad.elf elf32.asm
; With no overrides it is a valid kernel (one PT_LOAD segment holding the
; whole file at 1 MiB) that exits through port 0xf4 with 0.

%ifndef PADDR
%define PADDR 0x100000
%endif
%ifndef PHOFF
%define PHOFF (phdr - ehdr)
%endif
%ifndef PHNUM
%define PHNUM 1
%endif
%ifndef SEG_OFFSET
%define SEG_OFFSET 0
%endif
%ifndef FILESZ
%define FILESZ (file_end - ehdr)
%endif
%ifndef MEMSZ
%define MEMSZ (file_end - ehdr)
%endif
%ifndef MACHINE
%define MACHINE 3
%endif
%ifndef MBFLAGS
%define MBFLAGS 0
%endif
%ifdef BAD_CHECKSUM
%define MBCHECK (-(0x1badb002 + MBFLAGS) + 1)
%else
%define MBCHECK (-(0x1badb002 + MBFLAGS))
%endif

	bits 32
ehdr:
	db 0x7f, "ELF", 1, 1, 1, 0      ; ELFCLASS32, little-endian, version 1
	times 8 db 0
	dw 2                            ; e_type: ET_EXEC
	dw MACHINE                      ; e_machine: EM_386
	dd 1                            ; e_version
	dd PADDR + (code - ehdr)        ; e_entry
	dd PHOFF                        ; e_phoff
	dd 0                            ; e_shoff
	dd 0                            ; e_flags
	dw 52                           ; e_ehsize
	dw 32                           ; e_phentsize
	dw PHNUM                        ; e_phnum
	dw 0, 0, 0                      ; e_shentsize, e_shnum, e_shstrndx
phdr:
	dd 1                            ; p_type: PT_LOAD
	dd SEG_OFFSET                   ; p_offset
	dd PADDR                        ; p_vaddr
	dd PADDR                        ; p_paddr
	dd FILESZ                       ; p_filesz
	dd MEMSZ                        ; p_memsz
	dd 5                            ; p_flags: R X
	dd 0x1000                       ; p_align
mbheader:
	dd 0x1badb002
	dd MBFLAGS
	dd MBCHECK
code:
	mov dx, 0xf4
	mov al, 0
	out dx, al
	cli
	hlt
file_end:
