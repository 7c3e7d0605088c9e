; A handler that faults at once, forever: the #UD handler is the UD2
; itself, through a trap gate (IF stays 1). No instruction retires, yet
; virtual time must go on (each delivered exception counts as an
; instruction), so the PIT's IRQ 0 comes and its handler exits through
; port 0xf4 with 0x21 (status 0x43).
%include "serial.inc"
%include "gdt.inc"

PIT_CH0 equ 0x40
PIT_CMD equ 0x43

	section .text
	global _start
_start:
	mov esp, stack_top
	FLAT_SEGMENTS
	mov esp, loop_stack_top         ; each #UD pushes 12 bytes
	mov edi, idt + 6 * 8
	mov eax, ud_loop
	mov bx, 0x8f00                  ; present, DPL 0, 32-bit trap gate
	call set_gate
	mov edi, idt + 0x20 * 8
	mov eax, tick
	mov bx, 0x8e00                  ; 32-bit interrupt gate
	call set_gate
	lidt [idtr]
	; 8259 pair: IRQ 0-7 at vectors 20h-27h, only IRQ 0 unmasked.
	mov al, 0x11
	out 0x20, al
	out 0xa0, al
	mov al, 0x20
	out 0x21, al
	mov al, 0x28
	out 0xa1, al
	mov al, 4
	out 0x21, al
	mov al, 2
	out 0xa1, al
	mov al, 1
	out 0x21, al
	out 0xa1, al
	mov al, 0xfe
	out 0x21, al
	mov al, 0xff
	out 0xa1, al
	; PIT channel 0, mode 0, count 5: IRQ 0 after about 4 us, some
	; 4,000 deliveries (48 KiB of stack) later.
	mov al, 0x30
	out PIT_CMD, al
	mov al, 5
	out PIT_CH0, al
	xor al, al
	out PIT_CH0, al
	sti
ud_loop:
	ud2

tick:
	mov al, 0x21
	jmp exit

; set_gate: IDT entry at EDI for handler EAX, type and attributes BX.
set_gate:
	mov [edi], ax
	mov word [edi + 2], 0x08
	mov [edi + 4], bx
	shr eax, 16
	mov [edi + 6], ax
	ret

	section .rodata
idtr:	dw 256 * 8 - 1
	dd idt

	section .bss
	alignb 8
idt:	resb 256 * 8
	alignb 16
	resb 256 * 1024
loop_stack_top:
