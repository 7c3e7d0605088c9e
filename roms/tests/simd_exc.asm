; simd_exc.asm - SIMD floating-point exceptions: #XM or #UD by
; CR4.OSXMMEXCPT (SDM Vol. 1 11.5.1, Vol. 3A 2.5 and 6.15 "Interrupt 19";
; Vol. 2 LDMXCSR, DIVSS, SQRTSS).
;
; An unmasked SIMD exception raises #XM (vector 19, no error code, the
; saved EIP at the instruction, the destination unchanged, the flag set
; in MXCSR) when CR4.OSXMMEXCPT = 1, and #UD when it is 0. A masked one
; delivers its default result and only sets the flag. LDMXCSR refuses
; reserved bits with #GP(0); SSE instructions are #UD with CR0.EM = 1 or
; CR4.OSFXSR = 0 and #NM with CR0.TS = 1.
;
; QEMU 7.2 TCG deviates: it raises no SIMD floating-point exception at
; all (unmasked ones behave as masked), and LDMXCSR accepts reserved
; bits.

%include "test.inc"
%include "tapskip.inc"

MXCSR_ZM        equ 1 << 9
MXCSR_IM        equ 1 << 7
MXCSR_ZE        equ 1 << 2
MXCSR_IE        equ 1 << 0

section .data
align 16
one:            dd 0x3f800000
minus_one:      dd 0xbf800000
mx:             dd 0
mx_unmask_z:    dd 0x1f80 & ~MXCSR_ZM
mx_unmask_i:    dd 0x1f80 & ~MXCSR_IM
mx_default:     dd 0x1f80
mx_bad:         dd 0x1f80 | (1 << 16)

section .text
; XMM0 = 1.0, XMM1 = 0.0
setup_regs:
	movss xmm0, [one]
	xorps xmm1, xmm1
	ret

main:
	TAP_PLAN 15
	mov eax, 1
	cpuid
	test edx, 1 << 25
	jnz .have
	TAP_SKIP 15, "CPUID.1:EDX.SSE = 0"
	ret
.have:
	mov eax, cr0
	or eax, CR0_MP | CR0_NE
	and eax, ~(CR0_EM | CR0_TS)
	mov cr0, eax
	mov eax, cr4
	or eax, CR4_OSFXSR | CR4_OSXMMEXCPT
	mov cr4, eax

	; Masked divide by zero: +infinity, ZE set, no exception.
	ldmxcsr [mx_default]
	call setup_regs
	divss xmm0, xmm1
	movd eax, xmm0
	EXPECT_EQ eax, 0x7f800000, "masked divide by zero gives +infinity"
	stmxcsr [mx]
	EXPECT_EQ dword [mx], 0x1f80 | MXCSR_ZE, "... and sets MXCSR.ZE"

	; Unmasked, OSXMMEXCPT = 1: #XM at the instruction.
	ldmxcsr [mx_unmask_z]
	call setup_regs
	EXC_EXPECT .xm
.divss_xm:
	divss xmm0, xmm1
	EXC_DISARM
.xm:
	EXPECT_EQ dword [exc_vector], VEC_XM, "unmasked ZE with OSXMMEXCPT = 1 raises #XM"
	EXPECT_EQ dword [exc_ip], .divss_xm, "#XM saves the EIP of the DIVSS"
	movd eax, xmm0
	EXPECT_EQ eax, 0x3f800000, "#XM leaves the destination"
	stmxcsr [mx]
	EXPECT_EQ dword [mx], (0x1f80 & ~MXCSR_ZM) | MXCSR_ZE, "#XM sets MXCSR.ZE"

	ldmxcsr [mx_unmask_i]
	movss xmm2, [minus_one]
	EXC_EXPECT .xm2
	sqrtss xmm2, xmm2
	EXC_DISARM
.xm2:
	EXPECT_EQ dword [exc_vector], VEC_XM, "unmasked invalid SQRTSS raises #XM"

	; OSXMMEXCPT = 0: #UD instead.
	mov eax, cr4
	and eax, ~CR4_OSXMMEXCPT
	mov cr4, eax
	ldmxcsr [mx_unmask_z]
	call setup_regs
	EXC_EXPECT .ud
.divss_ud:
	divss xmm0, xmm1
	EXC_DISARM
.ud:
	EXPECT_EQ dword [exc_vector], VEC_UD, "unmasked ZE with OSXMMEXCPT = 0 raises #UD"
	EXPECT_EQ dword [exc_ip], .divss_ud, "#UD saves the EIP of the DIVSS"
	movd eax, xmm0
	EXPECT_EQ eax, 0x3f800000, "#UD leaves the destination"
	; A masked exception still needs no handler.
	ldmxcsr [mx_default]
	call setup_regs
	divss xmm0, xmm1
	movd eax, xmm0
	EXPECT_EQ eax, 0x7f800000, "masked, OSXMMEXCPT = 0: no exception"

	; LDMXCSR with a reserved bit.
	EXC_EXPECT .gp
	ldmxcsr [mx_bad]
	EXC_DISARM
.gp:
	EXPECT_EQ dword [exc_vector], VEC_GP, "LDMXCSR with bit 16 set raises #GP"

	; Availability: EM -> #UD, OSFXSR = 0 -> #UD, TS -> #NM.
	mov eax, cr0
	or eax, CR0_EM
	mov cr0, eax
	EXC_EXPECT .em
	addss xmm0, xmm1
	EXC_DISARM
.em:
	EXPECT_EQ dword [exc_vector], VEC_UD, "ADDSS with CR0.EM = 1 raises #UD"
	mov eax, cr0
	and eax, ~CR0_EM
	or eax, CR0_TS
	mov cr0, eax
	EXC_EXPECT .ts
	addss xmm0, xmm1
	EXC_DISARM
.ts:
	EXPECT_EQ dword [exc_vector], VEC_NM, "ADDSS with CR0.TS = 1 raises #NM"
	clts
	mov eax, cr4
	and eax, ~CR4_OSFXSR
	mov cr4, eax
	EXC_EXPECT .osfxsr
	addss xmm0, xmm1
	EXC_DISARM
.osfxsr:
	EXPECT_EQ dword [exc_vector], VEC_UD, "ADDSS with CR4.OSFXSR = 0 raises #UD"
	ret
