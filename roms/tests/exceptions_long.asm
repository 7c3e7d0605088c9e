; exceptions_long.asm - exception delivery in 64-bit mode.
;
; In IA-32e mode every event pushes SS, RSP, RFLAGS, CS, RIP (and the
; error code) on a stack aligned to 16 bytes; the saved RSP is the value
; before the event (SDM Vol. 3A 6.14.2). Faults save the RIP of the
; faulting instruction, traps the RIP after it. INTO and other opcodes
; invalid in 64-bit mode (PUSH ES, AAA) are #UD. #TS comes from reading RSPn or ISTn
; past the TSS limit (SDM Vol. 3A 6.14.5); #SS(0) from a non-canonical
; stack reference and #GP(0) from a non-canonical data reference (SDM
; Vol. 3A 6.15). Error codes carry the selector or IDT slot and EXT as in
; protected mode.
;
; QEMU 7.2 TCG deviates: it never sets EXT, forms IDT error codes in
; IA-32e mode as vector * 16 + 2 (the SDM's error_code(vector, 1, EXT) is
; vector * 8 + 2 in every mode), raises #GP instead of #SS for a
; non-canonical stack reference, and does not raise #AC.

%include "test.inc"
%include "ring3.inc"

SEL_TSS_SMALL   equ 0x68                ; 16-byte 64-bit TSS descriptor
SEL_DATA_NP     equ 0x78                ; data segment, not present
SEL_BEYOND      equ 0x100               ; past the GDT limit
VEC_INT_DPL0    equ 0x43
VEC_INT_DPL3    equ 0x44
VEC_INT_NP      equ 0x45
VEC_INT_BADTYPE equ 0x46
VEC_INT_IST7    equ 0x47
VEC_BEYOND_IDT  equ 0x80
TSS64_IST7      equ 0x54                ; offset of IST7 in the 64-bit TSS
NONCANON        equ 0x0000800000000000
PF_ADDR         equ 0x00f00abc
DR7_L0          equ 1 << 0
DR6_B0          equ 1 << 0
DR6_BS          equ 1 << 14
ARITH           equ FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF

; Writes a raw 64-bit gate for vector %1 to handler stub %1, with type
; byte %2 and IST %3.
%macro IDT64_RAW 3
	mov eax, exc64_stubs + (%1) * EXC_STUB_SIZE
	mov edx, eax
	and eax, 0xffff
	or eax, SEL_CODE64 << 16
	mov [idt64 + (%1) * 16], eax
	and edx, 0xffff0000
	or edx, ((%2) << 8) | (%3)
	mov [idt64 + (%1) * 16 + 4], edx
	mov qword [idt64 + (%1) * 16 + 8], 0
%endmacro

section .data
ac_buf:         dd 0, 0
bp_ran:         dd 0

section .text
bits 64
u_int_dpl0:
	int VEC_INT_DPL0
u_int_dpl3:
	int VEC_INT_DPL3
u_hlt:
	hlt
bits 32

main:
	TAP_PLAN 52
	call user_init32
	mov eax, SEL_DATA_NP
	xor ebx, ebx
	mov ecx, 0xfffff
	mov edx, GDT_ATTR_DATA32 & ~0x80    ; P = 0
	call gdt_set32
	mov eax, PG_P | PG_RW | PG_US
	call pg_build_4level32
	mov [long_cr3], eax
	and dword [pg4_pt + (PF_ADDR >> 12) * 8], ~PG_P
	ENTER_LONG
	IDT64_SET VEC_INT_DPL3, exc64_stubs + VEC_INT_DPL3 * EXC_STUB_SIZE, IDT_INT | IDT_DPL3

	; --- #DE ---------------------------------------------------------------------
	EXC_EXPECT .de
	xor ecx, ecx
	mov eax, 7
	xor edx, edx
.de_insn:
	div rcx
	EXC_DISARM
.de:
	EXPECT_VE VEC_DE, 0, "DIV by 0: #DE, no error code"
	mov rax, .de_insn
	EXPECT_EQ qword [exc_ip], rax, "#DE is a fault: RIP of the DIV"

	; --- the 64-bit frame --------------------------------------------------------
	sub rsp, 8                          ; RSP = 8 mod 16 at the fault
	EXC_EXPECT .ud
	xor eax, eax
	cmp eax, 0                          ; ZF = PF = 1
	stc                                 ; CF = 1
.ud_insn:
	ud2
	EXC_DISARM
.ud:
	add rsp, 8
	EXPECT_VE VEC_UD, 0, "UD2: #UD, no error code"
	mov rax, .ud_insn
	EXPECT_EQ qword [exc_ip], rax, "#UD is a fault: RIP of the UD2"
	EXPECT_EQ qword [exc_cs], SEL_CODE64, "saved CS"
	EXPECT_MASK qword [exc_flags], ARITH | FL_TF | FL_IF | FL_DF | FL_FIXED1, FL_ZF | FL_PF | FL_CF | FL_FIXED1, "saved RFLAGS are those before the fault"
	EXPECT_EQ qword [exc_ss], SEL_DATA32, "CPL 0 to CPL 0: SS is pushed too"
	mov rax, [exc_recover_sp]
	EXPECT_EQ qword [exc_sp], rax, "saved RSP is the unaligned RSP before the fault"
	EXC_EXPECT .ud2
	db 0x06                             ; PUSH ES: invalid in 64-bit mode
	EXC_DISARM
.ud2:
	EXPECT_VE VEC_UD, 0, "PUSH ES (06h) in 64-bit mode: #UD"
	EXC_EXPECT .ud3
	mov al, 0x7f
	add al, 1                           ; OF = 1
	db 0xce                             ; INTO
	EXC_DISARM
.ud3:
	EXPECT_VE VEC_UD, 0, "INTO in 64-bit mode: #UD, not #OF"
	EXC_EXPECT .ud4
	db 0x37                             ; AAA
	EXC_DISARM
.ud4:
	EXPECT_VE VEC_UD, 0, "AAA in 64-bit mode: #UD"

	; --- #DB -----------------------------------------------------------------------
	xor eax, eax
	mov dr6, rax
	EXC_EXPECT .ss
	pushfq
	or qword [rsp], FL_TF
	popfq
	nop
.ss_after:
	nop
	EXC_DISARM
.ss:
	EXPECT_VE VEC_DB, 0, "TF single-step: #DB"
	mov rax, .ss_after
	EXPECT_EQ qword [exc_ip], rax, "single-step is a trap: RIP after the instruction"
	mov rax, dr6
	EXPECT_MASK rax, DR6_BS, DR6_BS, "DR6.BS = 1"
	xor eax, eax
	mov dr6, rax
	mov rax, .bp_target
	mov dr0, rax
	mov eax, DR7_L0
	mov dr7, rax
	EXC_EXPECT .ibp
	nop
.bp_target:
	mov dword [bp_ran], 1
	EXC_DISARM
.ibp:
	xor eax, eax
	mov dr7, rax
	EXPECT_VE VEC_DB, 0, "DR0 instruction breakpoint: #DB"
	mov rax, .bp_target
	EXPECT_EQ qword [exc_ip], rax, "instruction breakpoint is a fault: RIP of the instruction"
	mov eax, [bp_ran]
	EXPECT_EQ rax, 0, "the instruction did not run"
	mov rax, dr6
	EXPECT_MASK rax, DR6_B0 | DR6_BS, DR6_B0, "DR6.B0 = 1"

	; --- #BP ---------------------------------------------------------------------------
	EXC_EXPECT .bp
	int3
.bp_after:
	EXC_DISARM
.bp:
	EXPECT_VE VEC_BP, 0, "INT3: #BP"
	mov rax, .bp_after
	EXPECT_EQ qword [exc_ip], rax, "#BP is a trap: RIP after INT3"

	; --- #NM ---------------------------------------------------------------------------
	mov rax, cr0
	or eax, CR0_EM
	mov cr0, rax
	EXC_EXPECT .nm
	fninit
	EXC_DISARM
.nm:
	mov rax, cr0
	and eax, ~CR0_EM
	or eax, CR0_MP | CR0_TS
	mov cr0, rax
	EXPECT_VE VEC_NM, 0, "x87 instruction with CR0.EM=1: #NM"
	EXC_EXPECT .nm2
	fwait
	EXC_DISARM
.nm2:
	EXPECT_VE VEC_NM, 0, "WAIT with CR0.MP=1, TS=1: #NM"
	clts
	mov rax, cr0
	and eax, ~CR0_MP
	mov cr0, rax

	; --- #TS: IST7 past the TSS limit -----------------------------------------------------
	mov eax, SEL_TSS_SMALL
	mov ebx, tss64
	mov ecx, TSS64_IST7 - 1
	call gdt_set_tss64
	ltr ax
	IDT64_RAW VEC_INT_IST7, IDT_INT, 7
	EXC_EXPECT .ts
.ts_insn:
	int VEC_INT_IST7
	EXC_DISARM
.ts:
	EXPECT_VE VEC_TS, SEL_TSS_SMALL, "INT n, gate IST=7 past the TSS limit: #TS(TR selector)"
	mov rax, .ts_insn
	EXPECT_EQ qword [exc_ip], rax, "#TS is a fault: RIP of the INT"
	IDT64_RAW VEC_UD, IDT_INT, 7
	EXC_EXPECT .ts2
	ud2
	EXC_DISARM
.ts2:
	IDT64_RESET VEC_UD
	EXPECT_VE VEC_TS, SEL_TSS_SMALL | 1, "#UD through that gate: #TS(TR selector), EXT=1"
	call tss64_load64

	; --- #NP -------------------------------------------------------------------------------
	EXC_EXPECT .np
	mov ax, SEL_DATA_NP
.np_insn:
	mov ds, ax
	EXC_DISARM
.np:
	EXPECT_VE VEC_NP, SEL_DATA_NP, "MOV DS, not-present segment: #NP(selector)"
	mov rax, .np_insn
	EXPECT_EQ qword [exc_ip], rax, "#NP is a fault: RIP of the MOV"
	IDT64_SET VEC_INT_NP, exc64_stubs + VEC_INT_NP * EXC_STUB_SIZE, IDT_INT & 0x7f
	EXC_EXPECT .np2
	int VEC_INT_NP
	EXC_DISARM
.np2:
	EXPECT_VE VEC_NP, VEC_INT_NP * 8 + 2, "INT n to a not-present gate: #NP(vector*8+2)"
	IDT64_SET VEC_UD, exc64_stubs + VEC_UD * EXC_STUB_SIZE, IDT_INT & 0x7f
	EXC_EXPECT .np3
	ud2
	EXC_DISARM
.np3:
	IDT64_RESET VEC_UD
	EXPECT_VE VEC_NP, VEC_UD * 8 + 3, "#UD through a not-present gate: #NP(vector*8+2+EXT)"

	; --- #SS --------------------------------------------------------------------------------
	EXC_EXPECT .ssnp
	mov ax, SEL_DATA_NP
	mov ss, ax
	EXC_DISARM
.ssnp:
	EXPECT_VE VEC_SS, SEL_DATA_NP, "MOV SS, not-present segment: #SS(selector)"
	EXC_EXPECT .sscanon
	mov rbp, NONCANON
.sscanon_insn:
	mov rax, [rbp]
	EXC_DISARM
.sscanon:
	EXPECT_VE VEC_SS, 0, "non-canonical stack reference ([RBP]): #SS(0)"
	mov rax, .sscanon_insn
	EXPECT_EQ qword [exc_ip], rax, "#SS is a fault: RIP of the access"

	; --- #GP ----------------------------------------------------------------------------------
	EXC_EXPECT .gp1
	mov rbx, NONCANON
.gp1_insn:
	mov rax, [rbx]
	EXC_DISARM
.gp1:
	EXPECT_VE VEC_GP, 0, "non-canonical data reference: #GP(0)"
	mov rax, .gp1_insn
	EXPECT_EQ qword [exc_ip], rax, "#GP is a fault: RIP of the access"
	EXC_EXPECT .gp2
	mov ax, SEL_BEYOND
	mov ds, ax
	EXC_DISARM
.gp2:
	EXPECT_VE VEC_GP, SEL_BEYOND, "MOV DS, selector past the GDT limit: #GP(selector)"
	EXC_EXPECT .gp3
	mov ax, SEL_DATA32
	ltr ax
	EXC_DISARM
.gp3:
	EXPECT_VE VEC_GP, SEL_DATA32, "LTR with a data-segment selector: #GP(selector)"
	IDT64_RAW VEC_INT_BADTYPE, 0x8c, 0  ; call gate type: not allowed in the IDT
	EXC_EXPECT .gp4
	int VEC_INT_BADTYPE
	EXC_DISARM
.gp4:
	EXPECT_VE VEC_GP, VEC_INT_BADTYPE * 8 + 2, "INT n to a call-gate type in the IDT: #GP(vector*8+2)"
	mov word [idt64_desc], VEC_BEYOND_IDT * 16 - 1
	lidt [idt64_desc]
	EXC_EXPECT .gp5
	int VEC_BEYOND_IDT
	EXC_DISARM
.gp5:
	mov word [idt64_desc], 256 * 16 - 1
	lidt [idt64_desc]
	EXPECT_VE VEC_GP, VEC_BEYOND_IDT * 8 + 2, "INT n past the IDT limit: #GP(vector*8+2)"

	; --- from CPL 3 ----------------------------------------------------------------------------
	EXC_EXPECT .u1
	USER_CALL u_int_dpl3
.u1:
	EXPECT_VE VEC_INT_DPL3, 0, "CPL 3: INT n through a DPL-3 gate"
	mov rax, u_int_dpl3 + 2
	EXPECT_EQ qword [exc_ip], rax, "INT n: saved RIP after the instruction"
	EXPECT_EQ qword [exc_cs], SEL_CODE64_R3 | 3, "saved CS is the ring-3 CS"
	EXPECT_EQ qword [exc_ss], SEL_DATA_R3 | 3, "saved SS is the ring-3 SS"
	mov rax, user_stack_top
	EXPECT_EQ qword [exc_sp], rax, "saved RSP is the ring-3 RSP"
	EXC_EXPECT .u2
	USER_CALL u_int_dpl0
.u2:
	EXPECT_VE VEC_GP, VEC_INT_DPL0 * 8 + 2, "CPL 3: INT n through a DPL-0 gate: #GP(vector*8+2)"
	mov rax, u_int_dpl0
	EXPECT_EQ qword [exc_ip], rax, "that #GP is a fault: RIP of the INT"
	EXC_EXPECT .u3
	USER_CALL u_hlt
.u3:
	EXPECT_VE VEC_GP, 0, "CPL 3: HLT: #GP(0)"

	; --- #AC ------------------------------------------------------------------------------------
	mov rax, cr0
	or eax, CR0_AM
	mov cr0, rax
	EXC_EXPECT .ac
	mov ebx, ac_buf + 1
	USER_CALL user_read64, FL_AC
.ac:
	EXPECT_VE VEC_AC, 0, "CPL 3, AM=1, AC=1: misaligned read: #AC(0)"
	mov rax, user_read64
	EXPECT_EQ qword [exc_ip], rax, "#AC is a fault: RIP of the read"
	pushfq                              ; event delivery left AC = 1
	and qword [rsp], ~FL_AC
	popfq
	EXC_EXPECT .ac2
	mov ebx, ac_buf + 1
	USER_CALL user_read64
.ac2:
	EXPECT_EQ qword [exc_vector], USER_EXIT_VEC, "CPL 3, AC=0: misaligned read is allowed"
	mov rax, cr0
	and eax, ~CR0_AM
	mov cr0, rax

	; --- #PF ---------------------------------------------------------------------------------------
	EXC_EXPECT .pf
.pf_insn:
	mov eax, [PF_ADDR]
	EXC_DISARM
.pf:
	EXPECT_VE VEC_PF, 0, "read of a not-present page: #PF(0)"
	mov rax, .pf_insn
	EXPECT_EQ qword [exc_ip], rax, "#PF is a fault: RIP of the read"
	EXPECT_EQ qword [exc_cr2], PF_ADDR, "CR2 = the linear address"
	LEAVE_LONG
	ret
