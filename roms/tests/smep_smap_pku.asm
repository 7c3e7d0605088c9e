; smep_smap_pku.asm - SMEP, SMAP and protection keys (64-bit mode).
;
; SDM Vol. 3A 4.6 (access rights) and 4.7 (error codes):
;   SMEP  a supervisor-mode fetch from a user-mode page faults, error code
;         P | I/D (I/D is reported whenever CR4.SMEP = 1, even with NXE=0).
;   SMAP  a supervisor-mode data access to a user-mode page faults when
;         EFLAGS.AC = 0 (STAC sets AC, CLAC clears it). Implicit
;         supervisor-mode accesses (here: a descriptor read from an LDT on
;         a user page) fault whatever AC is, at CPL 0 and at CPL 3; their
;         error code has U/S = 0.
;   PKU   with CR4.PKE = 1, bits 62:59 of a user-mode page's PTE select a
;         key; PKRU.AD(key) forbids data accesses, PKRU.WD(key) writes
;         (supervisor writes only when CR0.WP = 1); fetches and
;         supervisor-mode pages are not subject to keys. Error bit PK (5).
;         RDPKRU/WRPKRU need ECX = 0 (and EDX = 0 for WRPKRU), else #GP(0),
;         and CR4.PKE = 1, else #UD.
; Each group is skipped when CPUID does not report the feature; on QEMU
; use -cpu max. QEMU 7.2 TCG deviates: it lets AC = 1 allow an implicit
; supervisor-mode access at CPL 0 (the rule of older SDM editions); the
; current SDM allows AC to lift SMAP for explicit accesses only.
;
; Layout: the low 16 MiB are identity-mapped as supervisor pages, except
; the ring-3 code page, the ring-3 stack and ldt_page. PML4E 1 leads to
; t_pt, whose entry 0 (VT) maps frame0 with flags set per case.

%include "test.inc"
%include "ring3.inc"
%include "access.inc"
%include "tapskip.inc"

VT              equ 0x0000008000000000
SEL_LDT         equ 0x68                ; 16-byte LDT descriptor
SEL_IN_LDT      equ 0x04                ; LDT entry 0, TI = 1, RPL 0
SEL_IN_LDT_R3   equ 0x07                ; same, RPL 3
RET_OP          equ 0xc3
PF_ERR_PK       equ 1 << 5
PKRU_AD1        equ 1 << 2
PKRU_WD1        equ 1 << 3
PTE_KEY1        equ 1 << 59
CPUID7B_SMEP    equ 1 << 7
CPUID7B_SMAP    equ 1 << 20
CPUID7C_PKU     equ 1 << 3
U_FLAGS         equ PG_P | PG_RW | PG_US

section .bss
alignb 4096
t_pdpt:         resb 4096
t_pd:           resb 4096
t_pt:           resb 4096
frame0:         resb 4096
ldt_page:       resb 4096

section .data
feat_b:         dd 0
feat_c:         dd 0

; Ring-3 code: a segment load that reads the LDT (an implicit
; supervisor-mode access).
section .text.user
bits 64
u_load_ldt:
	mov ax, SEL_IN_LDT_R3
	mov ds, ax
	USER_EXIT

section .text
bits 64
; RAX = new PTE for VT.
set_pte:
	mov [t_pt], rax
	mov rax, VT
	invlpg [rax]
	ret

; CR4 |= EAX.
cr4_set:
	push rbx
	mov rbx, cr4
	or rbx, rax
	mov cr4, rbx
	pop rbx
	ret

; CR4 &= ~EAX.
cr4_clear:
	push rbx
	not rax
	mov rbx, cr4
	and rbx, rax
	mov cr4, rbx
	not rax
	pop rbx
	ret

; EAX = PKRU value.
set_pkru:
	push rcx
	push rdx
	xor ecx, ecx
	xor edx, edx
	wrpkru
	pop rdx
	pop rcx
	ret

; SET_PTE low [, high]: PTE for VT = low (32-bit) | high (64-bit constant).
%macro SET_PTE 1-2 0
	mov eax, %1
%if %2 != 0
	mov rcx, %2
	or rax, rcx
%endif
	call set_pte
%endmacro

; Marks the identity-mapped 4-KiB page at %1 user-accessible.
%macro MARK_USER 1
	mov eax, %1
	shr eax, 12
	or dword [pg4_pt + eax * 8], PG_US
%endmacro

bits 32
main:
	TAP_PLAN 38
	call user_init32
	mov eax, 7
	xor ecx, ecx
	cpuid
	mov [feat_b], ebx
	mov [feat_c], ecx
	mov eax, PG_P | PG_RW
	call pg_build_4level32
	mov [long_cr3], eax
	MARK_USER user_text
	MARK_USER user_stack
	MARK_USER ldt_page
	mov dword [pg4_pml4 + 8], t_pdpt + U_FLAGS
	mov dword [t_pdpt], t_pd + U_FLAGS
	mov dword [t_pd], t_pt + U_FLAGS
	mov byte [frame0], RET_OP
	mov word [frame0 + 4], 0xcd | (USER_EXIT_VEC << 8)
	; LDT entry 0: ring-3 flat data segment, accessed (no A-bit write).
	mov dword [ldt_page], 0x0000ffff
	mov dword [ldt_page + 4], 0x00cff300
	mov eax, SEL_LDT
	mov ebx, ldt_page
	mov ecx, 7
	mov edx, 0x0082                     ; P, LDT
	call gdt_set32
	mov dword [gdt + SEL_LDT + 8], 0
	mov dword [gdt + SEL_LDT + 12], 0
	ENTER_LONG
	PG_SET_WP 1
	mov ax, SEL_LDT
	lldt ax

	; --- SMEP ------------------------------------------------------------------
	test dword [feat_b], CPUID7B_SMEP
	jz .no_smep
	SET_PTE frame0 + U_FLAGS
	K_FETCH VT
	EXPECT_NOFAULT "SMEP=0: CPL 0 fetch from a user page"
	mov eax, CR4_SMEP
	call cr4_set
	K_FETCH VT
	EXPECT_PF PF_ERR_P | PF_ERR_I, VT, "SMEP=1: CPL 0 fetch from a user page"
	U_FETCH VT + 4
	EXPECT_USER_OK "SMEP=1: CPL 3 fetch from a user page"
	SET_PTE frame0 + PG_P + PG_RW
	K_FETCH VT
	EXPECT_NOFAULT "SMEP=1: CPL 0 fetch from a supervisor page"
	SET_PTE frame0 + PG_RW + PG_US
	K_FETCH VT
	EXPECT_PF PF_ERR_I, VT, "SMEP=1, NXE=0: not-present fetch reports I/D"
	mov eax, CR4_SMEP
	call cr4_clear
	jmp .smep_done
.no_smep:
	TAP_SKIP 7, "no SMEP (CPUID.(7,0):EBX[7])"
.smep_done:

	; --- SMAP --------------------------------------------------------------------
	test dword [feat_b], CPUID7B_SMAP
	jz .no_smap
	SET_PTE frame0 + U_FLAGS
	mov eax, CR4_SMAP
	call cr4_set
	clac
	K_READ VT + 8
	EXPECT_PF PF_ERR_P, VT + 8, "SMAP=1, AC=0: CPL 0 read of a user page"
	K_WRITE VT + 12, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, VT + 12, "SMAP=1, AC=0: CPL 0 write to a user page"
	stac
	pushfq
	pop rax
	EXPECT_MASK rax, FL_AC, FL_AC, "STAC sets EFLAGS.AC"
	K_READ VT + 8
	EXPECT_NOFAULT "SMAP=1, AC=1: CPL 0 read of a user page"
	K_WRITE VT + 12, 1
	EXPECT_NOFAULT "SMAP=1, AC=1: CPL 0 write to a user page"
	; Implicit supervisor-mode accesses ignore AC (SDM Vol. 3A 4.6.1).
	EXC_EXPECT .ldt_ac1
	mov ax, SEL_IN_LDT
	mov ds, ax
	EXC_DISARM
.ldt_ac1:
	EXPECT_PF PF_ERR_P, ldt_page, "SMAP=1, AC=1: CPL 0 descriptor load from an LDT on a user page"
	clac
	pushfq
	pop rax
	EXPECT_MASK rax, FL_AC, 0, "CLAC clears EFLAGS.AC"
	K_READ VT + 8
	EXPECT_VE VEC_PF, PF_ERR_P, "after CLAC: CPL 0 read of a user page faults again"
	EXC_EXPECT .ldt_ac0
	mov ax, SEL_IN_LDT
	mov ds, ax
	EXC_DISARM
.ldt_ac0:
	EXPECT_VE VEC_PF, PF_ERR_P, "SMAP=1, AC=0: CPL 0 descriptor load from an LDT on a user page"
	EXC_EXPECT .ldt_u
	USER_CALL u_load_ldt, FL_AC
.ldt_u:
	EXPECT_PF PF_ERR_P, ldt_page, "SMAP=1: CPL 3 descriptor load (implicit, U/S=0), even with AC=1"
	mov eax, CR4_SMAP
	call cr4_clear
	EXC_EXPECT .ldt_nosmap
	USER_CALL u_load_ldt
.ldt_nosmap:
	EXPECT_USER_OK "SMAP=0: CPL 3 descriptor load from an LDT on a user page"
	clac                                ; event delivery does not clear AC
	jmp .smap_done
.no_smap:
	TAP_SKIP 15, "no SMAP (CPUID.(7,0):EBX[20])"
.smap_done:

	; --- PKU ------------------------------------------------------------------------
	test dword [feat_c], CPUID7C_PKU
	jz .no_pku
	EXC_EXPECT .ud
	xor ecx, ecx
	rdpkru
	EXC_DISARM
.ud:
	EXPECT_VE VEC_UD, 0, "CR4.PKE=0: RDPKRU raises #UD"
	mov eax, CR4_PKE
	call cr4_set
	mov eax, 0x12345678
	call set_pkru
	mov edx, 0xffff
	xor ecx, ecx
	rdpkru
	EXPECT_EQ rax, 0x12345678, "WRPKRU then RDPKRU: the value round-trips"
	EXPECT_EQ rdx, 0, "RDPKRU clears EDX"
	EXC_EXPECT .gp1
	mov ecx, 1
	rdpkru
	EXC_DISARM
.gp1:
	EXPECT_VE VEC_GP, 0, "RDPKRU with ECX != 0: #GP(0)"
	EXC_EXPECT .gp2
	xor eax, eax
	mov ecx, 1
	xor edx, edx
	wrpkru
	EXC_DISARM
.gp2:
	EXPECT_VE VEC_GP, 0, "WRPKRU with ECX != 0: #GP(0)"

	mov eax, PKRU_AD1
	call set_pkru
	SET_PTE frame0 + U_FLAGS, PTE_KEY1
	U_READ VT + 0x10
	EXPECT_PF PF_ERR_P | PF_ERR_U | PF_ERR_PK, VT + 0x10, "key 1, AD1=1: CPL 3 read"
	K_READ VT + 0x14
	EXPECT_VE VEC_PF, PF_ERR_P | PF_ERR_PK, "key 1, AD1=1: CPL 0 read of the user page"
	U_FETCH VT + 4
	EXPECT_USER_OK "key 1, AD1=1: fetches are not subject to keys"
	SET_PTE frame0 + U_FLAGS
	U_READ VT + 0x18
	EXPECT_USER_OK "key 0 page while AD1=1: CPL 3 read"
	SET_PTE frame0 + PG_P + PG_RW, PTE_KEY1
	K_READ VT + 0x1c
	EXPECT_NOFAULT "supervisor page with key 1, AD1=1: CPL 0 read"

	mov eax, PKRU_WD1
	call set_pkru
	SET_PTE frame0 + U_FLAGS, PTE_KEY1
	U_READ VT + 0x20
	EXPECT_USER_OK "key 1, WD1=1: CPL 3 read"
	U_WRITE VT + 0x24, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_PK, VT + 0x24, "key 1, WD1=1: CPL 3 write"
	K_WRITE VT + 0x28, 1
	EXPECT_VE VEC_PF, PF_ERR_P | PF_ERR_W | PF_ERR_PK, "key 1, WD1=1, CR0.WP=1: CPL 0 write"
	PG_SET_WP 0
	K_WRITE VT + 0x2c, 1
	EXPECT_NOFAULT "key 1, WD1=1, CR0.WP=0: CPL 0 write"
	PG_SET_WP 1
	xor eax, eax
	call set_pkru
	mov eax, CR4_PKE
	call cr4_clear
	jmp .pku_done
.no_pku:
	TAP_SKIP 16, "no PKU (CPUID.(7,0):ECX[3])"
.pku_done:
	xor eax, eax
	lldt ax
	LEAVE_LONG
	ret
