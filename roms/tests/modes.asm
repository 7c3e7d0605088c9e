; modes.asm - processor mode transitions and what each mode looks like.
;
; Path: protected mode (multiboot) -> real mode -> protected mode ->
; IA-32e compatibility mode -> 64-bit mode -> compatibility mode ->
; protected mode -> real mode -> protected mode. At each step it checks
; CR0/CR4/EFER, the mode rules that raise #GP (SDM Vol. 3A 4.1.2
; "Paging-Mode Enabling"), and how CS.D / CS.L / real mode set operand
; size, instruction decoding and address formation. The long-mode switch is done by hand here (not with
; ENTER_LONG) so the state between the steps can be checked.

%include "test.inc"

RM_SEG          equ 0x0780              ; real-mode data segment: linear 0x7800
RM_OFF          equ 0x0010
RM_LINEAR       equ RM_SEG * 16 + RM_OFF
RM_MARK         equ 0xbeef
RM_INT_VEC      equ 0x40

section .text
main:
	TAP_PLAN 57

	; --- 32-bit protected mode, as the loader left it -------------------
	mov eax, cr0
	EXPECT_MASK eax, CR0_PE | CR0_PG, CR0_PE, "pm: CR0.PE=1, CR0.PG=0 at entry"
	mov ecx, MSR_IA32_EFER
	rdmsr
	EXPECT_MASK eax, EFER_LME | EFER_LMA, 0, "pm: EFER.LME=0, EFER.LMA=0"
	call push_size32
	EXPECT_EQ eax, 4, "pm: CS.D=1, PUSH r32 moves ESP by 4"
	mov eax, -1
	mov ax, 0x1234                      ; 66 prefix: 16-bit operand
	EXPECT_EQ eax, 0xffff1234, "pm: 66h prefix writes only AX"

	; --- real mode ------------------------------------------------------
	REAL_CALL rblob
	call check_real
	; A 16-bit protected-mode code segment (CS.D=0) defaults to 16-bit
	; operands even with a 32-bit stack.
	call SEL_CODE16:REAL_ADDR(rblob, pm16_probe)
	EXPECT_EQ dword [REAL_ADDR(rblob, r_pm16_push)], 2, "pm: CS.D=0 code segment, PUSH moves ESP by 2"

	; --- back in protected mode -------------------------------------------
	mov eax, cr0
	EXPECT_MASK eax, CR0_PE | CR0_PG, CR0_PE, "pm after real mode: CR0.PE=1, CR0.PG=0"
	call push_size32
	EXPECT_EQ eax, 4, "pm after real mode: PUSH moves ESP by 4"

	; --- towards IA-32e mode (SDM Vol. 3A "Initializing IA-32e Mode") -------
	mov eax, PG_P | PG_RW
	call pg_build_4level32
	mov cr3, eax
	mov ecx, MSR_IA32_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	rdmsr
	EXPECT_MASK eax, EFER_LME | EFER_LMA, EFER_LME, "EFER.LME=1 leaves LMA=0 while paging is off"

	; CR0.PG with LME=1 and PAE=0 is refused (SDM Vol. 3A 4.1.2).
	EXC_EXPECT .pg_refused
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	EXC_DISARM
.pg_refused:
	EXPECT_EQ dword [exc_vector], VEC_GP, "setting CR0.PG with LME=1, PAE=0 raises #GP"
	EXPECT_EQ dword [exc_error], 0, "... with error code 0"
	mov eax, cr0
	EXPECT_MASK eax, CR0_PG, 0, "... and CR0.PG stays 0"

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax                        ; IA-32e mode, compatibility mode
	lidt [idt64_desc]
	mov ecx, MSR_IA32_EFER
	rdmsr
	EXPECT_MASK eax, EFER_LME | EFER_LMA, EFER_LME | EFER_LMA, "compat: CR0.PG=1 sets EFER.LMA"
	call rex_probe
	EXPECT_EQ eax, 0xffffffff, "compat: 48h decodes as DEC EAX, not REX.W"
	call push_size32
	EXPECT_EQ eax, 4, "compat: PUSH moves ESP by 4"

	jmp SEL_CODE64:.long
bits 64
.long:
	mov esp, esp
	mov rax, cr0
	EXPECT_MASK rax, CR0_PE | CR0_PG, CR0_PE | CR0_PG, "64-bit: CR0.PE=1, CR0.PG=1"
	mov rax, cr4
	EXPECT_MASK rax, CR4_PAE, CR4_PAE, "64-bit: CR4.PAE=1"
	mov ecx, MSR_IA32_EFER
	rdmsr
	EXPECT_MASK rax, EFER_LME | EFER_LMA, EFER_LME | EFER_LMA, "64-bit: EFER.LME=1, LMA=1"
	call rex_probe
	mov rbx, 0x100000000
	EXPECT_EQ rax, rbx, "64-bit: 48h is REX.W, INC RAX carries into bit 32"
	mov rbx, rsp
	push rax
	mov rcx, rsp
	pop rax
	sub rbx, rcx
	EXPECT_EQ rbx, 8, "64-bit: PUSH moves RSP by 8"
	mov rbx, rsp
	push ax
	mov rcx, rsp
	pop ax
	sub rbx, rcx
	EXPECT_EQ rbx, 2, "64-bit: 66h PUSH moves RSP by 2"
	mov rax, -1
	mov eax, 1                          ; SDM Vol. 1 3.4.1.1: zero-extends
	EXPECT_EQ rax, 1, "64-bit: 32-bit write zero-extends to 64 bits"
	mov rax, -1
	mov ax, 1
	EXPECT_EQ rax, -0xffff, "64-bit: 16-bit write keeps bits 63:16"
	lea rax, [rel .long]
	mov ebx, .long
	EXPECT_EQ rax, rbx, "64-bit: RIP-relative LEA gives the label's address"

	; EFER.LME may not change while paging is on (SDM Vol. 3A 4.1.2).
	; The other ways out of IA-32e mode that must fault are checked at the
	; very end.
	EXC_EXPECT .lme_kept
	mov ecx, MSR_IA32_EFER
	rdmsr
	and eax, ~EFER_LME
	wrmsr
	EXC_DISARM
.lme_kept:
	EXPECT_EQ qword [exc_vector], VEC_GP, "64-bit: WRMSR clearing EFER.LME with paging on raises #GP"
	EXPECT_EQ qword [exc_error], 0, "... with error code 0"
	mov ecx, MSR_IA32_EFER
	rdmsr
	EXPECT_MASK rax, EFER_LME | EFER_LMA, EFER_LME | EFER_LMA, "... and EFER is unchanged"
	or eax, EFER_LME                    ; no change here: keeps a CPU that
	wrmsr                               ; took the write on the path

	; --- back to compatibility mode ----------------------------------------
	push SEL_CODE32
	push .compat
	o64 retf
bits 32
.compat:
	mov ecx, MSR_IA32_EFER
	rdmsr
	EXPECT_MASK eax, EFER_LMA, EFER_LMA, "compat again: EFER.LMA=1"
	call rex_probe
	EXPECT_EQ eax, 0xffffffff, "compat again: 48h decodes as DEC EAX"
	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax                        ; leaves IA-32e mode
	lidt [idt32_desc]
	mov ecx, MSR_IA32_EFER
	rdmsr
	EXPECT_MASK eax, EFER_LME | EFER_LMA, EFER_LME, "pm: clearing CR0.PG clears EFER.LMA, LME stays"
	and eax, ~EFER_LME
	wrmsr
	mov eax, cr4
	and eax, ~CR4_PAE
	mov cr4, eax
	mov ecx, MSR_IA32_EFER
	rdmsr
	EXPECT_MASK eax, EFER_LME | EFER_LMA, 0, "pm: EFER.LME cleared with paging off"
	call push_size32
	EXPECT_EQ eax, 4, "pm after long mode: PUSH moves ESP by 4"

	; --- real mode again, after long mode ---------------------------------
	mov dword [REAL_ADDR(rblob, r_cr0)], -1
	REAL_CALL rblob
	call check_real

	mov eax, cr0
	EXPECT_MASK eax, CR0_PE | CR0_PG, CR0_PE, "pm after the second real mode: CR0.PE=1, CR0.PG=0"

	; --- last: IA-32e mode may not be left by clearing CR4.PAE or CR0.PG ---
	; SDM Vol. 3A 4.1.2 and Vol. 2B MOV CRn (compatibility and 64-bit mode
	; exceptions). Kept last because a CPU that wrongly allows these (QEMU
	; 7.2 TCG does) goes on with paging or decoding it cannot continue with
	; and reports nothing afterwards.
	ENTER_LONG
	push SEL_CODE32
	push .compat2
	o64 retf
bits 32
.compat2:
	; Taken through the 64-bit IDT: recovery runs in 64-bit mode.
	EXC_EXPECT .pae_kept_compat
	mov eax, cr4
	and eax, ~CR4_PAE
	mov cr4, eax
	EXC_DISARM
	jmp SEL_CODE64:.pae_kept_compat
bits 64
.pae_kept_compat:
	EXPECT_EQ qword [exc_vector], VEC_GP, "compat: clearing CR4.PAE raises #GP"
	EXC_EXPECT .pae_kept
	mov rax, cr4
	and rax, ~CR4_PAE
	mov cr4, rax
	EXC_DISARM
.pae_kept:
	EXPECT_EQ qword [exc_vector], VEC_GP, "64-bit: clearing CR4.PAE raises #GP"
	mov rax, cr4
	EXPECT_MASK rax, CR4_PAE, CR4_PAE, "... and CR4.PAE stays 1"
	EXC_EXPECT .pg_kept
	mov rax, cr0
	btr rax, 31
	mov cr0, rax
	EXC_DISARM
.pg_kept:
	EXPECT_EQ qword [exc_vector], VEC_GP, "64-bit: clearing CR0.PG raises #GP"
	mov rax, cr0
	EXPECT_MASK rax, CR0_PG, CR0_PG, "... and CR0.PG stays 1"
	LEAVE_LONG
	ret

; Returns EAX = bytes a PUSH r32 moves ESP (32-bit or compatibility mode).
push_size32:
	push ebx
	mov ebx, esp
	push eax
	mov eax, esp
	pop ecx
	sub ebx, eax
	mov eax, ebx
	pop ebx
	ret

; 0xffffffff, then 48 ff c0: DEC EAX; INC EAX outside 64-bit mode (EAX =
; 0xffffffff), INC RAX in 64-bit mode (RAX = 0x100000000). The same bytes
; run in every mode; RET is C3 in all of them.
rex_probe:
	mov eax, 0xffffffff
	db 0x48, 0xff, 0xc0
	ret

; Asserts the values rblob recorded in real mode.
check_real:
%define RA(x) dword [REAL_ADDR(rblob, x)]
	EXPECT_MASK RA(r_cr0), CR0_PE | CR0_PG, 0, "real: CR0.PE=0, CR0.PG=0"
	EXPECT_MASK RA(r_efer), EFER_LME | EFER_LMA, 0, "real: EFER.LME=0, LMA=0"
	EXPECT_EQ RA(r_push), 2, "real: PUSH r16 moves SP by 2"
	EXPECT_EQ RA(r_push32), 4, "real: 66h PUSH r32 moves SP by 4"
	EXPECT_EQ RA(r_seg_read), RM_MARK, "real: seg*16+offset, two seg:off pairs reach one byte"
	movzx eax, word [RM_LINEAR]
	EXPECT_EQ eax, RM_MARK, "real: 0780:0010 is linear 0x7810"
	EXPECT_EQ RA(r_wrap_read), RM_MARK, "real: 16-bit offset FFFF+0011 wraps to 0010"
	EXPECT_EQ RA(r_int_frame), 6, "real: INT n pushes FLAGS, CS, IP (6 bytes)"
	EXPECT_EQ RA(r_int_ip), REAL_ADDR(rblob, rb_int_ret), "real: INT n saves the next IP"
	; SDM Vol. 2, real-address mode exceptions: an effective address past
	; the 64-KiB limit raises #GP. The limit is the one loaded from
	; SEL_DATA16 before PE was cleared (no "unreal" 4-GiB limit).
	EXPECT_EQ RA(r_gp), 1, "real: 32-bit offset 0x10000 past the DS limit raises #GP"
%undef RA
	ret

section .data
; 16-bit code, run in real mode from its copy at REAL_BLOB.
REAL_BEGIN rblob
	mov eax, cr0
	mov [RB(r_cr0)], eax
	mov ecx, MSR_IA32_EFER
	rdmsr
	mov [RB(r_efer)], eax

	mov bx, sp
	push ax
	mov cx, sp
	pop ax
	sub bx, cx
	mov [RB(r_push)], bx
	mov bx, sp
	push eax
	mov cx, sp
	pop eax
	sub bx, cx
	mov [RB(r_push32)], bx

	; Address formation: 0780:0010 and 0781:0000 are the same byte.
	mov word [RM_LINEAR], 0
	mov ax, RM_SEG
	mov ds, ax
	mov word [RM_OFF], RM_MARK
	mov ax, RM_SEG + 1
	mov es, ax
	mov ax, [es:0]
	mov bx, 0xffff
	mov si, RM_OFF + 1
	mov cx, [bx + si]                   ; (0xffff + 0x11) & 0xffff = 0x10
	xor dx, dx
	mov ds, dx
	mov [RB(r_seg_read)], ax
	mov [RB(r_wrap_read)], cx

	; INT n through the IVT.
	mov word [RM_INT_VEC * 4], RB(rb_int)
	mov word [RM_INT_VEC * 4 + 2], 0
	mov [RB(r_sp_before)], sp
	int RM_INT_VEC
rb_int_ret:

	; #GP for an offset past the 64-KiB limit.
	mov word [VEC_GP * 4], RB(rb_gp)
	mov word [VEC_GP * 4 + 2], 0
	mov byte [RB(r_gp)], 0
	mov esi, 0x10000
rb_gp_insn:
	a32 mov al, [esi]
rb_gp_next:
	ret

rb_int:
	mov bx, [RB(r_sp_before)]
	sub bx, sp
	mov [RB(r_int_frame)], bx
	mov bx, sp
	mov ax, [ss:bx]
	mov [RB(r_int_ip)], ax
	iret

rb_gp:
	push bp
	mov bp, sp
	add byte [RB(r_gp)], 1
	mov word [bp + 2], RB(rb_gp_next)   ; resume after the faulting MOV
	pop bp
	iret

; Entered by a 32-bit far call with CS = SEL_CODE16 (D=0) and the flat
; 32-bit stack and data segments still loaded.
pm16_probe:
	mov ebx, esp
	push ax
	mov ecx, esp
	pop ax
	sub ebx, ecx
	mov [RB(r_pm16_push)], ebx
	o32 retf

align 4
r_cr0:          dd 0
r_efer:         dd 0
r_push:         dd 0
r_push32:       dd 0
r_seg_read:     dd 0
r_wrap_read:    dd 0
r_sp_before:    dd 0
r_int_frame:    dd 0
r_int_ip:       dd 0
r_gp:           dd 0
r_pm16_push:    dd 0
REAL_END
