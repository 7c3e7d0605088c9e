; Reads COM1 by polling and echoes each nonempty line (ended by CR or
; LF) in upper case, prefixed "echo: ". First, with RTS off, it checks for a while that no byte
; arrives (the host side honours RTS/CTS flow control) and reports
; "rts: held" or "rts: leaked". A line "." ends the run through port
; 0xf4 with 0x21 (status 0x43).
%include "serial.inc"

COM1_IER equ COM1 + 1
COM1_FCR equ COM1 + 2
COM1_LCR equ COM1 + 3
COM1_MCR equ COM1 + 4
LSR_DR equ 0x01
MCR_DTR_RTS_OUT2 equ 0x0b
MCR_DTR_OUT2 equ 0x09

	section .text
	global _start
_start:
	mov esp, stack_top
	mov dx, COM1_LCR
	mov al, 0x80                    ; DLAB: divisor 1, 115200 baud
	out dx, al
	mov dx, COM1
	mov al, 1
	out dx, al
	mov dx, COM1_IER
	xor al, al
	out dx, al
	mov dx, COM1_LCR
	mov al, 0x03                    ; 8N1
	out dx, al
	mov dx, COM1_IER
	xor al, al
	out dx, al                      ; polled: no interrupts
	mov dx, COM1_FCR
	mov al, 0x07                    ; FIFOs on and cleared
	out dx, al
	mov dx, COM1_MCR
	mov al, MCR_DTR_OUT2            ; RTS off
	out dx, al
	; 2 million reads of LSR: about 100 character times at 115200 baud
	; of the model's virtual time, whatever the input.
	mov ecx, 2000000
	mov dx, COM1_LSR
.hold:
	in al, dx
	test al, LSR_DR
	jnz .leaked
	loop .hold
	mov esi, held
	jmp .report
.leaked:
	mov esi, leaked
.report:
	call puts
	mov dx, COM1_MCR
	mov al, MCR_DTR_RTS_OUT2        ; RTS on: the host may send
	out dx, al

.line:
	mov edi, buf
.byte:
	call getc
	cmp al, 13                      ; Enter on a terminal
	je .eol
	cmp al, 10
	je .eol
	cmp al, 'a'
	jb .store
	cmp al, 'z'
	ja .store
	sub al, 'a' - 'A'
.store:
	cmp edi, buf_end
	jae .byte                       ; long lines are cut
	stosb
	jmp .byte
.eol:
	cmp edi, buf
	je .byte                        ; empty lines (CR LF) are skipped
	mov byte [edi], 0
	cmp word [buf], '.'             ; "." and its NUL
	je .quit
	mov esi, prefix
	call puts
	mov esi, buf
	call puts
	mov al, 10
	call putc
	jmp .line
.quit:
	mov al, 0x21
	jmp exit

; getc: waits for a received byte and returns it in AL.
getc:
	push edx
	mov dx, COM1_LSR
.wait:
	in al, dx
	test al, LSR_DR
	jz .wait
	mov dx, COM1
	in al, dx
	pop edx
	ret

	section .rodata
held:	db "rts: held", 10, 0
leaked:	db "rts: leaked", 10, 0
prefix:	db "echo: ", 0

	section .bss
buf:	resb 64
buf_end:
	resb 1
