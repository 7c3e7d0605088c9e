; exceptions_real.asm - exception delivery in real-address mode.
;
; In real mode an exception or INT n goes through the IVT (4-byte
; offset:segment entries at IDTR.base) and pushes FLAGS, CS and IP: six
; bytes, never an error code, not even for #GP or #SS; it then clears IF,
; TF and AC (SDM Vol. 3A 21.1.4, Vol. 2 INT n "REAL-ADDRESS-MODE"). Faults
; save the IP of the faulting instruction, traps the IP after it. A
; vector past the IDTR limit raises #GP. A word access at offset 0xffff
; crosses the 64-KiB limit: #GP for DS, #SS for SS.
;
; The test code runs as a real-mode blob; its handlers write one record
; per case (vector, IP, CS, FLAGS, SP at the frame, FLAGS in the handler)
; and resume at the case's continuation. The checks run in protected mode
; afterwards.
;
; QEMU 7.2 TCG deviates: it does not check the 64-KiB segment limit in
; real mode, so the #GP and #SS cases see no exception there.

%include "test.inc"

REC_VEC         equ 0
REC_IP          equ 2
REC_CS          equ 4
REC_FLAGS       equ 6
REC_SP          equ 8
REC_HFLAGS      equ 10                  ; dword: EFLAGS inside the handler
REC_SP0         equ 14                  ; SP before the faulting instruction
REC_SIZE        equ 16
VEC_SOFT        equ 0x40
DR7_L0          equ 1 << 0
DR6_B0          equ 1 << 0
DR6_BS          equ 1 << 14
ARITH           equ FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF

; Record address of case %1 (in the blob copy).
%define REC(c) REAL_ADDR(rblob, rec_ %+ c)

; In the blob: arm case %1 to resume at %2 and note SP.
%macro R_ARM 2
	mov word [RB(r_slot)], RB(rec_ %+ %1)
	mov word [RB(r_resume)], RB(%2)
	mov [RB(rec_ %+ %1) + REC_SP0], sp
%endmacro

section .text
REAL_BEGIN rblob
	; #DE
	R_ARM de, .de
	xor cx, cx
.de_insn:
	div cx
.de:
	; #UD with known arithmetic flags
	xor ax, ax
	cmp ax, 0                           ; ZF = PF = 1
	stc
	R_ARM ud, .ud
.ud_insn:
	ud2
.ud:
	; #DB: TF single-step
	xor eax, eax
	mov dr6, eax
	R_ARM ss, .ss
	pushf
	pop ax
	or ax, FL_TF
	push ax
	popf
	nop
.ss_after:
	nop
.ss:
	mov eax, dr6
	mov [RB(r_dr6_ss)], eax
	; #DB: DR0 instruction breakpoint (linear = 0 * 16 + offset)
	xor eax, eax
	mov dr6, eax
	mov eax, RB(.bp_target)
	mov dr0, eax
	mov eax, DR7_L0
	mov dr7, eax
	R_ARM ibp, .ibp
	nop
.bp_target:
	nop
.ibp:
	xor eax, eax
	mov dr7, eax
	mov eax, dr6
	mov [RB(r_dr6_ibp)], eax
	; #BP
	R_ARM bp, .bp
	int3
.bp_after:
	nop
.bp:
	; #OF
	R_ARM of, .of
	mov al, 0x7f
	add al, 1
	into
.of_after:
	nop
.of:
	; #BR
	R_ARM br, .br
	mov ax, 30
.br_insn:
	bound ax, [RB(r_bounds)]
.br:
	; #NM: CR0.EM = 1, then CR0.MP = TS = 1 with WAIT
	mov eax, cr0
	or eax, CR0_EM
	mov cr0, eax
	R_ARM nm, .nm
.nm_insn:
	fninit
.nm:
	mov eax, cr0
	and eax, ~CR0_EM
	or eax, CR0_MP | CR0_TS
	mov cr0, eax
	R_ARM nm2, .nm2
	fwait
.nm2:
	clts
	mov eax, cr0
	and eax, ~CR0_MP
	mov cr0, eax
	; #GP: word read at DS:0xffff
	R_ARM gp, .gp
	mov bx, 0xffff
.gp_insn:
	mov ax, [bx]
.gp:
	; #SS: word read at SS:0xffff
	R_ARM sseg, .sseg
	mov bp, 0xffff
.sseg_insn:
	mov ax, [bp]
.sseg:
	; INT n, entered with AC = 1 and DF = 1
	pushfd                              ; (ESP[31:16] may be nonzero here:
	pop eax                             ; no [esp] operands in this blob)
	or eax, FL_AC
	push eax
	popfd
	std
	R_ARM soft, .soft
	int VEC_SOFT
.soft_after:
	nop
.soft:
	cld
	pushfd
	pop eax
	and eax, ~FL_AC
	push eax
	popfd
	; INT n past the IDTR limit: #GP
	lidt [RB(r_small_ivt)]
	R_ARM gplim, .gplim
.gplim_insn:
	int VEC_SOFT
.gplim:
	ret

; Handlers: push the vector, then record and resume.
%macro R_STUB 1
r_stub_%1:
	push word %1
	jmp r_common
%endmacro
R_STUB 0
R_STUB 1
R_STUB 3
R_STUB 4
R_STUB 5
R_STUB 6
R_STUB 7
R_STUB 12
R_STUB 13
R_STUB VEC_SOFT

r_common:
	push bx
	push ax
	push bp
	mov bp, sp                          ; bp, ax, bx, vector, IP, CS, FLAGS
	mov bx, [RB(r_slot)]
	mov ax, [bp + 6]
	mov [bx + REC_VEC], ax
	mov ax, [bp + 8]
	mov [bx + REC_IP], ax
	mov ax, [bp + 10]
	mov [bx + REC_CS], ax
	mov ax, [bp + 12]
	mov [bx + REC_FLAGS], ax
	lea ax, [bp + 8]
	mov [bx + REC_SP], ax
	pushfd
	pop eax
	mov [bx + REC_HFLAGS], eax
	mov ax, [RB(r_resume)]
	mov [bp + 8], ax
	and word [bp + 12], ~(FL_TF | FL_AC)
	pop bp
	pop ax
	pop bx
	add sp, 2
	iret

align 4
r_slot:         dw 0
r_resume:       dw 0
r_bounds:       dw 10, 20
r_dr6_ss:       dd 0
r_dr6_ibp:      dd 0
	dw 0
r_small_ivt:    dw VEC_SOFT * 4 - 1     ; vectors 0..3fh
	dd 0
%macro REC_DEF 1
rec_%1:         times REC_SIZE db 0xff
%endmacro
REC_DEF de
REC_DEF ud
REC_DEF ss
REC_DEF ibp
REC_DEF bp
REC_DEF of
REC_DEF br
REC_DEF nm
REC_DEF nm2
REC_DEF gp
REC_DEF sseg
REC_DEF soft
REC_DEF gplim
REAL_END

; Case %1: vector %2, saved IP = blob label %3.
%macro CHECK_VIP 4
%strcat %%v %4, ": vector"
%strcat %%i %4, ": saved IP"
	movzx eax, word [REC(%1) + REC_VEC]
	EXPECT_EQ eax, %2, %%v
	movzx eax, word [REC(%1) + REC_IP]
	EXPECT_EQ eax, REAL_ADDR(rblob, %3), %%i
%endmacro

; IVT entry %1 -> stub %1 (segment 0).
%macro IVT_SET 1
	mov dword [(%1) * 4], REAL_ADDR(rblob, r_stub_%1)
%endmacro

main:
	TAP_PLAN 34
	IVT_SET 0
	IVT_SET 1
	IVT_SET 3
	IVT_SET 4
	IVT_SET 5
	IVT_SET 6
	IVT_SET 7
	IVT_SET 12
	IVT_SET 13
	IVT_SET VEC_SOFT
	REAL_CALL rblob

	CHECK_VIP de, VEC_DE, rblob.de_insn, "DIV by 0: #DE, a fault"
	CHECK_VIP ud, VEC_UD, rblob.ud_insn, "UD2: #UD, a fault"
	movzx eax, word [REC(ud) + REC_CS]
	EXPECT_EQ eax, 0, "#UD: saved CS"
	movzx eax, word [REC(ud) + REC_FLAGS]
	EXPECT_MASK eax, ARITH | FL_TF | FL_IF | FL_DF | FL_FIXED1, FL_ZF | FL_PF | FL_CF | FL_FIXED1, "#UD: saved FLAGS are those before the fault"
	movzx eax, word [REC(ud) + REC_SP0]
	sub eax, 6
	movzx ebx, word [REC(ud) + REC_SP]
	EXPECT_EQ ebx, eax, "#UD: the frame is 6 bytes (FLAGS, CS, IP)"
	CHECK_VIP ss, VEC_DB, rblob.ss_after, "TF single-step: #DB, a trap"
	EXPECT_MASK dword [REAL_ADDR(rblob, r_dr6_ss)], DR6_BS, DR6_BS, "single-step: DR6.BS = 1"
	CHECK_VIP ibp, VEC_DB, rblob.bp_target, "DR0 instruction breakpoint: #DB, a fault"
	EXPECT_MASK dword [REAL_ADDR(rblob, r_dr6_ibp)], DR6_B0, DR6_B0, "instruction breakpoint: DR6.B0 = 1"
	CHECK_VIP bp, VEC_BP, rblob.bp_after, "INT3: #BP, a trap"
	CHECK_VIP of, VEC_OF, rblob.of_after, "INTO with OF=1: #OF, a trap"
	CHECK_VIP br, VEC_BR, rblob.br_insn, "BOUND out of range: #BR, a fault"
	CHECK_VIP nm, VEC_NM, rblob.nm_insn, "x87 instruction with CR0.EM=1: #NM, a fault"
	movzx eax, word [REC(nm2) + REC_VEC]
	EXPECT_EQ eax, VEC_NM, "WAIT with CR0.MP=1, TS=1: #NM"
	CHECK_VIP gp, VEC_GP, rblob.gp_insn, "word read at DS:FFFFh: #GP, a fault"
	movzx eax, word [REC(gp) + REC_SP0]
	sub eax, 6
	movzx ebx, word [REC(gp) + REC_SP]
	EXPECT_EQ ebx, eax, "#GP in real mode pushes no error code"
	CHECK_VIP sseg, VEC_SS, rblob.sseg_insn, "word read at SS:FFFFh: #SS, a fault"
	movzx eax, word [REC(sseg) + REC_SP0]
	sub eax, 6
	movzx ebx, word [REC(sseg) + REC_SP]
	EXPECT_EQ ebx, eax, "#SS in real mode pushes no error code"
	CHECK_VIP soft, VEC_SOFT, rblob.soft_after, "INT 40h: saved IP after the INT"
	movzx eax, word [REC(soft) + REC_FLAGS]
	EXPECT_MASK eax, FL_DF, FL_DF, "INT n: saved FLAGS keep DF = 1"
	EXPECT_MASK dword [REC(soft) + REC_HFLAGS], FL_AC | FL_IF | FL_TF | FL_DF, FL_DF, "INT n: the handler runs with IF = TF = AC = 0"
	CHECK_VIP gplim, VEC_GP, rblob.gplim_insn, "INT 40h past the IDTR limit: #GP, a fault"
	ret
