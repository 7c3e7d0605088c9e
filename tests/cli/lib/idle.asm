; Waits for an interrupt that never comes: HLT with interrupts enabled
; and no timer programmed.
%include "serial.inc"

	section .text
	global _start
_start:
	mov esp, stack_top
	sti
.wait:
	hlt
	jmp .wait
