; Prints the multiboot information it was given, one "name=value" line
; each, then exits with 0 (status 1):
;   magic flags mem_lower mem_upper cmdline loader mods
;   mod<i>=start end string data(first line of the module)
;   mmap=base_hi base_lo len_hi len_lo type   (one line per entry)
%include "serial.inc"

	section .text
	global _start
_start:
	mov esp, stack_top
	mov ebp, ebx                    ; the information block

	mov esi, s_magic
	call puts
	call puthex                     ; EAX still holds the boot magic
	call newline

	mov esi, s_flags
	mov eax, [ebp + 0]
	call field
	mov esi, s_lower
	mov eax, [ebp + 4]
	call field
	mov esi, s_upper
	mov eax, [ebp + 8]
	call field

	mov esi, s_cmdline
	call puts
	mov esi, [ebp + 16]
	call puts
	call newline

	mov esi, s_loader
	call puts
	mov esi, [ebp + 64]
	call puts
	call newline

	mov esi, s_mods
	mov eax, [ebp + 20]
	call field
	mov ecx, [ebp + 20]
	mov edi, [ebp + 24]
.mod:
	test ecx, ecx
	jz .mods_done
	mov esi, s_mod
	call puts
	mov eax, [edi]
	call puthex
	mov al, ' '
	call putc
	mov eax, [edi + 4]
	call puthex
	mov al, ' '
	call putc
	mov esi, [edi + 8]
	call puts
	mov al, '|'
	call putc
	; the module's bytes up to the first newline or its end
	mov esi, [edi]
.modbyte:
	cmp esi, [edi + 4]
	jae .modend
	mov al, [esi]
	cmp al, 10
	je .modend
	call putc
	inc esi
	jmp .modbyte
.modend:
	call newline
	add edi, 16
	dec ecx
	jmp .mod
.mods_done:

	mov edi, [ebp + 48]             ; mmap_addr
	mov ecx, [ebp + 44]             ; mmap_length
	add ecx, edi
.mmap:
	cmp edi, ecx
	jae .mmap_done
	mov esi, s_mmap
	call puts
	mov eax, [edi + 8]
	call puthex
	mov al, ' '
	call putc
	mov eax, [edi + 4]
	call puthex
	mov al, ' '
	call putc
	mov eax, [edi + 16]
	call puthex
	mov al, ' '
	call putc
	mov eax, [edi + 12]
	call puthex
	mov al, ' '
	call putc
	mov eax, [edi + 20]
	call puthex
	call newline
	add edi, [edi]                  ; entry size, not counting itself
	add edi, 4
	jmp .mmap
.mmap_done:
	xor eax, eax
	jmp exit

; field: ESI = "name=", EAX = value.
field:
	call puts
	call puthex
	call newline
	ret

	section .rodata
s_magic:	db "magic=", 0
s_flags:	db "flags=", 0
s_lower:	db "mem_lower=", 0
s_upper:	db "mem_upper=", 0
s_cmdline:	db "cmdline=", 0
s_loader:	db "loader=", 0
s_mods:		db "mods=", 0
s_mod:		db "mod=", 0
s_mmap:		db "mmap=", 0

