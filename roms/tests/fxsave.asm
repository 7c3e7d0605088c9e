; fxsave.asm - the FXSAVE image byte by byte (SDM Vol. 1 10.5.1, table
; 10-2; Vol. 2A FXSAVE, FXRSTOR), in 32-bit protected mode and with
; REX.W in 64-bit mode.
;
; A known x87 state (control word, stack of three values, the last
; instruction with a memory operand) and SSE state (MXCSR and XMM
; registers, put in place with FXRSTOR so that no SSE instruction is
; needed) is saved into an area filled with A5H, and every field is
; checked: FCW, FSW, the abridged tag byte, FOP, FIP, FCS, FDP, FDS,
; MXCSR, MXCSR_MASK, the registers in stack order, the XMM registers
; (XMM8-15 only in 64-bit mode), and bytes 464-511, which the processor
; never writes. FXRSTOR rebuilds the full tag word from the abridged one
; and the register contents, and refuses a reserved MXCSR bit with
; #GP(0). Misaligned areas are #GP(0).
;
; QEMU 7.2 TCG deviates: it does not keep the last instruction's opcode
; and pointers (FOP is not written, FIP, FCS, FDP and FDS are saved as
; 0), and FXRSTOR accepts reserved MXCSR bits.

%include "test.inc"

FCW_VALUE       equ 0x0f7f          ; RC toward zero, PC 64 bits, masked
MXCSR_VALUE     equ 0x1fa0          ; masks, PE, RC = 00

section .data
align 16
v80:            dq 0xc90fdaa22168c235, 0x4001   ; 2 pi
one32:          dd 0x3f800000                   ; 1.0f
cw:             dw FCW_VALUE
env:            times 28 db 0

section .bss
alignb 16
img0:           resb 512
img:            resb 512 + 16

section .text
; Fills img with A5H.
fill_img:
	push eax
	push ecx
	push edi
	mov edi, img
	mov ecx, 512
	mov al, 0xa5
	rep stosb
	pop edi
	pop ecx
	pop eax
	ret

; XMMi in img0 = bytes (i * 16 + k) ^ 3CH, k = 0..15, for 16 registers.
xmm_pattern:
	xor ecx, ecx
.l:
	mov eax, ecx
	xor eax, 0x3c
	mov [img0 + 160 + ecx], al
	add ecx, 1
	cmp ecx, 256
	jne .l
	ret

main:
	TAP_PLAN 30
	mov eax, cr0
	or eax, CR0_MP | CR0_NE
	and eax, ~(CR0_EM | CR0_TS)
	mov cr0, eax
	mov eax, cr4
	or eax, CR4_OSFXSR
	mov cr4, eax

	; SSE state through FXRSTOR.
	fninit
	fxsave [img0]
	call xmm_pattern
	mov dword [img0 + 24], MXCSR_VALUE
	fxrstor [img0]

	; x87 state: FCW, 2 pi, 1.0, then 0 + 1.0 by FADD m32fp.
	fninit
	fldcw [cw]
	fld tword [v80]
	fld1
	fldz
last_fp:
	fadd dword [one32]
	call fill_img
	fxsave [img]

	movzx eax, word [img + 0]
	EXPECT_EQ eax, FCW_VALUE, "FCW at byte 0"
	movzx eax, word [img + 2]
	EXPECT_EQ eax, 5 << 11, "FSW at byte 2 (TOP = 5, no flags)"
	movzx eax, byte [img + 4]
	EXPECT_EQ eax, 0xe0, "abridged tag byte at 4: R5 R6 R7 in use"
	movzx eax, word [img + 6]
	EXPECT_EQ eax, 0x005, "FOP at byte 6: (D8 & 7) << 8 | ModRM 05"
	EXPECT_EQ dword [img + 8], last_fp, "FIP at byte 8: the FADD"
	movzx eax, word [img + 12]
	EXPECT_EQ eax, SEL_CODE32, "FCS at byte 12"
	EXPECT_EQ dword [img + 16], one32, "FDP at byte 16: the FADD's operand"
	movzx eax, word [img + 20]
	EXPECT_EQ eax, SEL_DATA32, "FDS at byte 20"
	EXPECT_EQ dword [img + 24], MXCSR_VALUE, "MXCSR at byte 24"
	EXPECT_EQ dword [img + 28], 0xffff, "MXCSR_MASK at byte 28: every bit of 15:0"
	EXPECT_EQ dword [img + 32 + 4], 0x80000000, "ST0 = 1.0 at byte 32 (significand)"
	movzx eax, word [img + 32 + 8]
	EXPECT_EQ eax, 0x3fff, "ST0 = 1.0 at byte 40 (sign and exponent)"
	EXPECT_EQ dword [img + 48 + 4], 0x80000000, "ST1 = 1.0 at byte 48"
	EXPECT_EQ dword [img + 64], 0x2168c235, "ST2 = 2 pi at byte 64 (low significand)"
	EXPECT_EQ dword [img + 64 + 4], 0xc90fdaa2, "ST2 at byte 68 (high significand)"
	movzx eax, word [img + 64 + 8]
	EXPECT_EQ eax, 0x4001, "ST2 at byte 72 (sign and exponent)"
	EXPECT_EQ dword [img + 160], 0x3f3e3d3c, "XMM0 at byte 160"
	EXPECT_EQ dword [img + 160 + 7 * 16 + 12], 0x43424140, "XMM7 ends at byte 287"
	EXPECT_EQ dword [img + 464], 0xa5a5a5a5, "byte 464 is not written"
	EXPECT_EQ dword [img + 508], 0xa5a5a5a5, "byte 511 is not written"

	; FXRSTOR: abridged tag 80H with R7 = +0 gives tag word 7FFFH.
	mov byte [img + 4], 0x80
	mov word [img + 2], 7 << 11          ; TOP = 7: ST0 is R7
	mov dword [img + 32], 0
	mov dword [img + 36], 0
	mov word [img + 40], 0
	fxrstor [img]
	fnstenv [env]
	movzx eax, word [env + 8]
	EXPECT_EQ eax, 0x7fff, "FXRSTOR rebuilds the tag word from the contents"

	; A reserved MXCSR bit: #GP(0).
	mov dword [img + 24], 0x10000 | MXCSR_VALUE
	EXC_EXPECT .bad_mxcsr
	fxrstor [img]
	EXC_DISARM
.bad_mxcsr:
	EXPECT_EQ dword [exc_vector], VEC_GP, "FXRSTOR with MXCSR bit 16 set raises #GP"
	EXPECT_EQ dword [exc_error], 0, "... with error code 0"
	EXC_EXPECT .misaligned
	fxsave [img + 8]
	EXC_DISARM
.misaligned:
	EXPECT_EQ dword [exc_vector], VEC_GP, "FXSAVE to a misaligned area raises #GP"

	; 64-bit mode: FXRSTOR64 of img0 brings XMM8-15, FXSAVE64 saves
	; 64-bit pointers and all 16 registers.
	ENTER_LONG
	fxrstor64 [img0]
	fninit
	fld1
last_fp64:
	fadd dword [one32]
	call fill_img64
	fxsave64 [img]
	mov eax, last_fp64
	EXPECT_EQ qword [img + 8], rax, "FXSAVE64: 64-bit FIP at byte 8"
	mov eax, one32
	EXPECT_EQ qword [img + 16], rax, "FXSAVE64: 64-bit FDP at byte 16"
	mov eax, [img + 160 + 15 * 16]
	EXPECT_EQ rax, 0xcfcecdcc, "FXSAVE64: XMM15 at byte 400"
	mov eax, [img + 464]
	EXPECT_EQ rax, 0xa5a5a5a5, "FXSAVE64: byte 464 is not written"
	; Without REX.W in 64-bit mode: the 32-bit layout with FCS.
	fxsave [img]
	mov eax, [img + 8]
	mov ebx, last_fp64
	EXPECT_EQ rax, rbx, "FXSAVE in 64-bit mode: 32-bit FIP"
	movzx eax, word [img + 12]
	EXPECT_EQ rax, SEL_CODE64, "FXSAVE in 64-bit mode: FCS at byte 12"
	LEAVE_LONG
	ret

bits 64
fill_img64:
	push rax
	push rcx
	push rdi
	mov edi, img
	mov ecx, 512
	mov al, 0xa5
	rep stosb
	pop rdi
	pop rcx
	pop rax
	ret
bits 32
