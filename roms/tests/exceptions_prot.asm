; exceptions_prot.asm - exception delivery in 32-bit protected mode.
;
; Every vector the CPU raises without x87 arithmetic, each with its error
; code (or none) and return frame (SDM Vol. 3A 6.3, 6.12, 6.13, 6.15):
; faults save the EIP of the faulting instruction, traps the EIP after it;
; an event from CPL 3 also saves SS:ESP. Error codes name the selector or
; the IDT slot (bit 1) and whether the event was external (EXT, bit 0):
; INT n, INT3 and INTO are not, exceptions raised while delivering another
; exception are. INT n, INT3 and INTO check the gate's DPL against CPL
; (#GP(vector * 8 + 2)); exceptions do not.
;
; QEMU 7.2 TCG deviates: it never sets EXT in these error codes, does not
; check data-segment limits or the read-only type, nor the SS limit, and
; does not raise #AC.

%include "test.inc"
%include "ring3.inc"

SEL_TSS_SMALL   equ 0x68                ; 32-bit TSS whose limit < 67H
SEL_DATA_NP     equ 0x70                ; data segment, not present
SEL_DATA_RO     equ 0x78                ; read-only data segment
SEL_DATA_4K     equ 0x80                ; data segment, limit 0xfff
SEL_STACK_8M    equ 0x88                ; stack segment, limit 8 MiB - 1
SEL_BEYOND      equ 0x100               ; past the GDT limit (32 entries)
VEC_INT_DPL0    equ 0x43                ; DPL-0 gate
VEC_INT_DPL3    equ 0x44                ; DPL-3 gate
VEC_INT_NP      equ 0x45                ; gate not present
VEC_INT_BADTYPE equ 0x46                ; gate with a reserved type
VEC_INT_TASK    equ 0x47                ; task gate to SEL_TSS_SMALL
VEC_BEYOND_IDT  equ 0x80
DR7_L0          equ 1 << 0
DR7_L1          equ 1 << 2
DR7_W1_4        equ (1 << 20) | (3 << 22)   ; RW1 = write, LEN1 = 4 bytes
DR6_B0          equ 1 << 0
DR6_B1          equ 1 << 1
DR6_BS          equ 1 << 14
ARITH           equ FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF

; Writes a raw gate: %1 vector, %2 low dword, %3 high dword.
%macro IDT32_RAW 3
	mov dword [idt32 + (%1) * 8], %2
	mov dword [idt32 + (%1) * 8 + 4], %3
%endmacro

section .data
bounds:         dd 10, 20
bp_ran:         dd 0
watched:        dd 0
ac_buf:         dd 0, 0

section .bss
alignb 16
small_tss:      resb 128

section .text
; Ring-3 snippets: each raises its exception (or USER_EXIT).
u_int_dpl0:
	int VEC_INT_DPL0
u_int_dpl3:
	int VEC_INT_DPL3
u_int3:
	int3
u_into:
	mov al, 0x7f
	add al, 1                           ; OF = 1
u_into_insn:
	into
u_hlt:
	hlt
u_cli:
	cli

main:
	TAP_PLAN 71
	call user_init32
	mov eax, SEL_TSS_SMALL
	mov ebx, small_tss
	mov ecx, 0x66
	mov edx, GDT_ATTR_TSS
	call gdt_set32
	mov eax, SEL_DATA_NP
	xor ebx, ebx
	mov ecx, 0xfffff
	mov edx, GDT_ATTR_DATA32 & ~0x80    ; P = 0
	call gdt_set32
	mov eax, SEL_DATA_RO
	mov edx, GDT_ATTR_DATA32 & ~0x02    ; type 1: read-only, accessed
	call gdt_set32
	mov eax, SEL_DATA_4K
	mov ecx, 0xfff
	mov edx, 0x4093                     ; byte granular, B, P, read/write
	call gdt_set32
	mov eax, SEL_STACK_8M
	mov ecx, 0x7ff
	mov edx, GDT_ATTR_DATA32
	call gdt_set32
	IDT32_SET VEC_INT_DPL3, exc32_stubs + VEC_INT_DPL3 * EXC_STUB_SIZE, IDT_INT | IDT_DPL3

	; --- #DE ------------------------------------------------------------------
	EXC_EXPECT .de
	xor ecx, ecx
	mov eax, 7
	xor edx, edx
.de_insn:
	div ecx
	EXC_DISARM
.de:
	EXPECT_VE VEC_DE, 0, "DIV by 0: #DE, no error code"
	EXPECT_EQ dword [exc_ip], .de_insn, "#DE is a fault: EIP of the DIV"
	EXC_EXPECT .de2
	mov edx, 1
	xor eax, eax
	mov ecx, 1
	div ecx                             ; quotient 2^32 does not fit
	EXC_DISARM
.de2:
	EXPECT_VE VEC_DE, 0, "DIV quotient overflow: #DE"

	; --- frame of a fault at CPL 0 ----------------------------------------------
	EXC_EXPECT .ud
	xor eax, eax
	cmp eax, 0                          ; ZF = PF = 1
	stc                                 ; CF = 1
.ud_insn:
	ud2
	EXC_DISARM
.ud:
	EXPECT_VE VEC_UD, 0, "UD2: #UD, no error code"
	EXPECT_EQ dword [exc_ip], .ud_insn, "#UD is a fault: EIP of the UD2"
	EXPECT_EQ dword [exc_cs], SEL_CODE32, "saved CS"
	EXPECT_MASK dword [exc_flags], ARITH | FL_TF | FL_IF | FL_DF | FL_FIXED1, FL_ZF | FL_PF | FL_CF | FL_FIXED1, "saved EFLAGS are those before the fault"
	mov eax, [exc_recover_sp]
	EXPECT_EQ dword [exc_sp], eax, "same privilege: EIP, CS, EFLAGS pushed on the current stack"
	EXC_EXPECT .lock
	lock nop
	EXC_DISARM
.lock:
	EXPECT_VE VEC_UD, 0, "LOCK NOP: #UD"

	; --- #DB ------------------------------------------------------------------------
	xor eax, eax
	mov dr6, eax
	EXC_EXPECT .ss
	pushfd
	or dword [esp], FL_TF
	popfd
	nop                                 ; the first instruction run with TF = 1
.ss_after:
	nop
	EXC_DISARM
.ss:
	EXPECT_VE VEC_DB, 0, "TF single-step: #DB"
	EXPECT_EQ dword [exc_ip], .ss_after, "single-step is a trap: EIP after the instruction"
	EXPECT_MASK dword [exc_flags], FL_TF, FL_TF, "saved EFLAGS.TF = 1"
	mov eax, dr6
	EXPECT_MASK eax, DR6_BS, DR6_BS, "DR6.BS = 1"

	xor eax, eax
	mov dr6, eax
	mov eax, .bp_target
	mov dr0, eax
	mov eax, DR7_L0                     ; R/W0 = 00: instruction, LEN0 = 00
	mov dr7, eax
	EXC_EXPECT .ibp
	nop
.bp_target:
	mov dword [bp_ran], 1
	EXC_DISARM
.ibp:
	xor eax, eax
	mov dr7, eax
	EXPECT_VE VEC_DB, 0, "DR0 instruction breakpoint: #DB"
	EXPECT_EQ dword [exc_ip], .bp_target, "instruction breakpoint is a fault: EIP of the instruction"
	EXPECT_EQ dword [bp_ran], 0, "the instruction did not run"
	mov eax, dr6
	EXPECT_MASK eax, DR6_B0 | DR6_BS, DR6_B0, "DR6.B0 = 1"

	xor eax, eax
	mov dr6, eax
	mov eax, watched
	mov dr1, eax
	mov eax, DR7_L1 | DR7_W1_4
	mov dr7, eax
	EXC_EXPECT .dbp
	mov dword [watched], 5
.dbp_after:
	nop
	EXC_DISARM
.dbp:
	xor eax, eax
	mov dr7, eax
	EXPECT_VE VEC_DB, 0, "DR1 data write breakpoint: #DB"
	EXPECT_EQ dword [exc_ip], .dbp_after, "data breakpoint is a trap: EIP after the write"
	EXPECT_EQ dword [watched], 5, "the write was done"
	mov eax, dr6
	EXPECT_MASK eax, DR6_B1 | DR6_B0, DR6_B1, "DR6.B1 = 1"

	; --- #BP, #OF, #BR ------------------------------------------------------------------
	EXC_EXPECT .bp
	int3
.bp_after:
	EXC_DISARM
.bp:
	EXPECT_VE VEC_BP, 0, "INT3: #BP"
	EXPECT_EQ dword [exc_ip], .bp_after, "#BP is a trap: EIP after INT3"
	EXC_EXPECT .of0
	xor eax, eax                        ; OF = 0
	into
	EXC_DISARM
.of0:
	EXPECT_EQ dword [exc_vector], -1, "INTO with OF=0: no exception"
	EXC_EXPECT .of
	mov al, 0x7f
	add al, 1
	into
.of_after:
	EXC_DISARM
.of:
	EXPECT_VE VEC_OF, 0, "INTO with OF=1: #OF"
	EXPECT_EQ dword [exc_ip], .of_after, "#OF is a trap: EIP after INTO"
	EXC_EXPECT .br0
	mov eax, 15
	bound eax, [bounds]
	EXC_DISARM
.br0:
	EXPECT_EQ dword [exc_vector], -1, "BOUND within bounds: no exception"
	EXC_EXPECT .br
	mov eax, 21
.br_insn:
	bound eax, [bounds]
	EXC_DISARM
.br:
	EXPECT_VE VEC_BR, 0, "BOUND above the upper bound: #BR"
	EXPECT_EQ dword [exc_ip], .br_insn, "#BR is a fault: EIP of the BOUND"

	; --- #NM (no x87 instruction completes) ------------------------------------------------
	mov eax, cr0
	or eax, CR0_EM
	mov cr0, eax
	EXC_EXPECT .nm
.nm_insn:
	fninit
	EXC_DISARM
.nm:
	mov eax, cr0
	and eax, ~CR0_EM
	or eax, CR0_MP | CR0_TS
	mov cr0, eax
	EXPECT_VE VEC_NM, 0, "x87 instruction with CR0.EM=1: #NM"
	EXPECT_EQ dword [exc_ip], .nm_insn, "#NM is a fault: EIP of the instruction"
	EXC_EXPECT .nm2
	fwait
	EXC_DISARM
.nm2:
	EXPECT_VE VEC_NM, 0, "WAIT with CR0.MP=1, TS=1: #NM"
	clts
	mov eax, cr0
	and eax, ~CR0_MP
	mov cr0, eax

	; --- #TS ---------------------------------------------------------------------------------
	EXC_EXPECT .ts
.ts_insn:
	jmp SEL_TSS_SMALL:0
	EXC_DISARM
.ts:
	EXPECT_VE VEC_TS, SEL_TSS_SMALL, "JMP to a TSS with limit < 67H: #TS(selector)"
	EXPECT_EQ dword [exc_ip], .ts_insn, "#TS is a fault: EIP of the JMP"
	IDT32_RAW VEC_INT_TASK, SEL_TSS_SMALL << 16, 0x8500
	EXC_EXPECT .ts2
	int VEC_INT_TASK
	EXC_DISARM
.ts2:
	EXPECT_VE VEC_TS, SEL_TSS_SMALL, "INT n to that task gate: #TS(selector), EXT=0"
	IDT32_RAW VEC_BR, SEL_TSS_SMALL << 16, 0x8500
	EXC_EXPECT .ts3
	mov eax, 99
	bound eax, [bounds]
	EXC_DISARM
.ts3:
	IDT32_RESET VEC_BR
	EXPECT_VE VEC_TS, SEL_TSS_SMALL | 1, "#BR through that task gate: #TS(selector), EXT=1"

	; --- #NP --------------------------------------------------------------------------------------
	EXC_EXPECT .np
	mov ax, SEL_DATA_NP
.np_insn:
	mov ds, ax
	EXC_DISARM
.np:
	EXPECT_VE VEC_NP, SEL_DATA_NP, "MOV DS, not-present segment: #NP(selector)"
	EXPECT_EQ dword [exc_ip], .np_insn, "#NP is a fault: EIP of the MOV"
	IDT32_SET VEC_INT_NP, exc32_stubs + VEC_INT_NP * EXC_STUB_SIZE, IDT_INT & 0x7f
	EXC_EXPECT .np2
	int VEC_INT_NP
	EXC_DISARM
.np2:
	EXPECT_VE VEC_NP, VEC_INT_NP * 8 + 2, "INT n to a not-present gate: #NP(vector*8+2)"
	IDT32_SET VEC_BR, exc32_stubs + VEC_BR * EXC_STUB_SIZE, IDT_INT & 0x7f
	EXC_EXPECT .np3
	mov eax, 99
	bound eax, [bounds]
	EXC_DISARM
.np3:
	IDT32_RESET VEC_BR
	EXPECT_VE VEC_NP, VEC_BR * 8 + 3, "#BR through a not-present gate: #NP(vector*8+2+EXT)"

	; --- #SS -------------------------------------------------------------------------------------
	EXC_EXPECT .ssnp
	mov ax, SEL_DATA_NP
.ssnp_insn:
	mov ss, ax
	EXC_DISARM
.ssnp:
	EXPECT_VE VEC_SS, SEL_DATA_NP, "MOV SS, not-present segment: #SS(selector)"
	EXPECT_EQ dword [exc_ip], .ssnp_insn, "#SS is a fault: EIP of the MOV"
	EXC_EXPECT .sslim
	mov ax, SEL_STACK_8M
	mov ss, ax
	mov ebp, 0x01000000
	mov eax, [ebp]                      ; SS-relative, past the limit
	EXC_DISARM
.sslim:
	EXPECT_VE VEC_SS, 0, "SS-relative access past the SS limit: #SS(0)"

	; --- #GP -------------------------------------------------------------------------------------
	EXC_EXPECT .gp1
	mov ax, SEL_BEYOND
	mov ds, ax
	EXC_DISARM
.gp1:
	EXPECT_VE VEC_GP, SEL_BEYOND, "MOV DS, selector past the GDT limit: #GP(selector)"
	EXC_EXPECT .gp2
	mov ax, SEL_DATA_RO
	mov es, ax
.gp2_insn:
	mov dword [es:watched], 1
	EXC_DISARM
.gp2:
	EXPECT_VE VEC_GP, 0, "write through a read-only data segment: #GP(0)"
	EXPECT_EQ dword [exc_ip], .gp2_insn, "#GP is a fault: EIP of the write"
	EXC_EXPECT .gp3
	mov ax, SEL_DATA_4K
	mov es, ax
	mov eax, [es:0xffe]                 ; bytes 0xffe..0x1001
	EXC_DISARM
.gp3:
	EXPECT_VE VEC_GP, 0, "read crossing the segment limit: #GP(0)"
	IDT32_RAW VEC_INT_BADTYPE, SEL_CODE32 << 16, 0x8d00   ; type 13: reserved
	EXC_EXPECT .gp4
	int VEC_INT_BADTYPE
	EXC_DISARM
.gp4:
	EXPECT_VE VEC_GP, VEC_INT_BADTYPE * 8 + 2, "INT n to a gate of reserved type: #GP(vector*8+2)"
	mov word [idt32_desc], VEC_BEYOND_IDT * 8 - 1
	lidt [idt32_desc]
	EXC_EXPECT .gp5
	int VEC_BEYOND_IDT
	EXC_DISARM
.gp5:
	mov word [idt32_desc], 256 * 8 - 1
	lidt [idt32_desc]
	EXPECT_VE VEC_GP, VEC_BEYOND_IDT * 8 + 2, "INT n past the IDT limit: #GP(vector*8+2)"

	; --- from CPL 3 ----------------------------------------------------------------------------------
	EXC_EXPECT .u1
	USER_CALL u_int_dpl3
.u1:
	EXPECT_VE VEC_INT_DPL3, 0, "CPL 3: INT n through a DPL-3 gate"
	EXPECT_EQ dword [exc_ip], u_int_dpl3 + 2, "INT n: saved EIP after the instruction"
	EXPECT_EQ dword [exc_cs], SEL_CODE32_R3 | 3, "saved CS is the ring-3 CS"
	EXPECT_EQ dword [exc_ss], SEL_DATA_R3 | 3, "privilege change: saved SS is the ring-3 SS"
	EXPECT_EQ dword [exc_sp], user_stack_top, "privilege change: saved ESP is the ring-3 ESP"
	EXC_EXPECT .u2
	USER_CALL u_int_dpl0
.u2:
	EXPECT_VE VEC_GP, VEC_INT_DPL0 * 8 + 2, "CPL 3: INT n through a DPL-0 gate: #GP(vector*8+2)"
	EXPECT_EQ dword [exc_ip], u_int_dpl0, "that #GP is a fault: EIP of the INT"
	EXC_EXPECT .u3
	USER_CALL u_int3
.u3:
	EXPECT_VE VEC_GP, VEC_BP * 8 + 2, "CPL 3: INT3 through a DPL-0 gate: #GP(3*8+2)"
	EXC_EXPECT .u4
	USER_CALL u_into
.u4:
	EXPECT_VE VEC_GP, VEC_OF * 8 + 2, "CPL 3: INTO through a DPL-0 gate: #GP(4*8+2)"
	EXPECT_EQ dword [exc_ip], u_into_insn, "... EIP of the INTO"
	EXC_EXPECT .u5
	USER_CALL u_hlt
.u5:
	EXPECT_VE VEC_GP, 0, "CPL 3: HLT: #GP(0)"
	EXC_EXPECT .u6
	USER_CALL u_cli
.u6:
	EXPECT_VE VEC_GP, 0, "CPL 3, IOPL 0: CLI: #GP(0)"
	EXPECT_EQ dword [exc_ip], u_cli, "... EIP of the CLI"

	; --- #AC: CR0.AM = 1, EFLAGS.AC = 1, CPL 3 (SDM Vol. 3A 6.15) ------------------------------------
	mov eax, cr0
	or eax, CR0_AM
	mov cr0, eax
	EXC_EXPECT .ac
	mov ebx, ac_buf + 1
	USER_CALL user_read32, FL_AC
.ac:
	EXPECT_VE VEC_AC, 0, "CPL 3, AM=1, AC=1: misaligned read: #AC(0)"
	EXPECT_EQ dword [exc_ip], user_read32, "#AC is a fault: EIP of the read"
	EXPECT_MASK dword [exc_flags], FL_AC, FL_AC, "saved EFLAGS.AC = 1"
	pushfd                              ; event delivery left AC = 1
	and dword [esp], ~FL_AC
	popfd
	EXC_EXPECT .ac2
	mov ebx, ac_buf + 1
	USER_CALL user_read32
.ac2:
	EXPECT_EQ dword [exc_vector], USER_EXIT_VEC, "CPL 3, AC=0: misaligned read is allowed"
	EXC_EXPECT .ac3
	pushfd
	or dword [esp], FL_AC
	popfd
	mov eax, [ac_buf + 1]
	EXC_DISARM
.ac3:
	pushfd
	and dword [esp], ~FL_AC
	popfd
	EXPECT_EQ dword [exc_vector], -1, "CPL 0, AC=1: misaligned read is allowed"
	mov eax, cr0
	and eax, ~CR0_AM
	mov cr0, eax
	EXC_EXPECT .ac4
	mov ebx, ac_buf + 1
	USER_CALL user_read32, FL_AC
.ac4:
	EXPECT_EQ dword [exc_vector], USER_EXIT_VEC, "CPL 3, AM=0, AC=1: misaligned read is allowed"
	pushfd
	and dword [esp], ~FL_AC
	popfd

	; --- #PF (the paging tests cover every cause) -------------------------------------------------------
	mov eax, PG_P | PG_RW | PG_US
	call pg_build_32bit32
	mov cr3, eax
	and dword [pg32_pt + (0x00f00000 >> 12) * 4], ~PG_P
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	EXC_EXPECT .pf
.pf_insn:
	mov eax, [0x00f00abc]
	EXC_DISARM
.pf:
	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax
	EXPECT_VE VEC_PF, 0, "read of a not-present page: #PF(0)"
	EXPECT_EQ dword [exc_ip], .pf_insn, "#PF is a fault: EIP of the read"
	EXPECT_EQ dword [exc_cr2], 0x00f00abc, "CR2 = the linear address"
	ret
