; Halts for good: HLT with interrupts disabled.
%include "serial.inc"

	section .text
	global _start
_start:
	mov esp, stack_top
	cli
	hlt
	mov al, 0x7f                    ; never reached
	jmp exit
