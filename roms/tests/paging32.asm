; paging32.asm - 32-bit paging (CR4.PAE = 0): 4-KiB and 4-MiB pages.
;
; Translation, accessed and dirty flags (SDM Vol. 3A 4.8), and every
; permission fault with its #PF error code and CR2 (SDM Vol. 3A 4.6, 4.7):
; not-present read/write/fetch, user accesses to supervisor pages, writes
; to read-only pages at CPL 3 and at CPL 0 with CR0.WP = 0 and 1, rights
; combined across the PDE and PTE, and reserved bits in a 4-MiB PDE. In
; 32-bit paging the I/D error bit stays 0 even with IA32_EFER.NXE = 1: it
; needs CR4.PAE = 1 or CR4.SMEP = 1 (SDM Vol. 3A 4.7).
;
; Layout: the low 16 MiB are identity-mapped with P|RW|US 4-KiB pages.
; V4K (PDE 256) goes through t_pt, whose entry 0 is rewritten per case;
; V4M (PDE 512) is a 4-MiB page at physical P4M; PDE 768 is not present.
;
; QEMU 7.2 TCG deviates: its #PF error code for a reserved-bit violation
; lacks the P bit (0x8 instead of 0x9); the SDM (4.7) says RSVD = 1 implies
; P = 1, since reserved bits are checked only in present entries.

%include "test.inc"
%include "ring3.inc"
%include "access.inc"
%include "tapskip.inc"

V4K             equ 0x40000000
V4M             equ 0x80000000
VNONE           equ 0xc0000000
P4M             equ 0x00800000          ; 4-MiB aligned, inside the 16 MiB
PDE_4K          equ pg32_pd + (V4K >> 22) * 4
PDE_4M          equ pg32_pd + (V4M >> 22) * 4
PDE_RSVD21      equ 1 << 21             ; reserved in a 4-MiB PDE (M <= 40)
MARK1           equ 0x11223344
MARK2           equ 0x55667788
MARK3           equ 0x99aabbcc
MARK4           equ 0x0badf00d

section .bss
alignb 4096
t_pt:           resb 4096
frame0:         resb 4096

section .text
; EAX = new PTE for V4K; flushes its translation.
set_pte:
	mov [t_pt], eax
	invlpg [V4K]
	ret

; EAX = new PDE for V4K (the page table stays t_pt).
set_pde4k:
	mov [PDE_4K], eax
	invlpg [V4K]
	ret

; EAX = new 4-MiB PDE for V4M.
set_pde4m:
	mov [PDE_4M], eax
	invlpg [V4M]
	ret

main:
	TAP_PLAN 52
	call user_init32
	mov eax, PG_P | PG_RW | PG_US
	call pg_build_32bit32
	mov cr3, eax
	mov dword [PDE_4K], t_pt + PG_P + PG_RW + PG_US
	mov dword [PDE_4M], P4M | PG_PS | PG_P | PG_RW | PG_US
	mov eax, cr4
	or eax, CR4_PSE
	mov cr4, eax
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax

	; --- 4-KiB page: translation, A and D -----------------------------------
	mov dword [frame0], MARK1
	mov dword [PDE_4K], t_pt + PG_P + PG_RW + PG_US    ; A = D = 0
	mov eax, frame0 + PG_P + PG_RW + PG_US
	call set_pte
	K_READ V4K
	EXPECT_EQ eax, MARK1, "4K: a read through the PTE sees the frame"
	EXPECT_MASK dword [PDE_4K], PG_A, PG_A, "4K: the read sets A in the PDE"
	EXPECT_MASK dword [t_pt], PG_A | PG_D, PG_A, "4K: the read sets A, not D, in the PTE"
	K_WRITE V4K + 4, MARK2
	EXPECT_EQ dword [frame0 + 4], MARK2, "4K: a write lands in the frame"
	EXPECT_MASK dword [t_pt], PG_A | PG_D, PG_A | PG_D, "4K: the write sets D in the PTE"
	EXPECT_MASK dword [PDE_4K], PG_D, 0, "4K: D of a PDE that maps a page table is not set"

	; --- 4-MiB page ----------------------------------------------------------
	mov dword [P4M + 0x1238], MARK3
	mov eax, P4M | PG_PS | PG_P | PG_RW | PG_US
	call set_pde4m
	K_READ V4M + 0x1238
	EXPECT_EQ eax, MARK3, "4M: a read through the PDE sees the frame"
	EXPECT_MASK dword [PDE_4M], PG_A | PG_D, PG_A, "4M: the read sets A, not D"
	K_WRITE V4M + 0x3ff000, MARK4
	EXPECT_EQ dword [P4M + 0x3ff000], MARK4, "4M: a write near the top lands in the frame"
	EXPECT_MASK dword [PDE_4M], PG_A | PG_D, PG_A | PG_D, "4M: the write sets D"

	; --- not present ---------------------------------------------------------
	mov eax, frame0 + PG_RW + PG_US
	call set_pte
	K_READ V4K + 0x10
	EXPECT_PF 0, V4K + 0x10, "not-present PTE, read"
	K_WRITE V4K + 0x20, 1
	EXPECT_PF PF_ERR_W, V4K + 0x20, "not-present PTE, write"
	K_FETCH V4K
	EXPECT_PF 0, V4K, "not-present PTE, fetch (no I/D in 32-bit paging)"
	EXPECT_EQ dword [exc_ip], V4K, "not-present fetch: saved EIP is the target"
	K_READ VNONE + 0x24
	EXPECT_PF 0, VNONE + 0x24, "not-present PDE, read"
	U_WRITE VNONE + 0x28, 1
	EXPECT_PF PF_ERR_W | PF_ERR_U, VNONE + 0x28, "not-present PDE, CPL 3 write"

	; --- user accesses --------------------------------------------------------
	mov eax, frame0 + PG_P + PG_US                     ; read-only user page
	call set_pte
	U_READ V4K + 8
	EXPECT_USER_OK "CPL 3 read of a read-only user page"
	U_WRITE V4K + 8, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U, V4K + 8, "CPL 3 write to a read-only page"
	EXPECT_EQ dword [exc_ip], user_write32, "CPL 3 write fault: saved EIP is the write"
	mov eax, frame0 + PG_P + PG_RW                     ; supervisor page
	call set_pte
	U_READ V4K + 0xc
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0xc, "CPL 3 read of a supervisor page"
	U_WRITE V4K + 0x10, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U, V4K + 0x10, "CPL 3 write to a supervisor page"
	U_FETCH V4K + 0x30
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0x30, "CPL 3 fetch from a supervisor page"

	; U/S and R/W combine over both levels (SDM Vol. 3A 4.6.1).
	mov eax, frame0 + PG_P + PG_RW + PG_US
	call set_pte
	mov eax, t_pt + PG_P + PG_RW                       ; supervisor PDE
	call set_pde4k
	U_READ V4K + 0x14
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0x14, "PDE U/S=0, PTE U/S=1: CPL 3 read"
	mov eax, t_pt + PG_P + PG_US                       ; read-only PDE
	call set_pde4k
	U_WRITE V4K + 0x18, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U, V4K + 0x18, "PDE R/W=0, PTE R/W=1: CPL 3 write"
	K_WRITE V4K + 0x1c, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V4K + 0x1c, "PDE R/W=0, CR0.WP=1: CPL 0 write"
	mov eax, t_pt + PG_P + PG_RW + PG_US
	call set_pde4k

	; --- CR0.WP ------------------------------------------------------------------
	mov eax, frame0 + PG_P                             ; supervisor, read-only
	call set_pte
	PG_SET_WP 0
	K_WRITE V4K + 0x40, MARK3
	EXPECT_NOFAULT "CR0.WP=0: CPL 0 write to a read-only page"
	EXPECT_EQ dword [frame0 + 0x40], MARK3, "CR0.WP=0: the write lands"
	PG_SET_WP 1
	K_WRITE V4K + 0x44, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V4K + 0x44, "CR0.WP=1: CPL 0 write to a read-only page"
	mov eax, P4M | PG_PS | PG_P | PG_US                ; read-only 4 MiB
	call set_pde4m
	K_WRITE V4M + 0x200004, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V4M + 0x200004, "CR0.WP=1: CPL 0 write to a read-only 4M page"
	mov eax, P4M | PG_PS | PG_P | PG_RW                ; supervisor 4 MiB
	call set_pde4m
	U_READ V4M + 0x100008
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4M + 0x100008, "CPL 3 read of a supervisor 4M page"

	; --- reserved bits: PDE bit 21 with PS = 1 (SDM Vol. 3A table 4-4) ----------
	mov eax, P4M | PDE_RSVD21 | PG_PS | PG_P | PG_RW | PG_US
	call set_pde4m
	K_READ V4M + 0x50
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD, V4M + 0x50, "4M PDE bit 21 set: CPL 0 read"
	U_WRITE V4M + 0x54, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_RSVD, V4M + 0x54, "4M PDE bit 21 set: CPL 3 write"
	mov eax, P4M | PG_PS | PG_P | PG_RW | PG_US
	call set_pde4m

	; --- IA32_EFER.NXE does not make 32-bit paging report I/D -------------------
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 20
	jz .no_nx
	mov ecx, MSR_IA32_EFER
	rdmsr
	or eax, EFER_NXE
	wrmsr
	mov eax, frame0 + PG_RW + PG_US
	call set_pte
	K_FETCH V4K + 0x60
	EXPECT_PF 0, V4K + 0x60, "EFER.NXE=1, 32-bit paging: not-present fetch has I/D=0"
	mov byte [frame0 + 0x64], 0xc3                     ; RET
	mov eax, frame0 + PG_P + PG_RW + PG_US
	call set_pte
	K_FETCH V4K + 0x64
	EXPECT_NOFAULT "EFER.NXE=1, 32-bit paging: fetch from a present page"
	mov ecx, MSR_IA32_EFER
	rdmsr
	and eax, ~EFER_NXE
	wrmsr
	jmp .nx_done
.no_nx:
	TAP_SKIP 3, "no NX (CPUID 80000001H:EDX[20])"
.nx_done:

	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax
	ret
