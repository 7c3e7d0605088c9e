; 16-bit code run from EIP above FFFFh (a 16-bit code segment with a
; 4 GiB limit, entered with a 32-bit far jump): EIP advances as 32 bits,
; as on a 386 and later, so the instruction after the first is the one
; that follows it, which exits with 0x21 (status 0x43). An 8086-style
; wrap of IP to 16 bits would run the copy placed at
; (EIP + 1) & FFFFh, which exits with 0x7f (status 255).
%include "serial.inc"
%include "gdt.inc"

	section .text
	global _start
_start:
	mov esp, stack_top
	FLAT_SEGMENTS
	cld
	mov edi, wrap_here + 1          ; where IP lands after the NOP
	and edi, 0xffff
	mov esi, wrapped
	mov ecx, wrapped_end - wrapped
	rep movsb
	jmp dword 0x18:wrap_here

	bits 16
wrap_here:
	nop
	mov al, 0x21                    ; EIP went on
	out EXIT_PORT, al
	hlt

wrapped:                                ; copied below 64 KiB
	mov al, 0x7f
	out EXIT_PORT, al
	hlt
wrapped_end:
