; debug.asm - the debug registers and #DB (SDM Vol. 3B 18.2, 18.3).
;
; A #DB handler of its own logs every #DB (DR6, the saved EIP and EFLAGS,
; ECX, ESI, EDI and DR7 as the handler sees them) and returns, so that a
; check can follow a run of several #DBs: single-step traps (DR6.BS),
; instruction breakpoints (faults; RF set in the frame resumes them, and
; RF is cleared after one instruction), data breakpoints of every R/W
; and LEN encoding (traps after the access; the range is DRn aligned down
; to LEN; every byte of the access counts), data breakpoints hit by a
; PUSH, by a descriptor-table read and by one iteration of REP MOVSB (the
; trap comes after that iteration, EIP still at the instruction, ECX of
; the iterations done, RF = 1 in the frame), I/O breakpoints (only with
; CR4.DE = 1), general detect (DR7.GD: a fault with DR6.BD, GD cleared
; on entry), MOV SS holding a single-step trap and a data breakpoint over
; the next instruction, a task switch into a TSS with T = 1 (DR6.BT), and
; the fixed bits of DR6 and DR7.
;
; Where QEMU's TCG (7.2) deviates from the SDM the check follows the SDM
; and says so in a comment.

%include "test.inc"

DR6_FIX         equ 0xffff0ff0          ; DR6 bits that read 1 (RTM: bit 16)
DR6_B0          equ 1 << 0
DR6_B1          equ 1 << 1
DR6_B2          equ 1 << 2
DR6_B3          equ 1 << 3
DR6_BD          equ 1 << 13
DR6_BS          equ 1 << 14
DR6_BT          equ 1 << 15
DR7_FIX         equ 1 << 10
DR7_GD          equ 1 << 13
RW_X            equ 0                   ; R/W encodings (SDM table in 18.2.4)
RW_W            equ 1
RW_IO           equ 2
RW_RW           equ 3
LEN_1           equ 0                   ; LEN encodings
LEN_2           equ 1
LEN_8           equ 2
LEN_4           equ 3
EN_L            equ 1                   ; Ln
EN_G            equ 2                   ; Gn
SEL_TSS2        equ 0x68
DB_LOG_MAX      equ 16
DB_RUNAWAY      equ 64
IO_PORT         equ 0x80                ; POST port: harmless to touch

; DR7 for breakpoint n with enable bits en, R/W rw and LEN len.
%define DR7_BP(n, en, rw, len) (((en) << (2 * (n))) | ((rw) << (16 + 4 * (n))) | ((len) << (18 + 4 * (n))))

; The log entry k of the #DB handler.
%define LOG_DR6(k)      dword [db_log + (k) * 32]
%define LOG_EIP(k)      dword [db_log + (k) * 32 + 4]
%define LOG_FLAGS(k)    dword [db_log + (k) * 32 + 8]
%define LOG_ECX(k)      dword [db_log + (k) * 32 + 12]
%define LOG_DR7(k)      dword [db_log + (k) * 32 + 16]
%define LOG_ESI(k)      dword [db_log + (k) * 32 + 20]
%define LOG_EDI(k)      dword [db_log + (k) * 32 + 24]

%macro DB_RESET 0
	mov dword [db_count], 0
%endmacro

%macro SET_TF 0
	pushfd
	or dword [esp], FL_TF
	popfd
%endmacro

%macro CLEAR_TF 0
	pushfd
	and dword [esp], ~FL_TF
	popfd
%endmacro

; Loads DR7 with %1 (an immediate).
%macro LOAD_DR7 1
	mov eax, %1
	mov dr7, eax
%endmacro

; Checks: exactly one #DB, with DR6 = %2 and saved EIP = %3.
%macro EXPECT_ONE_DB 3
%strcat %%a %1, ": one #DB"
%strcat %%b %1, ": DR6"
%strcat %%c %1, ": saved EIP"
	EXPECT_EQ dword [db_count], 1, %%a
	EXPECT_EQ LOG_DR6(0), %2, %%b
	EXPECT_EQ LOG_EIP(0), %3, %%c
%endmacro

%macro EXPECT_NO_DB 1
%strcat %%a %1, ": no #DB"
	EXPECT_EQ dword [db_count], 0, %%a
%endmacro

; One data-breakpoint case: DR%1 = %5 with enables %2, R/W %3 and LEN
; %4, then the single instruction %8; %6 = 1 if it must hit (a trap:
; DR6 = B%1 and the saved EIP after the instruction), 0 if not. %7 is
; the description.
%macro DBP 8
	DB_RESET
	mov eax, %5
	mov dr%1, eax
	LOAD_DR7 DR7_BP(%1, %2, %3, %4)
	%8
%%after:
	LOAD_DR7 0
%if %6
	EXPECT_ONE_DB %7, DR6_FIX | (1 << %1), %%after
%else
	EXPECT_NO_DB %7
%endif
%endmacro

section .data
align 16
wbuf:           times 32 db 0           ; data breakpoint targets
rep_src:        db 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
rep_dst:        times 16 db 0
ss_sel:         dd SEL_DATA32
t2_ran:         dd 0
db_count:       dd 0
db_clear:       dd 1                    ; the handler clears DR6
db_set_rf:      dd 0                    ; the handler sets RF in the frame
align 32
db_log:         times DB_LOG_MAX * 8 dd 0

; A second 32-bit TSS: task 2 starts at task2_entry with T = 1.
align 16
tss2:
	dd 0                                ; previous task link
	dd 0, 0, 0, 0, 0, 0                 ; ESP0, SS0 .. ESP2, SS2
	dd 0                                ; CR3 (paging is off)
	dd task2_entry                      ; EIP
	dd 2                                ; EFLAGS
	dd 0, 0, 0, 0                       ; EAX ECX EDX EBX
	dd task2_stack_top                  ; ESP
	dd 0, 0, 0                          ; EBP ESI EDI
	dd SEL_DATA32, SEL_CODE32, SEL_DATA32 ; ES CS SS
	dd SEL_DATA32, SEL_DATA32, SEL_DATA32 ; DS FS GS
	dd 0                                ; LDT
	dw 1                                ; T
	dw 104                              ; I/O map base: no bitmap
tss2_end:

section .bss
alignb 16
task2_stack:    resb 1024
task2_stack_top:

section .text
; Logs the #DB (see the file header), clears DR6 if db_clear, sets RF
; in the frame if db_set_rf, and returns. After DB_RUNAWAY #DBs it
; disarms everything so that a broken CPU cannot loop here forever.
db_handler:
	push eax
	push ebx
	mov ebx, [db_count]
	cmp ebx, DB_LOG_MAX
	jae .logged
	shl ebx, 5
	mov eax, dr6
	mov [db_log + ebx], eax
	mov eax, [esp + 8]                  ; EIP
	mov [db_log + ebx + 4], eax
	mov eax, [esp + 16]                 ; EFLAGS
	mov [db_log + ebx + 8], eax
	mov [db_log + ebx + 12], ecx
	mov eax, dr7
	mov [db_log + ebx + 16], eax
	mov [db_log + ebx + 20], esi
	mov [db_log + ebx + 24], edi
.logged:
	add dword [db_count], 1
	cmp dword [db_count], DB_RUNAWAY
	jb .go
	xor eax, eax
	mov dr7, eax
	and dword [esp + 16], ~FL_TF
.go:
	cmp dword [db_clear], 0
	je .keep
	xor eax, eax
	mov dr6, eax
.keep:
	cmp dword [db_set_rf], 0
	je .done
	or dword [esp + 16], FL_RF
.done:
	pop ebx
	pop eax
	iretd

bits 64
; The same for IA-32e mode (RIP, RFLAGS, RCX, RSI, RDI: their low dwords).
db_handler64:
	push rax
	push rbx
	mov ebx, [db_count]
	cmp ebx, DB_LOG_MAX
	jae .logged
	shl ebx, 5
	mov rax, dr6
	mov [db_log + rbx], eax
	mov rax, [rsp + 16]                 ; RIP
	mov [db_log + rbx + 4], eax
	mov rax, [rsp + 32]                 ; RFLAGS
	mov [db_log + rbx + 8], eax
	mov [db_log + rbx + 12], ecx
	mov rax, dr7
	mov [db_log + rbx + 16], eax
	mov [db_log + rbx + 20], esi
	mov [db_log + rbx + 24], edi
.logged:
	add dword [db_count], 1
	cmp dword [db_count], DB_RUNAWAY
	jb .go
	xor eax, eax
	mov dr7, rax
	and qword [rsp + 32], ~FL_TF
.go:
	xor eax, eax
	mov dr6, rax
	pop rbx
	pop rax
	iretq
bits 32

; Task 2: its first instruction is where the T flag's #DB is reported.
task2_entry:
	mov dword [t2_ran], 1
	jmp SEL_TSS:0

main:
	TAP_PLAN 153
	IDT32_SET VEC_DB, db_handler, IDT_INT

	; --- DR6 and DR7 fixed bits (SDM Vol. 3B 18.2.3, 18.2.4) -------------
	xor eax, eax
	mov dr6, eax
	mov eax, dr6
	EXPECT_EQ eax, DR6_FIX, "DR6 = 0 reads 0xffff0ff0 (RTM bit 16 reads 1: no RTM)"
	; Bit 12 is reserved and reads 0; QEMU lets it be written.
	mov eax, 0xffffffff
	mov dr6, eax
	mov eax, dr6
	EXPECT_EQ eax, 0xffffefff, "DR6 = ~0 reads 0xffffefff (bit 12 reads 0)"
	xor eax, eax
	mov dr6, eax
	mov dr7, eax
	mov eax, dr7
	EXPECT_EQ eax, DR7_FIX, "DR7 = 0 reads 0x400 (bit 10 reads 1)"

	; --- single-step (18.3.1.4) -------------------------------------------
	DB_RESET
	SET_TF                              ; no trap after the POPF that sets TF
	nop
.s1:	mov eax, 1
.s2:	pushfd
.s3:	and dword [esp], ~FL_TF
.s4:	popfd                               ; traps: TF was 1 when it began
.s5:
	EXPECT_EQ dword [db_count], 5, "TF: one #DB after each of 5 instructions"
	EXPECT_EQ LOG_EIP(0), .s1, "TF: a trap, EIP after the instruction"
	EXPECT_EQ LOG_DR6(0), DR6_FIX | DR6_BS, "TF: DR6 = BS"
	EXPECT_MASK LOG_FLAGS(0), FL_TF | FL_RF, FL_TF, "TF: saved EFLAGS.TF = 1, RF = 0"
	EXPECT_EQ LOG_EIP(4), .s5, "TF: the POPF that clears TF still traps"

	; --- instruction breakpoint, resumed with RF (18.3.1.1) --------------
	DB_RESET
	mov dword [db_set_rf], 1
	mov eax, .ib_target
	mov dr0, eax
	LOAD_DR7 DR7_BP(0, EN_L, RW_X, LEN_1)
	mov ecx, 2
.ib_loop:
.ib_target:
	dec ecx
	jnz .ib_loop
	LOAD_DR7 0
	mov dword [db_set_rf], 0
	EXPECT_EQ dword [db_count], 2, "instruction breakpoint: one #DB each time it is reached (RF is cleared after one instruction)"
	EXPECT_EQ LOG_EIP(0), .ib_target, "instruction breakpoint: a fault, EIP of the instruction"
	EXPECT_EQ LOG_ECX(0), 2, "instruction breakpoint: before the instruction ran"
	EXPECT_EQ LOG_DR6(0), DR6_FIX | DR6_B0, "instruction breakpoint: DR6 = B0"
	EXPECT_MASK LOG_FLAGS(0), FL_RF, 0, "instruction breakpoint #DB pushes RF as it was (0)"
	EXPECT_EQ LOG_ECX(1), 1, "with RF = 1 in the frame the instruction ran once, then hit again"
	EXPECT_EQ ecx, 0, "the loop ran to its end"

	; --- data breakpoints: R/W = 01 (writes) -------------------------------
	DBP 1, EN_L, RW_W, LEN_1, wbuf + 3, 1, "W len 1: byte write on it", {mov byte [wbuf + 3], 1}
	DBP 1, EN_L, RW_W, LEN_1, wbuf + 3, 0, "W len 1: byte write after it", {mov byte [wbuf + 4], 1}
	DBP 1, EN_L, RW_W, LEN_1, wbuf + 3, 0, "W len 1: byte write before it", {mov byte [wbuf + 2], 1}
	DBP 1, EN_L, RW_W, LEN_1, wbuf + 3, 1, "W len 1: dword write covering it", {mov dword [wbuf], 1}
	DBP 1, EN_L, RW_W, LEN_2, wbuf + 2, 1, "W len 2: byte write on its last byte", {mov byte [wbuf + 3], 1}
	DBP 1, EN_L, RW_W, LEN_2, wbuf + 2, 0, "W len 2: word write after it", {mov word [wbuf + 4], 1}
	DBP 1, EN_L, RW_W, LEN_2, wbuf + 2, 1, "W len 2: misaligned word write on its first byte", {mov word [wbuf + 1], 1}
	DBP 1, EN_L, RW_W, LEN_4, wbuf + 4, 1, "W len 4: byte write on its last byte", {mov byte [wbuf + 7], 1}
	DBP 1, EN_L, RW_W, LEN_4, wbuf + 4, 0, "W len 4: dword write after it", {mov dword [wbuf + 8], 1}
	DBP 1, EN_L, RW_W, LEN_4, wbuf + 4, 1, "W len 4: misaligned dword write on its first byte", {mov dword [wbuf + 1], 1}
	DBP 1, EN_L, RW_W, LEN_4, wbuf + 4, 0, "W len 4: a read does not hit a write breakpoint", {mov eax, [wbuf + 4]}
	DBP 1, EN_L, RW_W, LEN_8, wbuf + 8, 1, "W len 8: byte write on its last byte", {mov byte [wbuf + 15], 1}
	DBP 1, EN_L, RW_W, LEN_8, wbuf + 8, 0, "W len 8: byte write after it", {mov byte [wbuf + 16], 1}
	DBP 1, EN_L, RW_W, LEN_8, wbuf + 8, 0, "W len 8: byte write before it", {mov byte [wbuf + 7], 1}

	; --- data breakpoints: R/W = 11 (reads and writes) ----------------------
	DBP 1, EN_L, RW_RW, LEN_1, wbuf + 5, 1, "RW len 1: byte read", {mov al, [wbuf + 5]}
	DBP 1, EN_L, RW_RW, LEN_1, wbuf + 5, 0, "RW len 1: byte read after it", {mov al, [wbuf + 6]}
	DBP 1, EN_L, RW_RW, LEN_2, wbuf + 6, 1, "RW len 2: byte read of its last byte", {mov al, [wbuf + 7]}
	DBP 1, EN_L, RW_RW, LEN_4, wbuf + 4, 1, "RW len 4: dword read", {mov eax, [wbuf + 4]}
	DBP 1, EN_L, RW_RW, LEN_4, wbuf + 4, 1, "RW len 4: dword write", {mov dword [wbuf + 4], 2}
	DBP 1, EN_L, RW_RW, LEN_4, wbuf + 4, 1, "RW len 4: read-modify-write is one #DB", {add dword [wbuf + 4], 1}
	DBP 1, EN_L, RW_RW, LEN_8, wbuf + 8, 1, "RW len 8: dword read of its upper half", {mov eax, [wbuf + 12]}
	DBP 1, EN_L, RW_RW, LEN_8, wbuf + 8, 0, "RW len 8: dword read before it", {mov eax, [wbuf + 4]}

	; --- the range is DRn with its low bits cleared to LEN (18.2.5) ---------
	; QEMU takes DRn as the first byte instead and misses the first case
	; and hits the second.
	DBP 1, EN_L, RW_W, LEN_4, wbuf + 5, 1, "W len 4, DR1 = 4n+1: the aligned dword's first byte hits", {mov byte [wbuf + 4], 1}
	DBP 1, EN_L, RW_W, LEN_4, wbuf + 5, 0, "W len 4, DR1 = 4n+1: the byte after the aligned dword does not", {mov byte [wbuf + 8], 1}
	DBP 1, EN_L, RW_W, LEN_8, wbuf + 9, 1, "W len 8, DR1 = 8n+1: the aligned qword's first byte hits", {mov byte [wbuf + 8], 1}

	; --- every breakpoint register, and the enables ----------------------------
	DBP 0, EN_L, RW_W, LEN_1, wbuf + 1, 1, "DR0 W len 1", {mov byte [wbuf + 1], 1}
	DBP 2, EN_L, RW_RW, LEN_2, wbuf + 2, 1, "DR2 RW len 2", {mov al, [wbuf + 2]}
	DBP 3, EN_L, RW_W, LEN_8, wbuf + 16, 1, "DR3 W len 8", {mov dword [wbuf + 20], 1}
	DBP 1, EN_G, RW_W, LEN_4, wbuf + 4, 1, "G1 alone enables DR1", {mov byte [wbuf + 4], 1}
	; L1 = G1 = 0, but L0 set (for an unrelated address) so that DR7
	; has an enable bit: the match of DR1 must not be reported.
	DB_RESET
	mov eax, wbuf + 4
	mov dr1, eax
	mov eax, wbuf + 24
	mov dr0, eax
	LOAD_DR7 DR7_BP(0, EN_L, RW_W, LEN_1) | DR7_BP(1, 0, RW_W, LEN_4)
	mov byte [wbuf + 4], 1
	LOAD_DR7 0
	EXPECT_NO_DB "DR1 with L1 = G1 = 0"

	; Two breakpoints on the same bytes: one #DB with both B bits (each
	; Bn is set when its condition is met, 18.2.3); QEMU sets B0 only.
	DB_RESET
	mov eax, wbuf + 4
	mov dr0, eax
	mov dr1, eax
	LOAD_DR7 DR7_BP(0, EN_L, RW_W, LEN_4) | DR7_BP(1, EN_G, RW_RW, LEN_1)
	mov dword [wbuf + 4], 3
.two_after:
	LOAD_DR7 0
	EXPECT_ONE_DB "DR0 and DR1 both hit", DR6_FIX | DR6_B0 | DR6_B1, .two_after

	; --- implicit accesses: the stack and descriptor tables ------------------
	DB_RESET
	lea eax, [esp - 4]                  ; the slot the PUSH writes
	mov dr1, eax
	LOAD_DR7 DR7_BP(1, EN_L, RW_W, LEN_4)
	push ebx
.push_after:
	pop ebx
	LOAD_DR7 0
	EXPECT_ONE_DB "PUSH onto a write breakpoint", DR6_FIX | DR6_B1, .push_after

	; MOV DS reads the descriptor of SEL_DATA32 in the GDT.
	DB_RESET
	mov eax, gdt + SEL_DATA32
	mov dr1, eax
	LOAD_DR7 DR7_BP(1, EN_L, RW_RW, LEN_8)
	mov ax, SEL_DATA32
	mov ds, ax
.ds_after:
	LOAD_DR7 0
	EXPECT_ONE_DB "MOV DS reads its GDT descriptor", DR6_FIX | DR6_B1, .ds_after

	; --- REP MOVSB: the trap follows the iteration that hit -------------------
	; 18.3.1.2: a repeated string instruction reports a data breakpoint
	; after the iteration that hit; 18.3.1.1: a trap from any iteration
	; but the last pushes RF = 1 (QEMU pushes 0 here and below).
	DB_RESET
	mov eax, rep_dst + 5
	mov dr1, eax
	LOAD_DR7 DR7_BP(1, EN_L, RW_W, LEN_1)
	mov esi, rep_src
	mov edi, rep_dst
	mov ecx, 16
.rep_insn:
	rep movsb
.rep_after:
	LOAD_DR7 0
	EXPECT_ONE_DB "REP MOVSB, byte 5 watched", DR6_FIX | DR6_B1, .rep_insn
	EXPECT_EQ LOG_ECX(0), 10, "REP MOVSB: ECX counts the 6 iterations done"
	EXPECT_EQ LOG_ESI(0), rep_src + 6, "REP MOVSB: ESI after 6 iterations"
	EXPECT_EQ LOG_EDI(0), rep_dst + 6, "REP MOVSB: EDI after 6 iterations"
	EXPECT_MASK LOG_FLAGS(0), FL_RF, FL_RF, "REP MOVSB: the trap between iterations pushes RF = 1"
	EXPECT_EQ ecx, 0, "REP MOVSB: resumed and finished"
	EXPECT_EQ dword [rep_dst + 12], 0x0f0e0d0c, "REP MOVSB: copied everything"

	; After the last iteration the instruction is complete: the trap's
	; EIP is past it. QEMU reports the instruction's own EIP (with ECX = 0).
	DB_RESET
	mov eax, rep_dst + 15
	mov dr1, eax
	LOAD_DR7 DR7_BP(1, EN_L, RW_W, LEN_1)
	mov esi, rep_src
	mov edi, rep_dst
	mov ecx, 16
	rep movsb
.rep_last_after:
	LOAD_DR7 0
	EXPECT_ONE_DB "REP MOVSB, last byte watched", DR6_FIX | DR6_B1, .rep_last_after
	EXPECT_MASK LOG_FLAGS(0), FL_RF, 0, "REP MOVSB: after the last iteration RF = 0 is pushed"

	; --- single-step through REP MOVSB: a trap after every iteration ----------
	DB_RESET
	mov esi, rep_src
	mov edi, rep_dst
	mov ecx, 3
	SET_TF
.tr_insn:
	rep movsb
.tr_after:
	CLEAR_TF
	EXPECT_EQ dword [db_count], 6, "TF over REP MOVSB (3 iterations) and CLEAR_TF: 6 traps"
	EXPECT_EQ LOG_EIP(0), .tr_insn, "TF over REP MOVSB: first trap at the instruction"
	EXPECT_EQ LOG_ECX(0), 2, "TF over REP MOVSB: after one iteration"
	EXPECT_MASK LOG_FLAGS(0), FL_RF, FL_RF, "TF over REP MOVSB: RF = 1 pushed between iterations"
	EXPECT_EQ LOG_EIP(2), .tr_after, "TF over REP MOVSB: the last iteration's trap is after it"
	EXPECT_EQ LOG_ECX(2), 0, "TF over REP MOVSB: ECX = 0 at the last trap"

	; --- I/O breakpoints (R/W = 10 with CR4.DE = 1) --------------------------
	mov eax, cr4
	or eax, CR4_DE
	mov cr4, eax
	DBP 2, EN_L, RW_IO, LEN_1, IO_PORT, 1, "I/O len 1: OUT imm8", {out IO_PORT, al}
	DBP 2, EN_L, RW_IO, LEN_1, IO_PORT, 0, "I/O len 1: OUT to the next port", {out IO_PORT + 1, al}
	DBP 2, EN_L, RW_IO, LEN_4, IO_PORT, 1, "I/O len 4: IN from its last port", {in al, IO_PORT + 3}
	DBP 2, EN_L, RW_IO, LEN_4, IO_PORT, 0, "I/O len 4: IN from the port after it", {in al, IO_PORT + 4}
	mov dx, IO_PORT - 1
	DBP 2, EN_L, RW_IO, LEN_2, IO_PORT, 1, "I/O len 2: 16-bit OUT DX reaching into it", {out dx, ax}
	DBP 2, EN_L, RW_IO, LEN_1, IO_PORT, 0, "I/O breakpoint: a memory access at the same address", {mov al, [IO_PORT]}
	mov eax, cr4
	and eax, ~CR4_DE
	mov cr4, eax
	; Without CR4.DE, R/W = 10 is undefined; vmxsim treats it as no
	; breakpoint. QEMU reports it anyway.
	DBP 2, EN_L, RW_IO, LEN_1, IO_PORT, 0, "R/W = 10 with CR4.DE = 0: no I/O breakpoint", {out IO_PORT, al}

	; --- general detect (18.2.4, 18.3.1.3) -----------------------------------
	; QEMU 7.2 does not implement DR7.GD: the MOV runs without a #DB.
	DB_RESET
	LOAD_DR7 DR7_GD
.gd_insn:
	mov eax, dr0
.gd_after:
	EXPECT_ONE_DB "MOV from DR0 with DR7.GD = 1", DR6_FIX | DR6_BD, .gd_insn
	EXPECT_EQ LOG_DR7(0), DR7_FIX, "general detect: GD is clear in the handler"
	; A fault other than an instruction breakpoint pushes RF = 1; QEMU
	; pushes RF = 0.
	EXPECT_MASK LOG_FLAGS(0), FL_RF, FL_RF, "general detect #DB pushes RF = 1"
	mov eax, dr7
	EXPECT_EQ eax, DR7_FIX, "after the handler, DR7.GD stays clear"

	; --- MOV SS holds debug traps over the next instruction (Vol. 3A 6.8.3) ----
	DB_RESET
	mov ax, ss
	SET_TF
	nop
.m1:	mov ss, ax                          ; no trap after it
.m2:	nop                                 ; traps for both
.m3:	CLEAR_TF
	EXPECT_EQ dword [db_count], 5, "TF over MOV SS: no trap right after MOV SS"
	EXPECT_EQ LOG_EIP(0), .m1, "TF over MOV SS: trap before it as usual"
	EXPECT_EQ LOG_EIP(1), .m3, "TF over MOV SS: the trap comes after the next instruction"
	EXPECT_EQ LOG_DR6(1), DR6_FIX | DR6_BS, "TF over MOV SS: DR6 = BS"

	; A data breakpoint hit by MOV SS is held the same way; QEMU reports
	; it right after the MOV SS.
	DB_RESET
	mov eax, ss_sel
	mov dr1, eax
	LOAD_DR7 DR7_BP(1, EN_L, RW_RW, LEN_2)
	mov ss, [ss_sel]
	mov ebx, 1
.mss_after:
	LOAD_DR7 0
	EXPECT_ONE_DB "data breakpoint on MOV SS", DR6_FIX | DR6_B1, .mss_after

	; --- DR6 bits accumulate: the processor never clears BD, BS, BT ------------
	DB_RESET
	mov dword [db_clear], 0
	xor eax, eax
	mov dr6, eax
	SET_TF
	CLEAR_TF                            ; traps after PUSHFD, AND, POPFD
	mov eax, wbuf + 4
	mov dr1, eax
	mov eax, wbuf + 8
	mov dr2, eax
	LOAD_DR7 DR7_BP(1, EN_L, RW_W, LEN_4) | DR7_BP(2, EN_L, RW_W, LEN_4)
	mov byte [wbuf + 4], 1
	mov byte [wbuf + 8], 1
	LOAD_DR7 0
	mov dword [db_clear], 1
	EXPECT_EQ dword [db_count], 5, "accumulation: 3 single-steps and 2 data breakpoints"
	EXPECT_EQ LOG_DR6(3), DR6_FIX | DR6_BS | DR6_B1, "DR6.BS stays set at a later data breakpoint"
	EXPECT_EQ LOG_DR6(4), DR6_FIX | DR6_BS | DR6_B2, "B0-B3 show the breakpoints of this #DB"
	xor eax, eax
	mov dr6, eax

	; --- IA-32e mode: RCX, RSI, RDI of REP MOVSB, LEN 8, PUSH ---------------
	IDT64_SET VEC_DB, db_handler64, IDT_INT
	DB_RESET
	ENTER_LONG
	mov eax, rep_dst + 5
	mov dr1, rax
	mov eax, DR7_BP(1, EN_L, RW_W, LEN_1)
	mov dr7, rax
	mov esi, rep_src
	mov edi, rep_dst
	mov ecx, 16
.l_rep:
	rep movsb
	mov eax, wbuf + 8
	mov dr1, rax
	mov eax, DR7_BP(1, EN_L, RW_W, LEN_8)
	mov dr7, rax
	mov [wbuf + 8], rax
.l_mov_after:
	lea rax, [rsp - 8]                  ; the slot PUSH RAX writes
	mov dr1, rax
	push rax
.l_push_after:
	pop rax
	xor eax, eax
	mov dr7, rax
	LEAVE_LONG
	EXPECT_EQ dword [db_count], 3, "IA-32e mode: three #DBs"
	EXPECT_EQ LOG_EIP(0), .l_rep, "IA-32e REP MOVSB: RIP at the instruction"
	EXPECT_EQ LOG_ECX(0), 10, "IA-32e REP MOVSB: RCX counts the 6 iterations done"
	EXPECT_EQ LOG_ESI(0), rep_src + 6, "IA-32e REP MOVSB: RSI after 6 iterations"
	EXPECT_EQ LOG_EDI(0), rep_dst + 6, "IA-32e REP MOVSB: RDI after 6 iterations"
	EXPECT_MASK LOG_FLAGS(0), FL_RF, FL_RF, "IA-32e REP MOVSB: RF = 1 pushed"
	EXPECT_EQ LOG_DR6(1), DR6_FIX | DR6_B1, "IA-32e W len 8: qword write: DR6"
	EXPECT_EQ LOG_EIP(1), .l_mov_after, "IA-32e W len 8: qword write: RIP after it"
	EXPECT_EQ LOG_EIP(2), .l_push_after, "IA-32e PUSH RAX onto a len 8 breakpoint: RIP after it"

	; --- task switch into a TSS with T = 1 (Vol. 3A 7.2.1, 18.3.1.5) ---------
	; QEMU 7.2 ignores the T flag.
	DB_RESET
	mov eax, SEL_TSS2
	mov ebx, tss2
	mov ecx, tss2_end - tss2 - 1
	call gdt_set_tss32
	jmp SEL_TSS2:0
.t_back:
	clts                                ; the task switches set CR0.TS
	EXPECT_EQ dword [t2_ran], 1, "task 2 ran and switched back"
	EXPECT_ONE_DB "task switch with T = 1", DR6_FIX | DR6_BT, task2_entry
	ret
