; A minimal x86-64 ELF "vmlinux": no multiboot header, entered by the
; Linux loader in 64-bit mode at its ELF entry point with RSI =
; boot_params. Prints on COM1
;   vmlinux rip=... rsi=... lma=... loader=... cmdline=<the string>
; and exits through port 0xf4 with 0. Linked at 16 MiB with -Ttext.
	bits 64
COM1 equ 0x3f8
COM1_LSR equ COM1 + 5
LSR_THRE equ 0x20

	section .text
	global _start
_start:
	mov rbp, rsi
	lea rsp, [rel stack_top]
	lea rsi, [rel s_rip]
	call puts
	lea rax, [rel _start]
	call puthex
	lea rsi, [rel s_rsi]
	call puts
	mov rax, rbp
	call puthex
	lea rsi, [rel s_lma]
	call puts
	mov ecx, 0xc0000080             ; IA32_EFER
	rdmsr
	shr eax, 10
	and eax, 1
	call puthex
	lea rsi, [rel s_loader]
	call puts
	movzx eax, byte [rbp + 0x210]
	call puthex
	lea rsi, [rel s_cmdline]
	call puts
	mov esi, [rbp + 0x228]
	call puts
	mov al, 10
	call putc
	mov dx, 0xf4
	xor eax, eax
	out dx, al
	cli
	hlt

%include "serial64.inc"

s_rip:		db "vmlinux rip=", 0
s_rsi:		db " rsi=", 0
s_lma:		db " lma=", 0
s_loader:	db " loader=", 0
s_cmdline:	db " cmdline=", 0

	section .bss
	alignb 16
	resb 4096
stack_top:
