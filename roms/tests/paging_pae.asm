; paging_pae.asm - PAE paging (CR4.PAE = 1, IA-32e off): 4-KiB and 2-MiB
; pages.
;
; Translation, accessed and dirty flags (SDM Vol. 3A 4.8), and the #PF
; error code and CR2 for every permission fault (SDM Vol. 3A 4.6, 4.7):
; not-present at each level, user and read-only rules with CR0.WP, the
; execute-disable bit with IA32_EFER.NXE at the PTE and the PDE, the I/D
; error bit (set on fetches only when NXE = 1), and reserved bits (XD with
; NXE = 0, physical-address bits at or above MAXPHYADDR, bit 13 of a 2-MiB
; PDE). PDPTEs are loaded by MOV CR3, which checks their reserved bits
; with #GP(0) (SDM Vol. 3A 4.4.1).
;
; Layout: the low 16 MiB are identity-mapped (P|RW|US 4-KiB pages) through
; PDPTE 0. PDPTE 1 points to t_pd: V4K (t_pd[0]) goes through t_pt, whose
; entry 0 is rewritten per case; V2M (t_pd[1]) is a 2-MiB page at P2M;
; t_pd[2] and PDPTE 2 are not present.
;
; QEMU 7.2 TCG deviates: its #PF error code for a reserved-bit violation
; lacks the P bit (SDM 4.7: RSVD = 1 implies P = 1), and MOV CR3 does not
; check the PDPTEs (it reads them on each walk instead of loading them).

%include "test.inc"
%include "ring3.inc"
%include "access.inc"
%include "tapskip.inc"

V4K             equ 0x40000000
V2M             equ 0x40200000
VNOPDE          equ 0x40400000
VNOPDPTE        equ 0x80000000
P2M             equ 0x00800000
XD_HI           equ PG_NX_HI            ; bit 63, in the high dword
RET_OP          equ 0xc3
MARK1           equ 0x11223344
MARK2           equ 0x55667788
MARK3           equ 0x99aabbcc
MARK4           equ 0x0badf00d

section .bss
alignb 4096
t_pd:           resb 4096
t_pt:           resb 4096
frame0:         resb 4096

section .data
maxphyaddr:     dd 0

section .text
; EDX:EAX = new PTE for V4K; flushes its translation.
set_pte:
	mov [t_pt], eax
	mov [t_pt + 4], edx
	invlpg [V4K]
	ret

; EDX:EAX = new PDE for V4K.
set_pde4k:
	mov [t_pd], eax
	mov [t_pd + 4], edx
	invlpg [V4K]
	ret

; EDX:EAX = new 2-MiB PDE for V2M.
set_pde2m:
	mov [t_pd + 8], eax
	mov [t_pd + 12], edx
	invlpg [V2M]
	ret

%macro PTE 1-2 0
	mov eax, %1
	mov edx, %2
	call set_pte
%endmacro

main:
	TAP_PLAN 61
	call user_init32
	call pg_maxphyaddr32
	mov [maxphyaddr], eax
	mov eax, PG_P | PG_RW | PG_US
	call pg_build_pae32
	mov dword [pgpae_pdpt + 8], t_pd + PG_P
	mov dword [t_pd], t_pt + PG_P + PG_RW + PG_US
	mov dword [t_pd + 8], P2M | PG_PS | PG_P | PG_RW | PG_US
	mov cr3, eax
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax

	; --- 4-KiB page: translation, A and D -----------------------------------
	mov dword [frame0], MARK1
	mov eax, t_pt + PG_P + PG_RW + PG_US
	xor edx, edx
	call set_pde4k
	PTE frame0 + PG_P + PG_RW + PG_US
	K_READ V4K
	EXPECT_EQ eax, MARK1, "4K: a read through the PTE sees the frame"
	EXPECT_MASK dword [t_pd], PG_A, PG_A, "4K: the read sets A in the PDE"
	EXPECT_MASK dword [t_pt], PG_A | PG_D, PG_A, "4K: the read sets A, not D, in the PTE"
	K_WRITE V4K + 4, MARK2
	EXPECT_EQ dword [frame0 + 4], MARK2, "4K: a write lands in the frame"
	EXPECT_MASK dword [t_pt], PG_A | PG_D, PG_A | PG_D, "4K: the write sets D in the PTE"
	EXPECT_MASK dword [t_pd], PG_D, 0, "4K: D of a PDE that maps a page table is not set"

	; --- 2-MiB page ----------------------------------------------------------
	mov dword [P2M + 0x1238], MARK3
	mov eax, P2M | PG_PS | PG_P | PG_RW | PG_US
	xor edx, edx
	call set_pde2m
	K_READ V2M + 0x1238
	EXPECT_EQ eax, MARK3, "2M: a read through the PDE sees the frame"
	EXPECT_MASK dword [t_pd + 8], PG_A | PG_D, PG_A, "2M: the read sets A, not D"
	K_WRITE V2M + 0x1ff000, MARK4
	EXPECT_EQ dword [P2M + 0x1ff000], MARK4, "2M: a write near the top lands in the frame"
	EXPECT_MASK dword [t_pd + 8], PG_A | PG_D, PG_A | PG_D, "2M: the write sets D"

	; --- not present (NXE = 0: fetches do not set I/D) ------------------------
	PTE frame0 + PG_RW + PG_US
	K_READ V4K + 0x10
	EXPECT_PF 0, V4K + 0x10, "not-present PTE, read"
	K_WRITE V4K + 0x20, 1
	EXPECT_PF PF_ERR_W, V4K + 0x20, "not-present PTE, write"
	K_FETCH V4K
	EXPECT_PF 0, V4K, "not-present PTE, fetch, NXE=0"
	EXPECT_EQ dword [exc_ip], V4K, "not-present fetch: saved EIP is the target"
	K_READ VNOPDE + 0x24
	EXPECT_PF 0, VNOPDE + 0x24, "not-present PDE, read"
	U_WRITE VNOPDPTE + 0x28, 1
	EXPECT_PF PF_ERR_W | PF_ERR_U, VNOPDPTE + 0x28, "not-present PDPTE, CPL 3 write"

	; --- user and read-only ---------------------------------------------------
	PTE frame0 + PG_P + PG_US
	U_READ V4K + 8
	EXPECT_USER_OK "CPL 3 read of a read-only user page"
	U_WRITE V4K + 8, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U, V4K + 8, "CPL 3 write to a read-only page"
	PTE frame0 + PG_P + PG_RW
	U_READ V4K + 0xc
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0xc, "CPL 3 read of a supervisor page"
	U_FETCH V4K + 0x30
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0x30, "CPL 3 fetch from a supervisor page, NXE=0"

	PTE frame0 + PG_P                                  ; supervisor, read-only
	PG_SET_WP 0
	K_WRITE V4K + 0x40, MARK3
	EXPECT_NOFAULT "CR0.WP=0: CPL 0 write to a read-only page"
	EXPECT_EQ dword [frame0 + 0x40], MARK3, "CR0.WP=0: the write lands"
	PG_SET_WP 1
	K_WRITE V4K + 0x44, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V4K + 0x44, "CR0.WP=1: CPL 0 write to a read-only page"
	mov eax, P2M | PG_PS | PG_P | PG_US
	xor edx, edx
	call set_pde2m
	K_WRITE V2M + 0x100004, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V2M + 0x100004, "CR0.WP=1: CPL 0 write to a read-only 2M page"

	; --- reserved bits (SDM Vol. 3A table 4-11) --------------------------------
	PTE frame0 + PG_P + PG_RW + PG_US, XD_HI
	K_READ V4K + 0x48
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD, V4K + 0x48, "XD=1 with NXE=0 is reserved: read"
	mov eax, P2M | PG_PS | PG_P | PG_RW | PG_US | (1 << 13)
	xor edx, edx
	call set_pde2m
	U_READ V2M + 0x4c
	EXPECT_PF PF_ERR_P | PF_ERR_U | PF_ERR_RSVD, V2M + 0x4c, "2M PDE bit 13 set: CPL 3 read"
	mov eax, P2M | PG_PS | PG_P | PG_RW | PG_US
	xor edx, edx
	call set_pde2m
	mov ecx, [maxphyaddr]
	cmp ecx, 52
	jae .no_m_rsvd
	sub ecx, 32                                        ; M is above 32
	mov edx, 1
	shl edx, cl
	mov eax, frame0 + PG_P + PG_RW + PG_US
	call set_pte
	K_WRITE V4K + 0x50, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_RSVD, V4K + 0x50, "PTE address bit MAXPHYADDR set: write"
	jmp .m_rsvd_done
.no_m_rsvd:
	TAP_SKIP 2, "MAXPHYADDR is 52"
.m_rsvd_done:

	; A PDPTE with P = 1 and a reserved bit (bit 1) makes MOV CR3 fault.
	mov dword [pgpae_pdpt + 16], t_pd + PG_P + PG_RW
	EXC_EXPECT .pdpte_done
	mov eax, pgpae_pdpt
	mov cr3, eax
	EXC_DISARM
.pdpte_done:
	EXPECT_VE VEC_GP, 0, "MOV CR3 with a reserved PDPTE bit: #GP(0)"
	mov dword [pgpae_pdpt + 16], 0
	mov eax, pgpae_pdpt
	mov cr3, eax

	; --- execute-disable (needs NX) ---------------------------------------------
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 20
	jz .no_nx
	PG_SET_NXE 1
	mov byte [frame0 + 0x80], RET_OP
	mov word [frame0 + 0x84], 0xcd | (USER_EXIT_VEC << 8)
	PTE frame0 + PG_RW + PG_US
	K_FETCH V4K + 0x80
	EXPECT_PF PF_ERR_I, V4K + 0x80, "NXE=1: not-present fetch sets I/D"
	K_READ V4K + 0x80
	EXPECT_PF 0, V4K + 0x80, "NXE=1: not-present read leaves I/D clear"
	PTE frame0 + PG_P + PG_RW + PG_US
	K_FETCH V4K + 0x80
	EXPECT_NOFAULT "NXE=1, XD=0: fetch"
	PTE frame0 + PG_P + PG_RW + PG_US, XD_HI
	K_FETCH V4K + 0x80
	EXPECT_PF PF_ERR_P | PF_ERR_I, V4K + 0x80, "PTE XD=1: CPL 0 fetch"
	EXPECT_EQ dword [exc_ip], V4K + 0x80, "XD fetch: saved EIP is the target"
	K_READ V4K + 0x80
	EXPECT_NOFAULT "PTE XD=1: CPL 0 read"
	U_FETCH V4K + 0x84
	EXPECT_PF PF_ERR_P | PF_ERR_U | PF_ERR_I, V4K + 0x84, "PTE XD=1: CPL 3 fetch"
	PTE frame0 + PG_P + PG_RW + PG_US
	U_FETCH V4K + 0x84
	EXPECT_USER_OK "NXE=1, XD=0: CPL 3 fetch"
	mov eax, t_pt + PG_P + PG_RW + PG_US
	mov edx, XD_HI
	call set_pde4k
	K_FETCH V4K + 0x80
	EXPECT_PF PF_ERR_P | PF_ERR_I, V4K + 0x80, "PDE XD=1, PTE XD=0: fetch"
	mov eax, t_pt + PG_P + PG_RW + PG_US
	xor edx, edx
	call set_pde4k
	mov byte [P2M + 0x88], RET_OP
	mov eax, P2M | PG_PS | PG_P | PG_RW | PG_US
	mov edx, XD_HI
	call set_pde2m
	K_FETCH V2M + 0x88
	EXPECT_PF PF_ERR_P | PF_ERR_I, V2M + 0x88, "2M PDE XD=1: fetch"
	PTE frame0 + PG_P + PG_RW
	U_FETCH V4K + 0x84
	EXPECT_PF PF_ERR_P | PF_ERR_U | PF_ERR_I, V4K + 0x84, "NXE=1: CPL 3 fetch from a supervisor page"
	mov eax, P2M | PG_PS | PG_P | PG_RW | PG_US | (1 << 13)
	xor edx, edx
	call set_pde2m
	K_FETCH V2M + 0x88
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD | PF_ERR_I, V2M + 0x88, "NXE=1: fetch through a 2M PDE with bit 13 set"
	PG_SET_NXE 0
	jmp .nx_done
.no_nx:
	TAP_SKIP 20, "no NX (CPUID 80000001H:EDX[20])"
.nx_done:

	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax
	mov eax, cr4
	and eax, ~CR4_PAE
	mov cr4, eax
	ret
