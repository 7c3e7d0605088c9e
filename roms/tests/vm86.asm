; vm86.asm - virtual-8086 mode, with and without CR4.VME (SDM Vol. 3B,
; chapter "8086 Emulation"; Vol. 2 CLI, STI, PUSHF, POPF, INT n, IRET).
;
; The monitor (this file's 32-bit code at CPL 0) enters virtual-8086 mode
; with IRETD and an EFLAGS image that has VM set, as a 32-bit task whose
; TSS carries an interrupt redirection bitmap and an I/O bitmap. Each run
; executes one fragment of 16-bit code (copied below 1 MiB, CS = SS = 0)
; and ends with a #GP(0) back to the monitor, which the library's
; exception recorder turns into a return from v86_run. The fragments store
; what they observe in their own data; the monitor asserts it afterwards.
;
; Redirection bitmap: vector V86_REDIR (0x40) is redirected (bit clear),
; V86_NOREDIR (0x41) is not. Both have DPL-3 interrupt gates in the IDT so
; that, when the processor uses the IDT, INT n from ring 3 is allowed.
; I/O bitmap: only port V86_PORT_OK (0x80) is allowed.
;
; QEMU 7.2 TCG deviates from the SDM here: it accepts CR4.VME but ignores it
; in virtual-8086 mode. With IOPL<3, PUSHF, POPF, CLI and STI raise #GP
; instead of using VIF, and INT n is never redirected through the bitmap
; (#GP with IOPL<3, the IDT with IOPL=3). The checks below follow the SDM,
; so the VME checks fail on QEMU.

%include "test.inc"

V86_REDIR       equ 0x40
V86_NOREDIR     equ 0x41
V86_PORT_OK     equ 0x80
V86_PORT_DENIED equ 0x84
V86_SEG         equ 0x0780                  ; data at linear 0x7800
V86_MARK_LIN    equ V86_SEG * 16 + 0x10
V86_ES          equ 0x1234
PIC1_DATA       equ 0x21
PIC2_DATA       equ 0xa1

; Reads a word result of the vm86 code and compares (result & mask).
%macro EXPECT_W 4
	movzx eax, word [REAL_ADDR(v86, %1)]
	EXPECT_MASK eax, %2, %3, %4
%endmacro

; Runs the fragment at %1 with CR4.VME = %2 and vm86 EFLAGS %3 (VM added).
%macro V86_RUN 3
	mov dword [REAL_STACK_TOP - 8], 0
	mov dword [REAL_STACK_TOP - 4], 0
	mov eax, %2
	call set_vme
	mov eax, %3
	mov edx, REAL_ADDR(v86, %1)
	call v86_run
%endmacro

; The run ended with the fault at %1 (normally a HLT after the code under
; test, which shows that code did not fault).
%macro EXPECT_RAN_TO 2
	EXPECT_EQ dword [exc_ip], REAL_ADDR(v86, %1), %2
%endmacro

; Points IVT entry %1 at vm86 label %2.
%macro SET_IVT 2
	mov word [(%1) * 4], REAL_ADDR(v86, %2)
	mov word [(%1) * 4 + 2], 0
%endmacro

; Asserts the exit was a #GP(0) at the instruction labelled %1.
%macro EXPECT_GP_AT 2
	EXPECT_EQ dword [exc_vector], VEC_GP, {%2, ": #GP"}
	EXPECT_EQ dword [exc_error], 0, {%2, ": error code 0"}
	EXPECT_EQ dword [exc_ip], REAL_ADDR(v86, %1), {%2, ": saved IP is the faulting instruction"}
%endmacro

section .text
main:
	TAP_PLAN 65
	; Nothing may interrupt while vm86 code runs with IF=1.
	mov al, 0xff
	out PIC1_DATA, al
	out PIC2_DATA, al

	REAL_LOAD v86
	IDT32_SET V86_REDIR, pm_int40, IDT_INT | IDT_DPL3
	IDT32_SET V86_NOREDIR, pm_int41, IDT_INT | IDT_DPL3
	mov eax, SEL_TSS
	mov ebx, v86_tss
	mov ecx, v86_tss_end - v86_tss - 1
	call gdt_set_tss32
	ltr ax

	; === CR4.VME=1, IOPL=0 ==================================================
	V86_RUN f_math, CR4_VME, FL_IF | FL_VIF
	EXPECT_GP_AT f_math_end, "VME IOPL0: HLT"
	EXPECT_MASK dword [exc_flags], FL_VM, FL_VM, "VME IOPL0: saved EFLAGS has VM=1"
	EXPECT_EQ dword [exc_cs], 0, "VME IOPL0: saved CS is the real-mode segment 0"
	EXPECT_EQ dword [exc_sp], REAL_STACK_TOP, "VME IOPL0: saved SS:SP is the vm86 stack"
	EXPECT_EQ dword [exc_es], V86_ES, "VME IOPL0: vm86 ES saved in the exception frame"
	movzx eax, word [V86_MARK_LIN]
	EXPECT_EQ eax, 0x2468, "VME IOPL0: 16-bit code, 0780:0010 is linear 0x7810"

	; SDM Vol. 2 PUSHF: VME, IOPL<3, 16-bit: VIF in the IF position, IOPL 3.
	V86_RUN f_pushf, CR4_VME, FL_IF | FL_VIF
	EXPECT_RAN_TO f_pushf_end, "VME IOPL0: PUSHF does not fault"
	EXPECT_W r_pushf, FL_IF | FL_IOPL, FL_IF | FL_IOPL3, "VME IOPL0: PUSHF image has IF=VIF=1, IOPL=3"
	V86_RUN f_pushf, CR4_VME, FL_IF
	EXPECT_W r_pushf, FL_IF | FL_IOPL, FL_IOPL3, "VME IOPL0: PUSHF image has IF=VIF=0 with IF=1"

	; SDM Vol. 2 CLI/STI: VME, IOPL<3: they act on VIF, not IF.
	V86_RUN f_cli, CR4_VME, FL_IF | FL_VIF
	EXPECT_RAN_TO f_cli_end, "VME IOPL0: CLI does not fault"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF, FL_IF, "VME IOPL0: CLI clears VIF, IF stays 1"
	V86_RUN f_sti, CR4_VME, FL_IF
	EXPECT_RAN_TO f_sti_end, "VME IOPL0: STI does not fault"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF, FL_IF | FL_VIF, "VME IOPL0: STI sets VIF"

	; SDM Vol. 2 POPF: VME, IOPL<3, 16-bit: IF bit goes to VIF, IF and
	; IOPL unchanged.
	V86_RUN f_popf, CR4_VME, FL_IF | FL_VIF
	EXPECT_RAN_TO f_popf_end, "VME IOPL0: POPF does not fault"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF | FL_IOPL, FL_IF, "VME IOPL0: POPF IF=0 clears VIF, keeps IF=1 and IOPL=0"

	; Software interrupts in vm86 (SDM Vol. 3B, table "Software Interrupt
	; Handling Methods While in Virtual-8086 Mode"), method 6: VME=1,
	; IOPL<3, bit clear -> the vm86 IVT; FLAGS image with IOPL=3 and VIF
	; in the IF position; VIF cleared.
	SET_IVT V86_REDIR, v86_halt
	V86_RUN f_int40, CR4_VME, FL_IF | FL_VIF
	EXPECT_RAN_TO v86_halt, "VME IOPL0: INT 40h (bit clear) enters the vm86 IVT handler"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF, FL_IF, "VME IOPL0: ... with VIF cleared, IF kept"
	movzx eax, word [REAL_STACK_TOP - 2]
	EXPECT_MASK eax, FL_IF | FL_IOPL, FL_IF | FL_IOPL3, "VME IOPL0: ... FLAGS image has IF=VIF=1, IOPL=3"
	movzx eax, word [REAL_STACK_TOP - 6]
	EXPECT_EQ eax, REAL_ADDR(v86, f_int40_ret), "VME IOPL0: ... and the next IP on the stack"
	EXPECT_EQ dword [pm_count], 0, "VME IOPL0: ... and the IDT gate is not used"
	SET_IVT V86_REDIR, v86_iret
	V86_RUN f_int40, CR4_VME, FL_IF | FL_VIF
	EXPECT_RAN_TO f_int40_end, "VME IOPL0: IRET from the vm86 handler returns"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF, FL_IF | FL_VIF, "VME IOPL0: IRET sets VIF from the image"

	; Method 3: VME=1, IOPL<3, bit set -> #GP(0).
	V86_RUN f_int41, CR4_VME, FL_VIF
	EXPECT_GP_AT f_int41, "VME IOPL0: INT 41h (bit set)"
	EXPECT_EQ dword [pm_count], 0, "VME IOPL0: INT 41h did not reach the IDT handler"
	V86_RUN f_pushfd, CR4_VME, FL_VIF
	EXPECT_GP_AT f_pushfd, "VME IOPL0: PUSHFD (32-bit)"
	V86_RUN f_movcr, CR4_VME, FL_VIF
	EXPECT_GP_AT f_movcr, "VME IOPL0: MOV EAX, CR0"
	V86_RUN f_sti, CR4_VME, FL_VIP
	EXPECT_GP_AT f_sti, "VME IOPL0 VIP=1: STI"

	; === CR4.VME=0, IOPL=0 ==================================================
	V86_RUN f_cli, 0, FL_IF
	EXPECT_GP_AT f_cli, "no VME IOPL0: CLI"

	; === CR4.VME=1, IOPL=3: IF instructions act on IF =========================
	V86_RUN f_cli, CR4_VME, FL_IOPL3 | FL_IF | FL_VIF
	EXPECT_RAN_TO f_cli_end, "VME IOPL3: CLI does not fault"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF, FL_VIF, "VME IOPL3: CLI clears IF, VIF untouched"
	V86_RUN f_pushf2, CR4_VME, FL_IOPL3 | FL_IF | FL_VIF
	EXPECT_RAN_TO f_pushf2_end, "VME IOPL3: PUSHF and PUSHFD do not fault"
	EXPECT_W r_pushf, FL_IF | FL_IOPL, FL_IF | FL_IOPL3, "VME IOPL3: PUSHF image has the real IF"
	mov eax, [REAL_ADDR(v86, r_pushfd)]
	EXPECT_MASK eax, FL_VM | FL_VIF | FL_IF | FL_IOPL, FL_VIF | FL_IF | FL_IOPL3, "VME IOPL3: PUSHFD image has VM clear, VIF, IF, IOPL"
	V86_RUN f_popf, CR4_VME, FL_IOPL3 | FL_IF | FL_VIF
	EXPECT_RAN_TO f_popf_end, "VME IOPL3: POPF does not fault"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF | FL_IOPL, FL_VIF | FL_IOPL3, "VME IOPL3: POPF clears IF, cannot change IOPL"

	; Method 5: VME=1, IOPL=3, bit clear -> vm86 IVT with the real FLAGS,
	; IF cleared.
	SET_IVT V86_REDIR, v86_halt
	V86_RUN f_int40, CR4_VME, FL_IOPL3 | FL_IF
	EXPECT_RAN_TO v86_halt, "VME IOPL3: INT 40h (bit clear) enters the vm86 IVT handler"
	EXPECT_MASK dword [exc_flags], FL_IF | FL_VIF, 0, "VME IOPL3: ... with IF cleared"
	movzx eax, word [REAL_STACK_TOP - 2]
	EXPECT_MASK eax, FL_IF | FL_IOPL, FL_IF | FL_IOPL3, "VME IOPL3: ... FLAGS image has the real IF=1"
	EXPECT_EQ dword [pm_count], 0, "VME IOPL3: ... and the IDT gate is not used"

	; Method 4: VME=1, IOPL=3, bit set -> protected-mode handler (IDT).
	mov dword [pm_count], 0
	V86_RUN f_int41_pm, CR4_VME, FL_IOPL3
	EXPECT_RAN_TO f_int41_pm_end, "VME IOPL3: INT 41h (bit set) returns from the IDT handler"
	EXPECT_EQ dword [pm_count], 1, "VME IOPL3: INT 41h goes through the IDT"
	EXPECT_EQ dword [pm_vector], V86_NOREDIR, "VME IOPL3: ... to the vector 41h gate"
	EXPECT_EQ dword [pm_ip], REAL_ADDR(v86, f_int41_pm_ret), "VME IOPL3: ... saving the next IP"
	EXPECT_MASK dword [pm_flags], FL_VM, FL_VM, "VME IOPL3: ... with VM=1 in the saved EFLAGS"
	EXPECT_EQ dword [pm_saved_ds], V86_SEG, "VME IOPL3: ... and the vm86 DS in the frame"
	EXPECT_EQ dword [pm_entry_ds], 0, "VME IOPL3: ... and DS null in the handler"

	; === CR4.VME=0, IOPL=3: method 1, the IDT whatever the bitmap says =====
	mov dword [pm_count], 0
	V86_RUN f_int40, 0, FL_IOPL3
	EXPECT_RAN_TO f_int40_end, "no VME IOPL3: INT 40h returns from the IDT handler"
	EXPECT_EQ dword [pm_count], 1, "no VME IOPL3: INT 40h goes through the IDT although its bit is clear"
	EXPECT_EQ dword [pm_vector], V86_REDIR, "no VME IOPL3: ... to the vector 40h gate"

	; === I/O: in vm86 the TSS I/O bitmap decides, IOPL is not used =========
	; (SDM Vol. 1 "I/O Permission Bit Map"; Vol. 3B "8086 Emulation").
	V86_RUN f_io, CR4_VME, FL_IOPL3
	EXPECT_W r_io_ok, -1, 1, "IOPL3: IN from a port the I/O bitmap allows"
	EXPECT_GP_AT f_io_denied, "IOPL3: IN from a port the I/O bitmap denies"

	; Back to the library's state.
	xor eax, eax
	call set_vme
	call tss32_load32
	IDT32_RESET V86_REDIR
	IDT32_RESET V86_NOREDIR
	ret

; EAX = CR4.VME value (CR4_VME or 0).
set_vme:
	push ebx
	mov ebx, cr4
	and ebx, ~CR4_VME
	or ebx, eax
	mov cr4, ebx
	pop ebx
	ret

; Enters virtual-8086 mode with IRETD: EAX = EFLAGS (VM added), EDX = IP,
; CS = DS = ES = FS = GS = SS = 0, SP = REAL_STACK_TOP. Returns when the
; vm86 code raises an exception (the recorder holds its frame).
v86_run:
	EXC_EXPECT .back
	push dword 0                        ; GS
	push dword 0                        ; FS
	push dword 0                        ; DS
	push dword 0                        ; ES
	push dword 0                        ; SS
	push dword REAL_STACK_TOP           ; ESP
	or eax, FL_VM | FL_FIXED1
	push eax                            ; EFLAGS
	push dword 0                        ; CS
	push edx                            ; EIP
	iretd
.back:
	ret

; IDT handlers for INT 40h/41h from vm86 (DPL-3 gates): record the frame,
; return to vm86 with IRETD. DS is not usable here (null): use SS.
pm_int40:
	push dword V86_REDIR
	jmp pm_int_common
pm_int41:
	push dword V86_NOREDIR
	jmp pm_int_common
; [esp] vector, then EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS.
pm_int_common:
	push eax
	mov ax, ds
	movzx eax, ax
	mov [ss:pm_entry_ds], eax
	mov eax, [esp + 4]
	mov [ss:pm_vector], eax
	mov eax, [esp + 8]
	mov [ss:pm_ip], eax
	mov eax, [esp + 16]
	mov [ss:pm_flags], eax
	mov eax, [esp + 32]
	mov [ss:pm_saved_ds], eax
	add dword [ss:pm_count], 1
	pop eax
	add esp, 4
	iretd

section .data
pm_count:       dd 0
pm_vector:      dd 0
pm_ip:          dd 0
pm_flags:       dd 0
pm_saved_ds:    dd 0
pm_entry_ds:    dd -1

; 32-bit TSS for the vm86 task (SDM Vol. 3A "Task-State Segment"): the
; interrupt redirection bitmap is the 32 bytes just below the I/O map base
; (Vol. 3B "Class 3—Software Interrupt Handling in Virtual-8086 Mode").
align 16
v86_tss:
	dd 0                                ; previous task link
	dd ring0_stack_top                  ; ESP0
	dd SEL_DATA32                       ; SS0
	times 22 dd 0
	dw 0                                ; T
	dw v86_iomap - v86_tss              ; I/O map base
v86_redir:
	times V86_REDIR / 8 db 0xff
	db ~(1 << (V86_REDIR % 8)) & 0xff   ; 40h redirected, 41h not
	times 32 - V86_REDIR / 8 - 1 db 0xff
v86_iomap:
	times V86_PORT_OK / 8 db 0xff
	db ~(1 << (V86_PORT_OK % 8)) & 0xff
	times 32 - V86_PORT_OK / 8 - 1 db 0xff
	db 0xff                             ; terminator; ports past it: denied
v86_tss_end:

; The 16-bit code, copied to REAL_BLOB and run in virtual-8086 mode.
REAL_BEGIN v86
f_math:
	mov ax, 0x1234
	add ax, ax
	mov bx, V86_SEG
	mov ds, bx
	mov [V86_MARK_LIN - V86_SEG * 16], ax
	xor bx, bx
	mov ds, bx
	mov bx, V86_ES
	mov es, bx
f_math_end:
	hlt

f_pushf:
	pushf
	pop word [RB(r_pushf)]
f_pushf_end:
	hlt

f_pushf2:
	pushf
	pop word [RB(r_pushf)]
	pushfd
	pop dword [RB(r_pushfd)]
f_pushf2_end:
	hlt

f_cli:
	cli
f_cli_end:
	hlt

f_sti:
	sti
f_sti_end:
	hlt

f_popf:
	push word FL_IOPL3 | FL_FIXED1      ; IF=0; IOPL 3 (or 0) is ignored
	popf
f_popf_end:
	hlt

f_int40:
	int V86_REDIR
f_int40_ret:
f_int40_end:
	hlt

f_int41:
	int V86_NOREDIR
	hlt

f_int41_pm:
	mov bx, V86_SEG
	mov ds, bx
	int V86_NOREDIR
f_int41_pm_ret:
	xor bx, bx
	mov ds, bx
f_int41_pm_end:
	hlt

f_pushfd:
	pushfd
	hlt

f_movcr:
	mov eax, cr0
	hlt

f_io:
	in al, V86_PORT_OK
	mov word [RB(r_io_ok)], 1
f_io_denied:
	in al, V86_PORT_DENIED
	hlt

; vm86 interrupt handlers (IVT targets).
v86_halt:
	hlt
v86_iret:
	iret

align 4
r_pushf:        dw 0
r_io_ok:        dw 0
r_pushfd:       dd 0
REAL_END
