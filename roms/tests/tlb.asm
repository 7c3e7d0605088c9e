; tlb.asm - architectural TLB invalidation (SDM Vol. 3A 4.10.4), in
; 64-bit mode.
;
; A processor may keep using a stale translation after software changes
; a paging-structure entry, or it may not: only what follows an
; invalidation is guaranteed, so each check changes an entry, invalidates,
; and asserts the new translation (never that the old one lingers):
;   INVLPG                   the address's translations, global ones too
;   MOV CR3                  all non-global translations (of the PCID)
;   CR4.PGE 1 -> 0 -> 1      all translations, global ones too
;   INVPCID types 0-3        address / PCID / all / all but global
; After a global page's PTE changes, MOV CR3 may leave either mapping: the
; check accepts both. Also the #GP(0) cases of INVLPG, MOV CR3, CR4.PCIDE
; and INVPCID (SDM Vol. 2 INVLPG, MOV CR, INVPCID).
;
; Layout: the low 16 MiB are identity-mapped; PML4E 1 leads to t_pt,
; whose entry 0 (VT) points to frame_a or frame_b.

%include "test.inc"
%include "ring3.inc"
%include "access.inc"
%include "tapskip.inc"

VT              equ 0x0000008000000000
VT2             equ 0x0000008000001000  ; t_pt entry 1, always frame_a
NONCANON        equ 0x0000800000000000
MARK_A          equ 0xaaaa0001
MARK_B          equ 0xbbbb0002
PTE_FLAGS       equ PG_P | PG_RW | PG_US
CPUID1_PCID     equ 1 << 17             ; CPUID.1:ECX
CPUID7_INVPCID  equ 1 << 10             ; CPUID.(7,0):EBX

section .bss
alignb 4096
t_pdpt:         resb 4096
t_pd:           resb 4096
t_pt:           resb 4096
frame_a:        resb 4096
frame_b:        resb 4096

section .data
align 16
inv_desc:       dq 0, 0                 ; INVPCID descriptor: PCID, address
has_pcid:       dd 0
has_invpcid:    dd 0

section .text
bits 64
; Reads VT into EAX (no invalidation: that is the caller's job).
read_vt:
	mov rax, VT
	mov eax, [rax]
	ret

; RAX = new PTE for VT, written without any invalidation.
put_pte:
	mov [t_pt], rax
	ret

; CR4.PGE = 1 (EAX != 0) or 0.
set_pge:
	push rbx
	mov rbx, cr4
	and rbx, ~CR4_PGE
	test eax, eax
	jz .w
	or rbx, CR4_PGE
.w:
	mov cr4, rbx
	pop rbx
	ret

u_invlpg:
	invlpg [rbx]
	USER_EXIT
u_movcr3:
	mov rax, cr3
	USER_EXIT
u_invpcid:
	invpcid rax, [rbx]
	USER_EXIT

%macro PTE_TO 1-2 0
	mov eax, %1 + PTE_FLAGS + (%2)
	call put_pte
%endmacro

bits 32
main:
	TAP_PLAN 25
	call user_init32
	mov eax, 1
	cpuid
	and ecx, CPUID1_PCID
	mov [has_pcid], ecx
	mov eax, 7
	xor ecx, ecx
	cpuid
	and ebx, CPUID7_INVPCID
	mov [has_invpcid], ebx
	mov dword [frame_a], MARK_A
	mov dword [frame_b], MARK_B
	mov eax, PG_P | PG_RW | PG_US
	call pg_build_4level32
	mov [long_cr3], eax
	mov dword [pg4_pml4 + 8], t_pdpt + PTE_FLAGS
	mov dword [t_pdpt], t_pd + PTE_FLAGS
	mov dword [t_pd], t_pt + PTE_FLAGS
	mov dword [t_pt], frame_a + PTE_FLAGS
	mov dword [t_pt + 8], frame_a + PTE_FLAGS
	ENTER_LONG
	PG_SET_WP 1                         ; CPL 0 writes obey R/W

	; --- INVLPG ------------------------------------------------------------
	call read_vt
	EXPECT_EQ rax, MARK_A, "VT maps frame A"
	PTE_TO frame_b
	mov rax, VT
	invlpg [rax]
	call read_vt
	EXPECT_EQ rax, MARK_B, "PTE -> frame B, INVLPG: VT reads frame B"
	mov eax, frame_b + PG_P + PG_US                    ; read-only
	call put_pte
	mov rax, VT
	invlpg [rax]
	K_WRITE VT, 1
	EXPECT_VE VEC_PF, PF_ERR_P | PF_ERR_W, "PTE made read-only, INVLPG: a write faults"
	mov eax, frame_b + PG_RW + PG_US                   ; not present
	call put_pte
	mov rax, VT
	invlpg [rax]
	K_READ VT
	EXPECT_VE VEC_PF, 0, "PTE made not present, INVLPG: a read faults"
	mov rax, VT2
	mov eax, [rax]
	EXPECT_EQ rax, MARK_A, "INVLPG of VT leaves the next page usable"

	; --- MOV CR3 ------------------------------------------------------------------
	PTE_TO frame_a
	mov rax, cr3
	mov cr3, rax
	call read_vt
	EXPECT_EQ rax, MARK_A, "PTE -> frame A, MOV CR3: VT reads frame A"
	PTE_TO frame_b
	mov rax, cr3
	mov cr3, rax
	call read_vt
	EXPECT_EQ rax, MARK_B, "PTE -> frame B, MOV CR3: VT reads frame B"

	; --- global pages ----------------------------------------------------------------
	mov eax, 1
	call set_pge
	PTE_TO frame_a, PG_G
	mov rax, VT
	invlpg [rax]
	call read_vt
	EXPECT_EQ rax, MARK_A, "global PTE -> frame A, INVLPG: VT reads frame A"
	PTE_TO frame_b, PG_G
	mov rax, cr3
	mov cr3, rax
	call read_vt
	cmp eax, MARK_A
	je .either
	cmp eax, MARK_B
.either:
	TAP_CHECK e, "global PTE -> frame B, MOV CR3: VT reads frame A or frame B"
	mov rax, VT
	invlpg [rax]
	call read_vt
	EXPECT_EQ rax, MARK_B, "then INVLPG: VT reads frame B"
	PTE_TO frame_a, PG_G
	xor eax, eax
	call set_pge
	mov eax, 1
	call set_pge
	call read_vt
	EXPECT_EQ rax, MARK_A, "global PTE -> frame A, CR4.PGE 1->0->1: VT reads frame A"
	xor eax, eax
	call set_pge

	; --- CPL 3 -------------------------------------------------------------------------
	EXC_EXPECT .u1
	mov rbx, VT
	USER_CALL u_invlpg
.u1:
	EXPECT_VE VEC_GP, 0, "INVLPG at CPL 3: #GP(0)"
	EXC_EXPECT .u2
	USER_CALL u_movcr3
.u2:
	EXPECT_VE VEC_GP, 0, "MOV from CR3 at CPL 3: #GP(0)"

	; --- PCID ------------------------------------------------------------------------------
	cmp dword [has_pcid], 0
	je .no_pcid
	mov rax, cr3
	or rax, PG_PWT                      ; CR3[11:0] != 0
	mov cr3, rax
	EXC_EXPECT .p1
	mov rax, cr4
	or eax, CR4_PCIDE
	mov cr4, rax
	EXC_DISARM
.p1:
	EXPECT_VE VEC_GP, 0, "setting CR4.PCIDE with CR3[11:0] != 0: #GP(0)"
	mov rax, cr3
	and rax, ~0xfff
	mov cr3, rax
	mov rax, cr4
	or eax, CR4_PCIDE
	mov cr4, rax
	PTE_TO frame_a
	mov rax, cr3
	or rax, 1                           ; PCID 1
	mov cr3, rax
	call read_vt
	EXPECT_EQ rax, MARK_A, "PCID 1: VT reads frame A"
	PTE_TO frame_b
	mov rax, cr3
	mov cr3, rax                        ; bit 63 = 0: flush PCID 1
	call read_vt
	EXPECT_EQ rax, MARK_B, "PTE -> frame B, MOV CR3 (PCID 1, bit 63 = 0): VT reads frame B"
	mov rax, cr3
	bts rax, 63
	mov cr3, rax
	mov rax, cr3
	mov ebx, [long_cr3]
	or rbx, 1
	EXPECT_EQ rax, rbx, "MOV CR3 with bit 63 = 1: CR3 reads back without bit 63"
	jmp .pcid_done
.no_pcid:
	TAP_SKIP 4, "no PCID (CPUID.1:ECX[17])"
.pcid_done:

	; --- INVPCID (with PCIDE = 1 when PCIDs exist, else PCID 0) ----------------------------
	cmp dword [has_invpcid], 0
	je .no_invpcid
	mov eax, [has_pcid]
	test eax, eax
	jz .pcid0
	mov eax, 1
.pcid0:
	mov [inv_desc], rax                 ; the current PCID
	mov rax, VT
	mov [inv_desc + 8], rax
	PTE_TO frame_a
	xor eax, eax                        ; type 0: one address, one PCID
	invpcid rax, [inv_desc]
	call read_vt
	EXPECT_EQ rax, MARK_A, "INVPCID type 0 (address): VT reads frame A"
	PTE_TO frame_b
	mov eax, 1                          ; type 1: one PCID
	invpcid rax, [inv_desc]
	call read_vt
	EXPECT_EQ rax, MARK_B, "INVPCID type 1 (single context): VT reads frame B"
	mov eax, 1
	call set_pge
	PTE_TO frame_a, PG_G
	mov eax, 2                          ; type 2: everything
	invpcid rax, [inv_desc]
	call read_vt
	EXPECT_EQ rax, MARK_A, "INVPCID type 2 (all, global too): global VT reads frame A"
	xor eax, eax
	call set_pge
	PTE_TO frame_b
	mov eax, 3                          ; type 3: all but global
	invpcid rax, [inv_desc]
	call read_vt
	EXPECT_EQ rax, MARK_B, "INVPCID type 3 (all but global): VT reads frame B"
	EXC_EXPECT .i1
	mov eax, 4
	invpcid rax, [inv_desc]
	EXC_DISARM
.i1:
	EXPECT_VE VEC_GP, 0, "INVPCID type 4: #GP(0)"
	mov rax, NONCANON
	mov [inv_desc + 8], rax
	EXC_EXPECT .i2
	xor eax, eax
	invpcid rax, [inv_desc]
	EXC_DISARM
.i2:
	EXPECT_VE VEC_GP, 0, "INVPCID type 0, non-canonical address: #GP(0)"
	mov qword [inv_desc], 0x1000        ; bits 63:12 of the PCID qword
	EXC_EXPECT .i3
	mov eax, 1
	invpcid rax, [inv_desc]
	EXC_DISARM
.i3:
	EXPECT_VE VEC_GP, 0, "INVPCID, descriptor bits 63:12 set: #GP(0)"
	mov qword [inv_desc], 0
	EXC_EXPECT .i4
	mov eax, 2
	mov rbx, inv_desc
	USER_CALL u_invpcid
.i4:
	EXPECT_VE VEC_GP, 0, "INVPCID at CPL 3: #GP(0)"
	jmp .invpcid_done
.no_invpcid:
	TAP_SKIP 8, "no INVPCID (CPUID.(7,0):EBX[10])"
.invpcid_done:
	; Back to PCID 0 before clearing CR4.PCIDE, so that CR3[11:0] then
	; read as PWT = PCD = 0.
	mov rax, cr3
	and rax, ~0xfff
	mov cr3, rax
	mov rax, cr4
	and eax, ~CR4_PCIDE
	mov cr4, rax
	LEAVE_LONG
	ret
