; fpu_mf.asm - delivery of x87 exceptions: #MF with CR0.NE = 1, FERR#
; through IRQ 13 of the 8259 pair with CR0.NE = 0 (SDM Vol. 1 8.7,
; appendix D; Vol. 3A 6.15 "Interrupt 16").
;
; Native mode: an unmasked exception is not reported by the instruction
; that causes it but by the next waiting x87 instruction or WAIT, as #MF
; (vector 16, no error code, EIP at that instruction); non-waiting
; instructions (FNSTSW, FNSTENV, FNCLEX, FNINIT) run with it pending.
; MS-DOS compatibility mode: the error asserts FERR#, which a PC routes to
; IRQ 13 (slave 8259 IR5); the handler writes port F0H (IGNNE#, so that
; its own x87 instructions run although the error is still pending),
; clears the error with FNCLEX and sends the EOIs. The interrupt comes
; before the instruction after the next waiting one.
;
; QEMU 7.2 TCG deviates: only WAIT delivers a pending error (FLD1 runs),
; and its FERR# path aborts QEMU with an assertion in
; tcg_handle_interrupt, so the CR0.NE = 0 half is checked on vmxsim only.

%include "test.inc"

PIC_M           equ 0x20
PIC_S           equ 0xa0
MBASE           equ 0x20
SBASE           equ 0x28
VEC_IRQ13       equ SBASE + 5
PORT_IGNNE      equ 0xf0

section .data
align 4
cw_zm:          dw 0x037b           ; ZE unmasked
sw:             dw 0
env:            times 28 db 0
irq_count:      dd 0
irq_after:      dd 0                ; [after] seen by the handler
irq_sw:         dd 0                ; FSW seen by the handler
irq_wait_ok:    dd 0
after:          dd 0

section .text
; Pending ZE: 1 / 0 with ZE unmasked.
make_pending:
	fninit
	fldcw [cw_zm]
	fld1
	fldz
	fdivp
	ret

irq13_handler:
	push eax
	add dword [irq_count], 1
	mov eax, [after]
	mov [irq_after], eax
	fnstsw ax
	movzx eax, ax
	mov [irq_sw], eax
	xor eax, eax
	out PORT_IGNNE, al                  ; IRQ 13 off, IGNNE# on
	fwait                               ; ignored with IGNNE#
	mov dword [irq_wait_ok], 1
	fnclex
	mov al, 0x20
	out PIC_S, al
	out PIC_M, al
	pop eax
	iret

pic_init:
	mov al, 0x11
	out PIC_M, al
	out PIC_S, al
	mov al, MBASE
	out PIC_M + 1, al
	mov al, SBASE
	out PIC_S + 1, al
	mov al, 4
	out PIC_M + 1, al
	mov al, 2
	out PIC_S + 1, al
	mov al, 1
	out PIC_M + 1, al
	out PIC_S + 1, al
	mov al, 0xfb                        ; master: only IR2 (cascade)
	out PIC_M + 1, al
	mov al, 0xdf                        ; slave: only IR5 (IRQ 13)
	out PIC_S + 1, al
	ret

main:
	TAP_PLAN 16
	mov eax, cr0
	or eax, CR0_MP | CR0_NE
	and eax, ~(CR0_EM | CR0_TS)
	mov cr0, eax

	; --- CR0.NE = 1: #MF at the next waiting instruction ----------------
	call make_pending
	EXPECT_EQ dword [exc_count], 0, "the faulting FDIVP itself raises nothing"
	fnstsw ax
	movzx eax, ax
	EXPECT_MASK eax, 0x80ff, 0x8084, "FNSTSW runs with it pending: ES, B, ZE"
	fnstenv [env]
	fldcw [env]                         ; FNSTENV masked all: nothing pending
	EXPECT_EQ dword [exc_count], 0, "FNSTENV runs with it pending"
	call make_pending
	EXC_EXPECT .mf1
.wait1:
	fwait
	EXC_DISARM
.mf1:
	EXPECT_EQ dword [exc_vector], VEC_MF, "WAIT raises #MF"
	EXPECT_EQ dword [exc_ip], .wait1, "#MF saves the EIP of the WAIT"
	EXPECT_EQ dword [exc_error], 0, "#MF has no error code"
	fnstsw ax
	movzx eax, ax
	EXPECT_MASK eax, 0x80ff, 0x8084, "the status word is left for the handler"
	EXC_EXPECT .mf2
.fld2:
	fld1
	EXC_DISARM
.mf2:
	EXPECT_EQ dword [exc_vector], VEC_MF, "a waiting x87 instruction raises #MF"
	EXPECT_EQ dword [exc_ip], .fld2, "... before it runs"
	fnclex
	EXC_EXPECT .nomf
	fwait
	EXC_DISARM
.nomf:
	EXPECT_EQ dword [exc_vector], -1, "after FNCLEX WAIT runs"

	; --- CR0.NE = 0: FERR# and IRQ 13 --------------------------------------
	call pic_init
	IDT32_SET VEC_IRQ13, irq13_handler, IDT_INT
	mov eax, cr0
	and eax, ~CR0_NE
	mov cr0, eax
	cli
	call make_pending
	mov dword [after], 0
	sti
	fwait
	mov dword [after], 1
	cli
	EXPECT_EQ dword [irq_count], 1, "the pending error raises IRQ 13 once"
	EXPECT_EQ dword [irq_after], 0, "... before the instruction after the WAIT"
	EXPECT_MASK dword [irq_sw], 0x80ff, 0x8084, "the handler sees the error in FSW"
	EXPECT_EQ dword [irq_wait_ok], 1, "WAIT in the handler runs with IGNNE# asserted"
	fnstsw ax
	movzx eax, ax
	EXPECT_MASK eax, 0x80ff, 0, "FNCLEX in the handler cleared the error"
	sti
	fwait
	fld1
	cli
	EXPECT_EQ dword [irq_count], 1, "no further IRQ 13 once cleared"
	mov eax, cr0
	or eax, CR0_NE
	mov cr0, eax
	ret
