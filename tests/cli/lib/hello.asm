; Prints "hi" on COM1 and "e9" on the 0xe9 debug console, then exits
; through port 0xf4 with 0x21 (status 0x43).
%include "serial.inc"

	section .text
	global _start
_start:
	mov esp, stack_top
	mov esi, msg
	call puts
	mov esi, dbg
	mov dx, 0xe9
.dbg:
	lodsb
	test al, al
	jz .dbg_done
	out dx, al
	jmp .dbg
.dbg_done:
	mov al, 0x21
	jmp exit

	section .rodata
msg:	db "hi", 10, 0
dbg:	db "e9", 10, 0
