; Prints "before" on COM1, then turns the machine off or resets it the
; way ACTION (given with -D) says, then prints "after" and exits through
; port 0xf4 with 0x7f (status 255) if it is still running:
;   1  ACPI: SLP_TYP = S5 (0) and SLP_EN in PM1a_CNT at 0xb004
;   2  the string "Shutdown" on port 0x8900
;   3  RST_CPU | SYS_RST (0x06) to the reset control register at 0xcf9
;   4  command 0xFE to the keyboard controller (pulse reset)
;   5  port 0x92 bit 0 from 0 to 1 (fast reset)
%include "serial.inc"

	section .text
	global _start
_start:
	mov esp, stack_top
	mov esi, before
	call puts
%if ACTION == 1
	mov dx, 0xb004
	mov ax, 1 << 13                 ; SLP_EN, SLP_TYP 0
	out dx, ax
%elif ACTION == 2
	mov esi, word_shutdown
	mov dx, 0x8900
.next:
	lodsb
	test al, al
	jz .done
	out dx, al
	jmp .next
.done:
%elif ACTION == 3
	mov dx, 0xcf9
	mov al, 0x06
	out dx, al
%elif ACTION == 4
	mov al, 0xfe
	out 0x64, al
%elif ACTION == 5
	in al, 0x92
	and al, 0xfe
	out 0x92, al
	or al, 0x01
	out 0x92, al
%endif
	mov esi, after
	call puts
	mov al, 0x7f
	jmp exit

	section .rodata
before:	db "before", 10, 0
after:	db "after", 10, 0
word_shutdown: db "Shutdown", 0
