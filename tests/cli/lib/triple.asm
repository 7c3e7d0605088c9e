; Triple fault: an empty IDT makes INT3 raise #GP, whose delivery raises
; #GP again (#DF), whose delivery faults a third time: shutdown
; (SDM Vol. 3A 6.15, "Interrupt 8 - Double Fault Exception").
%include "serial.inc"

	section .text
	global _start
_start:
	mov esp, stack_top
	lidt [idtr]
	int3
	mov al, 0x7f                    ; never reached
	jmp exit

	section .rodata
idtr:	dw 0
	dd 0
