; fpu_lazy.asm - lazy x87 state switching through CR0.TS and #NM, as older
; kernels do it (SDM Vol. 3A 2.5 and table 2-2, 13.4; Vol. 1 8.1.10).
;
; Two "tasks" each own an FXSAVE area. A switch only sets CR0.TS; the
; first x87 instruction after it raises #NM, whose handler clears TS
; (CLTS), saves the previous owner's state with FXSAVE, loads the
; current task's with FXRSTOR and returns to the faulting instruction,
; which then runs. Checked: #NM happens exactly once per switch and only
; when the task uses the x87 unit; each task finds its own stack,
; control word and status word again; WAIT faults only with MP and TS;
; EM makes x87 instructions #NM and FXSAVE #UD; FNINIT and FNSTSW are
; #NM under TS as well (table 2-2 has no exception for non-waiting
; instructions).
;
; QEMU 7.2 TCG deviates: FXSAVE with CR0.EM = 1 raises #NM, not the #UD of
; SDM Vol. 2A FXSAVE and Vol. 3A table 2-2.

%include "test.inc"

section .data
align 4
current:        dd 0                ; area of the running task
owner:          dd 0                ; area whose state is in the unit
nm_count:       dd 0
result:         dd 0, 0
cw_a:           dw 0x027f           ; task A: 53-bit precision
cw:             dw 0
sw:             dw 0

section .bss
alignb 16
area_a:         resb 512
area_b:         resb 512

section .text
; The #NM handler of a lazy-switching kernel.
nm_handler:
	push eax
	clts
	add dword [nm_count], 1
	mov eax, [owner]
	cmp eax, [current]
	je .done
	test eax, eax
	jz .load
	fxsave [eax]
.load:
	mov eax, [current]
	fxrstor [eax]
	mov [owner], eax
.done:
	pop eax
	iret

; Switch to the task whose area is EAX: set CR0.TS, nothing else.
switch_to:
	push eax
	mov [current], eax
	mov eax, cr0
	or eax, CR0_TS
	mov cr0, eax
	pop eax
	ret

main:
	TAP_PLAN 17
	mov eax, cr0
	or eax, CR0_MP | CR0_NE
	and eax, ~(CR0_EM | CR0_TS)
	mov cr0, eax
	mov eax, cr4
	or eax, CR4_OSFXSR
	mov cr4, eax
	; Both tasks start from the initial x87 state.
	fninit
	fxsave [area_a]
	fxsave [area_b]
	IDT32_SET VEC_NM, nm_handler, IDT_INT

	; Task A: 53-bit precision, computes 1 + 1.
	mov eax, area_a
	call switch_to
	fldcw [cw_a]                        ; #NM here, then runs
	EXPECT_EQ dword [nm_count], 1, "first x87 instruction after the switch raises #NM"
	fld1
	fld1
	faddp
	EXPECT_EQ dword [nm_count], 1, "no #NM once the task owns the unit"

	; Task B: pi, default control word.
	mov eax, area_b
	call switch_to
	fldpi                               ; #NM: A saved, B loaded
	EXPECT_EQ dword [nm_count], 2, "task B's first x87 instruction raises #NM"
	fnstcw [cw]
	movzx eax, word [cw]
	EXPECT_EQ eax, 0x037f, "task B sees its own control word"
	fld st0
	faddp                               ; 2 * pi
	fnstsw [sw]
	movzx eax, word [sw]
	and eax, 0x3800
	EXPECT_EQ eax, 0x3800, "task B's stack has one value (TOP = 7)"

	; A task that does not touch the unit is switched to without #NM.
	mov eax, area_a
	call switch_to
	mov eax, area_b
	call switch_to
	EXPECT_EQ dword [nm_count], 2, "a switch alone raises nothing"

	; Back to A (the unit still holds B's state): A's values return.
	mov eax, area_a
	call switch_to
	fistp dword [result]                ; #NM: B saved, A loaded
	EXPECT_EQ dword [nm_count], 3, "switching back raises #NM again"
	EXPECT_EQ dword [result], 2, "task A's stack is intact (1 + 1)"
	fnstcw [cw]
	movzx eax, word [cw]
	EXPECT_EQ eax, 0x027f, "task A's control word is intact"

	mov eax, area_b
	call switch_to
	fistp dword [result + 4]
	EXPECT_EQ dword [result + 4], 6, "task B's stack is intact (2 pi rounds to 6)"
	EXPECT_EQ dword [nm_count], 4, "four lazy switches in all"

	; WAIT: #NM only when MP and TS are both set.
	IDT32_RESET VEC_NM
	mov eax, cr0
	or eax, CR0_TS
	mov cr0, eax
	EXC_EXPECT .wait_mp
	wait
	EXC_DISARM
.wait_mp:
	EXPECT_EQ dword [exc_vector], VEC_NM, "WAIT with MP = 1 and TS = 1 raises #NM"
	mov eax, cr0
	and eax, ~CR0_MP
	mov cr0, eax
	EXC_EXPECT .wait_nomp
	wait
	EXC_DISARM
.wait_nomp:
	EXPECT_EQ dword [exc_vector], -1, "WAIT with MP = 0 and TS = 1 runs"
	; Non-waiting instructions are #NM under TS too.
	EXC_EXPECT .fninit_ts
	fninit
	EXC_DISARM
.fninit_ts:
	EXPECT_EQ dword [exc_vector], VEC_NM, "FNINIT with TS = 1 raises #NM"
	EXC_EXPECT .fnstsw_ts
	fnstsw ax
	EXC_DISARM
.fnstsw_ts:
	EXPECT_EQ dword [exc_vector], VEC_NM, "FNSTSW with TS = 1 raises #NM"

	; EM = 1: x87 instructions #NM, FXSAVE #UD.
	clts
	mov eax, cr0
	or eax, CR0_EM
	mov cr0, eax
	EXC_EXPECT .fld_em
	fld1
	EXC_DISARM
.fld_em:
	EXPECT_EQ dword [exc_vector], VEC_NM, "FLD1 with EM = 1 raises #NM"
	EXC_EXPECT .fxsave_em
	fxsave [area_a]
	EXC_DISARM
.fxsave_em:
	EXPECT_EQ dword [exc_vector], VEC_UD, "FXSAVE with EM = 1 raises #UD"
	mov eax, cr0
	and eax, ~CR0_EM
	mov cr0, eax
	ret
