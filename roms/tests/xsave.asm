; xsave.asm - the XSAVE feature set (SDM Vol. 1 chapter 13; Vol. 2
; XSAVE, XSAVEOPT, XSAVEC, XRSTOR, XGETBV, XSETBV) with x87 and SSE
; state: XCR0 rules, partial XCR0 and requested-feature bitmaps (only
; requested components are written or loaded; XSTATE_BV bits outside
; RFBM are kept), XRSTOR of components marked init, the init and
; modified optimizations of XSAVEOPT, the compacted format of XSAVEC and
; XRSTOR, and the header checks (#GP). Where the SDM lets a processor
; choose (a component in its initial configuration "may" be saved; an
; unmodified one "may" be skipped), the test accepts both outcomes that
; the SDM allows, checks they are consistent with XSTATE_BV, and says
; which one it saw.

%include "test.inc"
%include "tapskip.inc"

section .data
align 16
cw_a:           dw 0x027f
sw:             dw 0
env:            times 28 db 0

section .bss
alignb 64
fx:             resb 512            ; FXSAVE area (to look at state)
area:           resb 1024
area2:          resb 1024

section .text
; Fills 576 bytes at EDI with AL.
fill576:
	push ecx
	push edi
	mov ecx, 576
	rep stosb
	pop edi
	pop ecx
	ret

; XSETBV/XGETBV helpers: XCR0 = EAX (EDX = 0).
set_xcr0:
	push ecx
	push edx
	xor ecx, ecx
	xor edx, edx
	xsetbv
	pop edx
	pop ecx
	ret

; SSE state without SSE instructions: XMM0 = 0x11..., MXCSR 1F80H.
load_xmm:
	push eax
	fxsave [fx]
	mov dword [fx + 160], 0x11111111
	mov dword [fx + 24], 0x1f80
	fxrstor [fx]
	pop eax
	ret

%macro RFBM 1
	mov eax, %1
	xor edx, edx
%endmacro

main:
	TAP_PLAN 30
	mov eax, 1
	cpuid
	test ecx, 1 << 26
	jnz .have
	TAP_SKIP 30, "CPUID.1:ECX.XSAVE = 0"
	ret
.have:
	mov eax, cr0
	or eax, CR0_MP | CR0_NE
	and eax, ~(CR0_EM | CR0_TS)
	mov cr0, eax
	; CR4.OSXSAVE = 0: XGETBV and XSAVE are #UD.
	EXC_EXPECT .ud1
	xor ecx, ecx
	xgetbv
	EXC_DISARM
.ud1:
	EXPECT_EQ dword [exc_vector], VEC_UD, "XGETBV with CR4.OSXSAVE = 0 raises #UD"
	mov eax, cr4
	or eax, CR4_OSXSAVE | CR4_OSFXSR
	mov cr4, eax
	mov eax, 1
	cpuid
	EXPECT_MASK ecx, 1 << 27, 1 << 27, "CPUID.1:ECX.OSXSAVE mirrors CR4.OSXSAVE"
	xor ecx, ecx
	xgetbv
	EXPECT_EQ eax, 1, "XCR0 is 1 after RESET"

	; XSETBV rules (SDM Vol. 1 13.3).
	EXC_EXPECT .gp0
	mov eax, 2
	call set_xcr0
	EXC_DISARM
.gp0:
	EXPECT_EQ dword [exc_vector], VEC_GP, "XSETBV with XCR0[0] = 0 raises #GP"
	EXC_EXPECT .gp1
	mov eax, 5
	call set_xcr0
	EXC_DISARM
.gp1:
	EXPECT_EQ dword [exc_vector], VEC_GP, "XSETBV with AVX but not SSE raises #GP"
	EXC_EXPECT .gp2
	mov ecx, 1
	mov eax, 3
	xor edx, edx
	xsetbv
	EXC_DISARM
.gp2:
	EXPECT_EQ dword [exc_vector], VEC_GP, "XSETBV with ECX = 1 raises #GP"
	mov eax, 3
	call set_xcr0
	xor ecx, ecx
	xgetbv
	EXPECT_EQ eax, 3, "XCR0 = 3 (x87, SSE)"
	mov eax, 0xd
	xor ecx, ecx
	cpuid
	EXPECT_EQ ebx, 576, "CPUID.(EAX=0DH,ECX=0):EBX = 576 for XCR0 = 3"

	; --- partial RFBM -----------------------------------------------------
	fninit
	fldcw [cw_a]
	fld1
	call load_xmm
	mov edi, area
	mov al, 0x5a
	call fill576
	mov dword [area + 512], 2           ; XSTATE_BV with bit 1 set
	mov dword [area + 516], 0
	RFBM 1
	xsave [area]
	movzx eax, word [area]
	EXPECT_EQ eax, 0x027f, "XSAVE RFBM = 1: FCW written"
	EXPECT_EQ dword [area + 24], 0x5a5a5a5a, "XSAVE RFBM = 1: MXCSR not written"
	EXPECT_EQ dword [area + 160], 0x5a5a5a5a, "XSAVE RFBM = 1: XMM0 not written"
	EXPECT_EQ dword [area + 512], 3, "XSAVE RFBM = 1: XSTATE_BV[0] = 1, bit 1 kept"
	EXPECT_EQ dword [area + 520], 0x5a5a5a5a, "XSAVE writes no other header field"
	RFBM 2
	xsave [area]
	EXPECT_EQ dword [area + 24], 0x1f80, "XSAVE RFBM = 2: MXCSR written"
	EXPECT_EQ dword [area + 160], 0x11111111, "XSAVE RFBM = 2: XMM0 written"
	; XCR0 = 1 limits RFBM to x87.
	mov eax, 1
	call set_xcr0
	mov edi, area2
	mov al, 0x5a
	call fill576
	mov dword [area2 + 512], 0
	mov dword [area2 + 516], 0
	RFBM 3
	xsave [area2]
	EXPECT_EQ dword [area2 + 24], 0x5a5a5a5a, "XCR0 = 1: XSAVE leaves MXCSR"
	EXPECT_EQ dword [area2 + 512], 1, "XCR0 = 1: XSTATE_BV = 1"
	mov eax, 3
	call set_xcr0

	; --- XRSTOR -----------------------------------------------------------
	; XSTATE_BV = 0 with RFBM = 3: both components initialized.
	mov edi, area + 512
	xor eax, eax
	mov ecx, 64
	rep stosb
	RFBM 3
	xrstor [area]
	fxsave [fx]
	movzx eax, word [fx]
	EXPECT_EQ eax, 0x037f, "XRSTOR of an init x87 component: FCW 037FH"
	movzx eax, byte [fx + 4]
	EXPECT_EQ eax, 0, "... every register empty"
	EXPECT_EQ dword [fx + 160], 0, "XRSTOR of an init SSE component: XMM0 = 0"
	; RFBM = 1: the x87 state comes back, XMM stays.
	call load_xmm
	mov dword [area + 512], 3
	RFBM 1
	xrstor [area]
	fnstcw [sw]
	movzx eax, word [sw]
	EXPECT_EQ eax, 0x027f, "XRSTOR RFBM = 1: FCW loaded"
	fxsave [fx]
	EXPECT_EQ dword [fx + 160], 0x11111111, "XRSTOR RFBM = 1: XMM0 untouched"
	; Header checks.
	mov dword [area + 512], 4
	EXC_EXPECT .gp3
	RFBM 3
	xrstor [area]
	EXC_DISARM
.gp3:
	EXPECT_EQ dword [exc_vector], VEC_GP, "XRSTOR: XSTATE_BV bit outside XCR0 raises #GP"
	mov dword [area + 512], 3
	mov dword [area + 528], 1
	EXC_EXPECT .gp4
	RFBM 3
	xrstor [area]
	EXC_DISARM
.gp4:
	EXPECT_EQ dword [exc_vector], VEC_GP, "XRSTOR: header bytes 23:8 not 0 raises #GP"
	mov dword [area + 528], 0

	; --- init optimization ---------------------------------------------------
	; x87 in its initial configuration: XSAVEOPT may skip it (XSTATE_BV[0]
	; = 0, bytes untouched) or save it (XSTATE_BV[0] = 1, FCW 037FH).
	mov edi, area2 + 512
	xor eax, eax
	mov ecx, 64
	rep stosb
	RFBM 1
	xrstor [area2]
	mov edi, area2
	mov al, 0x5a
	call fill576
	mov edi, area2 + 512
	xor eax, eax
	mov ecx, 64
	rep stosb
	RFBM 1
	xsaveopt [area2]
	movzx eax, word [area2]
	mov ebx, [area2 + 512]
	cmp ebx, 0
	jne .saved
	cmp eax, 0x5a5a
	TAP_CHECK e, "XSAVEOPT, x87 init: XSTATE_BV[0] = 0 and the x87 bytes untouched"
	TAP_DIAG "init optimization used"
	jmp .init_done
.saved:
	cmp eax, 0x037f
	TAP_CHECK e, "XSAVEOPT, x87 init: XSTATE_BV[0] = 1 and FCW 037FH saved"
	TAP_DIAG "init optimization not used"
.init_done:
	fld1
	RFBM 1
	xsaveopt [area2]
	EXPECT_EQ dword [area2 + 512], 1, "XSAVEOPT: x87 in use gives XSTATE_BV[0] = 1"

	; --- modified optimization -------------------------------------------------
	fninit
	fld1
	RFBM 3
	xsave [area]
	xrstor [area]
	mov word [area], 0x1234             ; scribble on the saved FCW
	xsaveopt [area]
	movzx eax, word [area]
	cmp eax, 0x1234
	jne .mod_saved
	TAP_DIAG "modified optimization used"
	jmp .mod_done
.mod_saved:
	TAP_DIAG "modified optimization not used"
.mod_done:
	fld1                                ; modifies x87 state
	fnstsw [sw]
	RFBM 3
	xsaveopt [area]
	movzx eax, word [area + 2]
	movzx ebx, word [sw]
	EXPECT_EQ eax, ebx, "XSAVEOPT after a modification saves the new FSW"

	; --- compacted format ---------------------------------------------------
	mov eax, 0xd
	mov ecx, 1
	cpuid
	test eax, 2
	jnz .have_c
	TAP_SKIP 3, "no XSAVEC"
	ret
.have_c:
	mov edi, area2
	xor eax, eax
	call fill576
	RFBM 3
	xsavec [area2]
	EXPECT_EQ dword [area2 + 524], 0x80000000, "XSAVEC: XCOMP_BV[63] = 1"
	EXPECT_MASK dword [area2 + 520], 0xffffffff, 3, "XSAVEC: XCOMP_BV[62:0] = RFBM"
	mov byte [area2 + 560], 1
	EXC_EXPECT .gp5
	RFBM 3
	xrstor [area2]
	EXC_DISARM
.gp5:
	EXPECT_EQ dword [exc_vector], VEC_GP, "compacted XRSTOR: header bytes 63:16 not 0 raise #GP"
	ret
