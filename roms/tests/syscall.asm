; syscall.asm - fast system calls: SYSCALL/SYSRET in IA-32e mode and
; SYSENTER/SYSEXIT in 32-bit protected mode and 64-bit mode (SDM Vol. 2B
; SYSCALL, SYSRET, SYSENTER, SYSEXIT; Vol. 3A "Fast System Calls").
;
; Selectors come from the library's GDT, laid out for these instructions:
;   STAR[47:32] = SEL_CODE64 (0x38)     SYSCALL: CS 0x38, SS 0x40
;   STAR[63:48] = SEL_CODE32_R3 (0x18)  SYSRET: 64-bit CS 0x2b, SS 0x23;
;                                       32-bit CS 0x1b
;   SYSENTER_CS = SEL_CODE32 (0x08)     SYSENTER: CS 0x08, SS 0x10
;                                       SYSEXIT: 32-bit CS 0x1b, SS 0x23;
;                                       64-bit CS 0x2b, SS 0x33
; Ring-3 code records what it sees in memory; the kernel side asserts it.
;
; Intel-only behaviour asserted here (the SDM's; AMD differs, and so does
; QEMU TCG where noted in the report): SYSCALL is #UD in compatibility
; mode; SYSRET with a non-canonical RCX faults at CPL 0; SYSENTER and
; SYSEXIT work in 64-bit mode.

%include "test.inc"

USER_FLAGS      equ FL_CF | FL_DF | FL_AC | FL_FIXED1
; SDM SYSRET: RFLAGS = (R11 & 3C7FD7H) | 2: RF, VM and reserved bits drop.
SYSRET_R11_DIRTY equ FL_CF | FL_RF | FL_VM | (1 << 3) | (1 << 5) | (1 << 15)
SYSRET_R11_CLEAN equ (SYSRET_R11_DIRTY & 0x3c7fd7) | 2
SYSCALL_FMASK   equ FL_DF | FL_AC | FL_IF | FL_TF
USER_CS64       equ SEL_CODE64_R3 | 3
USER_CS32       equ SEL_CODE32_R3 | 3
USER_SS         equ SEL_DATA_R3 | 3
USER_SS64_SYSEXIT equ SEL_DATA_R3B | 3
PIC1_DATA       equ 0x21
PIC2_DATA       equ 0xa1

; Sets every recorded value to -1, so a value a run did not record is
; never mistaken for one it did.
%macro CLEAR_RECORDS 0
	LIB_PUSH di, cx, ax
	mov edi, records
	mov ecx, (records_end - records) / 4
	mov eax, -1
	rep stosd
	LIB_POP di, cx, ax
%endmacro

; Writes MSR %1 with the 32-bit value %2 (high half 0).
%macro WRMSR32 2
	mov ecx, %1
	mov eax, %2
	xor edx, edx
	wrmsr
%endmacro

section .text
main:
	TAP_PLAN 45
	mov al, 0xff                        ; no device interrupts while IF=1
	out PIC1_DATA, al
	out PIC2_DATA, al
	call test_syscall
	call test_sysenter32
	call test_sysenter64
	ret

; ---------------------------------------------------------------------------
; SYSCALL / SYSRET in IA-32e mode
test_syscall:
	ENTER_LONG
	; SYSCALL with EFER.SCE = 0 is #UD.
	EXC_EXPECT .sce_off
	syscall
	EXC_DISARM
.sce_off:
	EXPECT_EQ qword [exc_vector], VEC_UD, "SYSCALL with EFER.SCE=0 raises #UD"

	mov ecx, MSR_IA32_EFER
	rdmsr
	or eax, EFER_SCE
	wrmsr
	mov ecx, MSR_IA32_STAR
	xor eax, eax
	mov edx, (SEL_CODE32_R3 << 16) | SEL_CODE64
	wrmsr
	WRMSR32 MSR_IA32_LSTAR, syscall_entry
	WRMSR32 MSR_IA32_CSTAR, cstar_entry
	WRMSR32 MSR_IA32_FMASK, SYSCALL_FMASK

	; SYSRET (REX.W) to 64-bit ring 3, which SYSCALLs back. Armed so that
	; a fault in ring 3 is reported rather than fatal.
	mov [k_rsp], rsp
	CLEAR_RECORDS
	mov qword [s_cont], .back64
	EXC_EXPECT .back64
	mov ecx, user64
	mov r11d, USER_FLAGS
	o64 sysret
.back64:
	EXC_DISARM
	EXPECT_EQ qword [u_cs], USER_CS64, "SYSRET64: CS = STAR[63:48]+16, RPL 3 (CPL 3)"
	EXPECT_EQ qword [u_ss], USER_SS, "SYSRET64: SS = STAR[63:48]+8, RPL 3"
	EXPECT_EQ qword [u_flags], USER_FLAGS, "SYSRET64: RFLAGS = R11"
	EXPECT_EQ qword [s_rcx], user64_after_syscall, "SYSCALL: RCX = address of the next instruction"
	EXPECT_EQ qword [s_r11], USER_FLAGS, "SYSCALL: R11 = RFLAGS at the SYSCALL"
	EXPECT_EQ qword [s_flags], USER_FLAGS & ~SYSCALL_FMASK, "SYSCALL: RFLAGS masked by IA32_FMASK"
	EXPECT_EQ qword [s_cs], SEL_CODE64, "SYSCALL: CS = STAR[47:32] (CPL 0)"
	EXPECT_EQ qword [s_ss], SEL_DATA64, "SYSCALL: SS = STAR[47:32]+8"
	EXPECT_EQ qword [s_rsp], user_stack_top, "SYSCALL: RSP is not changed"
	EXPECT_EQ qword [s_rip_ok], 1, "SYSCALL: RIP = IA32_LSTAR"

	; SYSRET drops RF, VM and reserved bits of R11.
	CLEAR_RECORDS
	mov qword [s_cont], .back_dirty
	EXC_EXPECT .back_dirty
	mov ecx, user64_flags
	mov r11d, SYSRET_R11_DIRTY
	o64 sysret
.back_dirty:
	EXC_DISARM
	EXPECT_EQ qword [u_flags], SYSRET_R11_CLEAN, "SYSRET64: RFLAGS = (R11 & 3C7FD7h) | 2"

	; SYSRET without REX.W: 32-bit compatibility mode at ring 3. There,
	; SYSCALL is #UD on Intel processors (SDM SYSCALL, compatibility mode
	; exceptions); AMD processors and QEMU use IA32_CSTAR instead.
	CLEAR_RECORDS
	mov qword [s_cont], .back_compat
	EXC_EXPECT .back_compat
	mov ecx, user32
	mov r11d, FL_FIXED1
	sysret
.back_compat:
	EXPECT_EQ qword [u_cs], USER_CS32, "SYSRET32: CS = STAR[63:48], RPL 3"
	EXPECT_EQ qword [u_ss], USER_SS, "SYSRET32: SS = STAR[63:48]+8, RPL 3"
	EXPECT_EQ qword [exc_vector], VEC_UD, "SYSCALL in compatibility mode raises #UD"
	EXPECT_EQ qword [exc_cs], USER_CS32, "... in the ring-3 compatibility-mode code"
	EXPECT_EQ qword [s_via_cstar], -1, "... and does not enter IA32_CSTAR"

	; SYSRET at CPL 3 is #GP(0).
	EXC_EXPECT .sysret_cpl3
	mov ecx, user64_sysret
	mov r11d, FL_FIXED1
	o64 sysret
.sysret_cpl3:
	EXPECT_EQ qword [exc_vector], VEC_GP, "SYSRET at CPL 3 raises #GP"
	EXPECT_EQ qword [exc_cs], USER_CS64, "... in ring 3"

	; SYSRET to a non-canonical RCX is #GP(0) at CPL 0, before anything
	; changes (SDM SYSRET; AMD processors fault after the switch to ring 3).
	EXC_EXPECT .noncanon
	mov rcx, 0x0000800000000000
	mov r11d, FL_FIXED1
.sysret_nc:
	o64 sysret
	EXC_DISARM
.noncanon:
	EXPECT_EQ qword [exc_vector], VEC_GP, "SYSRET with a non-canonical RCX raises #GP"
	EXPECT_EQ qword [exc_error], 0, "... with error code 0"
	EXPECT_EQ qword [exc_cs], SEL_CODE64, "... at CPL 0 (kernel CS in the frame)"
	EXPECT_EQ qword [exc_ip], .sysret_nc, "... on the SYSRET itself"

	mov ecx, MSR_IA32_EFER
	rdmsr
	and eax, ~EFER_SCE
	wrmsr
	LEAVE_LONG
	ret

bits 64
; Ring 3, 64-bit, entered by SYSRET.
user64:
	mov ax, cs
	movzx eax, ax
	mov [u_cs], rax
	mov ax, ss
	movzx eax, ax
	mov [u_ss], rax
	mov esp, user_stack_top
	pushfq
	pop qword [u_flags]
	syscall
user64_after_syscall:
	ud2                                 ; not reached: the kernel continues

user64_flags:
	mov esp, user_stack_top
	pushfq
	pop qword [u_flags]
	syscall
	ud2

user64_sysret:
	o64 sysret

; SYSCALL target: records the state, returns to the kernel's stack.
syscall_entry:
	mov [s_rcx], rcx
	mov [s_r11], r11
	mov [s_rsp], rsp
	mov ax, cs
	movzx eax, ax
	mov [s_cs], rax
	mov ax, ss
	movzx eax, ax
	mov [s_ss], rax
	pushfq
	pop qword [s_flags]
	mov qword [s_rip_ok], 1
	mov rsp, [k_rsp]
	jmp [s_cont]

; IA32_CSTAR target (only an AMD-style SYSCALL from compatibility mode).
cstar_entry:
	mov qword [s_via_cstar], 1
	mov rsp, [k_rsp]
	EXC_DISARM
	jmp [s_cont]

bits 32
; Ring 3, compatibility mode, entered by SYSRET without REX.W.
user32:
	mov ax, cs
	movzx eax, ax
	mov [u_cs], eax
	mov dword [u_cs + 4], 0
	mov ax, ss
	movzx eax, ax
	mov [u_ss], eax
	mov dword [u_ss + 4], 0
	syscall
	ud2

; ---------------------------------------------------------------------------
; SYSENTER / SYSEXIT in 32-bit protected mode (paging off)
test_sysenter32:
	; SYSENTER and SYSEXIT with IA32_SYSENTER_CS = 0 are #GP(0).
	WRMSR32 MSR_IA32_SYSENTER_CS, 0
	WRMSR32 MSR_IA32_SYSENTER_EIP, sysenter_entry32
	WRMSR32 MSR_IA32_SYSENTER_ESP, ring0_stack_top
	EXC_EXPECT .cs0
	sysenter
	EXC_DISARM
.cs0:
	EXPECT_EQ dword [exc_vector], VEC_GP, "SYSENTER with IA32_SYSENTER_CS=0 raises #GP"
	EXPECT_EQ dword [exc_error], 0, "... with error code 0"
	EXC_EXPECT .cs0_exit
	mov ecx, user_stack_top
	mov edx, user32s
	sysexit
	EXC_DISARM
.cs0_exit:
	EXPECT_EQ dword [exc_vector], VEC_GP, "SYSEXIT with IA32_SYSENTER_CS=0 raises #GP"
	EXPECT_EQ dword [exc_error], 0, "... with error code 0"

	WRMSR32 MSR_IA32_SYSENTER_CS, SEL_CODE32
	mov ecx, MSR_IA32_SYSENTER_ESP
	mov eax, esp
	xor edx, edx
	wrmsr
	mov [k_rsp], esp
	CLEAR_RECORDS
	mov dword [s_cont], .back
	EXC_EXPECT .back
	mov ecx, user_stack_top - 16
	mov edx, user32s
	pushfd
	or dword [esp], FL_IF               ; SYSENTER must clear it
	popfd
	sysexit
.back:
	EXC_DISARM
	EXPECT_EQ dword [u_cs], USER_CS32, "SYSEXIT: CS = SYSENTER_CS+16, RPL 3 (CPL 3)"
	EXPECT_EQ dword [u_ss], USER_SS, "SYSEXIT: SS = SYSENTER_CS+24, RPL 3"
	EXPECT_EQ dword [u_sp], user_stack_top - 16, "SYSEXIT: ESP = ECX"
	EXPECT_EQ dword [u_ip], user32s.here, "SYSEXIT: EIP = EDX"
	EXPECT_EQ dword [s_cs], SEL_CODE32, "SYSENTER: CS = SYSENTER_CS (CPL 0)"
	EXPECT_EQ dword [s_ss], SEL_DATA32, "SYSENTER: SS = SYSENTER_CS+8"
	EXPECT_EQ dword [s_rsp], dword [k_rsp], "SYSENTER: ESP = IA32_SYSENTER_ESP"
	EXPECT_MASK dword [s_flags], FL_IF, 0, "SYSENTER: IF cleared"

	; SYSEXIT at CPL 3 is #GP(0).
	EXC_EXPECT .exit_cpl3
	mov ecx, user_stack_top
	mov edx, user32s_sysexit
	sysexit
.exit_cpl3:
	EXPECT_EQ dword [exc_vector], VEC_GP, "SYSEXIT at CPL 3 raises #GP"
	EXPECT_EQ dword [exc_cs], USER_CS32, "... in ring 3"
	ret

; Ring 3, 32-bit, entered by SYSEXIT.
user32s:
	call .here
.here:
	pop dword [u_ip]
	mov [u_sp], esp
	mov ax, cs
	movzx eax, ax
	mov [u_cs], eax
	mov ax, ss
	movzx eax, ax
	mov [u_ss], eax
	sysenter
	ud2

user32s_sysexit:
	sysexit

sysenter_entry32:
	mov [s_rsp], esp
	mov ax, cs
	movzx eax, ax
	mov [s_cs], eax
	mov ax, ss
	movzx eax, ax
	mov [s_ss], eax
	pushfd
	pop dword [s_flags]
	jmp [s_cont]

; ---------------------------------------------------------------------------
; SYSENTER / SYSEXIT in 64-bit mode (Intel; AMD processors raise #UD)
test_sysenter64:
	ENTER_LONG
	WRMSR32 MSR_IA32_SYSENTER_CS, SEL_CODE32
	WRMSR32 MSR_IA32_SYSENTER_EIP, sysenter_entry64
	mov ecx, MSR_IA32_SYSENTER_ESP
	mov eax, esp
	xor edx, edx
	wrmsr
	mov [k_rsp], rsp
	CLEAR_RECORDS
	mov qword [s_cont], .back
	EXC_EXPECT .back
	mov ecx, user_stack_top - 32
	mov edx, user64s
	o64 sysexit
.back:
	EXPECT_EQ qword [u_cs], USER_CS64, "SYSEXIT64: CS = SYSENTER_CS+32, RPL 3"
	EXPECT_EQ qword [u_ss], USER_SS64_SYSEXIT, "SYSEXIT64: SS = SYSENTER_CS+40, RPL 3"
	EXPECT_EQ qword [u_sp], user_stack_top - 32, "SYSEXIT64: RSP = RCX"
	mov rbx, 0x100000000
	EXPECT_EQ qword [u_rax], rbx, "SYSEXIT64: ring 3 runs in 64-bit mode"
	EXPECT_EQ qword [s_cs], SEL_CODE32, "SYSENTER in 64-bit mode: CS = SYSENTER_CS"
	EXPECT_EQ qword [s_ss], SEL_DATA32, "SYSENTER in 64-bit mode: SS = SYSENTER_CS+8"
	EXPECT_EQ qword [s_rsp], qword [k_rsp], "SYSENTER in 64-bit mode: RSP = IA32_SYSENTER_ESP"
	EXPECT_EQ qword [s_rax], rbx, "SYSENTER in 64-bit mode: CS.L=1 although the GDT entry is 32-bit"
	EXC_DISARM
	LEAVE_LONG
	ret

bits 64
user64s:
	mov [u_sp], rsp
	mov ax, cs
	movzx eax, ax
	mov [u_cs], rax
	mov ax, ss
	movzx eax, ax
	mov [u_ss], rax
	mov eax, 0xffffffff
	db 0x48, 0xff, 0xc0                 ; INC RAX only in 64-bit mode
	mov [u_rax], rax
	sysenter
	ud2

sysenter_entry64:
	mov [s_rsp], rsp
	mov ax, cs
	movzx eax, ax
	mov [s_cs], rax
	mov ax, ss
	movzx eax, ax
	mov [s_ss], rax
	mov eax, 0xffffffff
	db 0x48, 0xff, 0xc0
	mov [s_rax], rax
	push SEL_CODE64                     ; back to the GDT's 64-bit CS
	push .cs
	o64 retf
.cs:
	EXC_DISARM
	jmp [s_cont]
bits 32

section .data
align 8
k_rsp:          dq 0
s_cont:         dq 0
records:
s_rcx:          dq 0
s_r11:          dq 0
s_rsp:          dq 0
s_cs:           dq 0
s_ss:           dq 0
s_flags:        dq 0
s_rax:          dq 0
s_rip_ok:       dq 0
s_via_cstar:    dq 0
u_cs:           dq 0
u_ss:           dq 0
u_sp:           dq 0
u_ip:           dq 0
u_flags:        dq 0
u_rax:          dq 0
records_end:

section .bss
alignb 16
user_stack:     resb 4096
user_stack_top:
