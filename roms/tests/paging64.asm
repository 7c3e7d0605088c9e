; paging64.asm - 4-level paging in 64-bit mode: 4-KiB, 2-MiB and 1-GiB
; pages.
;
; Translation (both canonical halves), accessed and dirty flags at every
; level (SDM Vol. 3A 4.8), the #PF error code and CR2 for every permission
; fault (SDM Vol. 3A 4.6, 4.7): not-present at each level, user and
; read-only rules with CR0.WP, execute-disable with IA32_EFER.NXE and the
; I/D bit, reserved bits (PS in a PML4E, bits 29:13 of a 1-GiB PDPTE, bit
; 13 of a 2-MiB PDE, address bits at MAXPHYADDR, XD with NXE = 0), and a
; non-canonical address, which is #GP(0), not #PF (SDM Vol. 3A 4.5.1).
; Without 1-GiB page support (CPUID 80000001H:EDX[26]) a PDPTE's PS bit
; is reserved, and that is checked instead.
;
; Layout: the low 16 MiB are identity-mapped (P|RW|US 4-KiB pages) through
; PML4E 0. PML4E 1 (and PML4E 511, for the upper half) point to t_pdpt:
;   V4K  PDPTE 0 -> t_pd[0] -> t_pt[0] (rewritten per case)
;   V2M  PDPTE 0 -> t_pd[1], a 2-MiB page at P2M
;   V1G  PDPTE 1, a 1-GiB page at physical 0
; t_pd[2], PDPTE 2 and PML4E 2 are not present.
;
; QEMU 7.2 TCG deviates: its #PF error code for a reserved-bit violation
; lacks the P bit (SDM 4.7: RSVD = 1 implies P = 1), and without Page1GB
; in CPUID (its default qemu64 model) it still maps PDPTE.PS = 1 as a
; 1-GiB page instead of faulting.

%include "test.inc"
%include "ring3.inc"
%include "access.inc"
%include "tapskip.inc"

V4K             equ 0x0000008000000000
V4K_HI          equ 0xffffff8000000000
V2M             equ 0x0000008000200000
V1G             equ 0x0000008040000000
VNOPDE          equ 0x0000008000400000
VNOPDPTE        equ 0x0000008080000000
VNOPML4E        equ 0x0000010000000000
VNONCANON       equ 0x0000800000000000
P2M             equ 0x00800000
PML4E_T         equ pg4_pml4 + 1 * 8
PML4E_HI        equ pg4_pml4 + 511 * 8
PDPTE_1G        equ t_pdpt + 8
PG_XD           equ 1 << 63
RET_OP          equ 0xc3
MARK1           equ 0x11223344
MARK2           equ 0x55667788
MARK3           equ 0x99aabbcc
MARK4           equ 0x0badf00d
MARK5           equ 0x5a5a1234

section .bss
alignb 4096
t_pdpt:         resb 4096
t_pd:           resb 4096
t_pt:           resb 4096
frame0:         resb 4096

section .data
maxphyaddr:     dd 0
has_1g:         dd 0
has_nx:         dd 0

section .text
bits 64
; RAX = new PTE for V4K.
set_pte:
	mov [t_pt], rax
	mov rax, V4K
	invlpg [rax]
	ret

; RAX = new PDE for V4K.
set_pde4k:
	mov [t_pd], rax
	mov rax, V4K
	invlpg [rax]
	ret

; RAX = new 2-MiB PDE for V2M.
set_pde2m:
	mov [t_pd + 8], rax
	mov rax, V2M
	invlpg [rax]
	ret

; RAX = new 1-GiB PDPTE for V1G.
set_pdpte1g:
	mov [PDPTE_1G], rax
	mov rax, V1G
	invlpg [rax]
	ret

; RAX = new PML4E 1.
set_pml4e:
	mov [PML4E_T], rax
	mov rax, V4K
	invlpg [rax]
	ret

; SET routine, low [, high]: RAX = low (a 32-bit value, zero-extended)
; OR high (a 64-bit constant), then calls routine.
%macro SET 2-3 0
	mov eax, %2
%if %3 != 0
	mov rcx, %3
	or rax, rcx
%endif
	call %1
%endmacro

bits 32
main:
	TAP_PLAN 84
	call user_init32
	mov eax, 0x80000001
	cpuid
	mov eax, edx
	shr eax, 26
	and eax, 1
	mov [has_1g], eax
	shr edx, 20
	and edx, 1
	mov [has_nx], edx
	call pg_maxphyaddr32
	mov [maxphyaddr], eax
	mov eax, PG_P | PG_RW | PG_US
	call pg_build_4level32
	mov [long_cr3], eax
	mov dword [PML4E_T], t_pdpt + PG_P + PG_RW + PG_US
	mov dword [PML4E_HI], t_pdpt + PG_P + PG_RW + PG_US
	mov dword [t_pdpt], t_pd + PG_P + PG_RW + PG_US
	mov dword [t_pd], t_pt + PG_P + PG_RW + PG_US
	mov dword [t_pd + 8], P2M | PG_PS | PG_P | PG_RW | PG_US
	ENTER_LONG
	PG_SET_WP 1

	; --- 4-KiB page: translation, A and D at every level -------------------
	mov dword [frame0], MARK1
	mov qword [PML4E_T], t_pdpt + PG_P + PG_RW + PG_US
	mov qword [t_pdpt], t_pd + PG_P + PG_RW + PG_US
	SET set_pde4k, t_pt + PG_P + PG_RW + PG_US
	SET set_pte, frame0 + PG_P + PG_RW + PG_US
	K_READ V4K
	EXPECT_EQ rax, MARK1, "4K: a read through the PTE sees the frame"
	EXPECT_MASK qword [PML4E_T], PG_A, PG_A, "4K: the read sets A in the PML4E"
	EXPECT_MASK qword [t_pdpt], PG_A, PG_A, "4K: the read sets A in the PDPTE"
	EXPECT_MASK qword [t_pd], PG_A, PG_A, "4K: the read sets A in the PDE"
	EXPECT_MASK qword [t_pt], PG_A | PG_D, PG_A, "4K: the read sets A, not D, in the PTE"
	K_WRITE V4K + 4, MARK2
	mov eax, [frame0 + 4]
	EXPECT_EQ rax, MARK2, "4K: a write lands in the frame"
	EXPECT_MASK qword [t_pt], PG_A | PG_D, PG_A | PG_D, "4K: the write sets D in the PTE"
	mov eax, [t_pd]
	or eax, [t_pdpt]
	or eax, [PML4E_T]
	EXPECT_MASK rax, PG_D, 0, "4K: D is not set in the PDE, PDPTE or PML4E"
	K_READ V4K_HI + 4
	EXPECT_EQ rax, MARK2, "upper canonical half: PML4E 511 maps the same frame"

	; --- 2-MiB page ------------------------------------------------------------
	mov dword [P2M + 0x1238], MARK3
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW | PG_US
	K_READ V2M + 0x1238
	EXPECT_EQ rax, MARK3, "2M: a read through the PDE sees the frame"
	EXPECT_MASK qword [t_pd + 8], PG_A | PG_D, PG_A, "2M: the read sets A, not D"
	K_WRITE V2M + 0x1ff000, MARK4
	mov eax, [P2M + 0x1ff000]
	EXPECT_EQ rax, MARK4, "2M: a write near the top lands in the frame"
	EXPECT_MASK qword [t_pd + 8], PG_A | PG_D, PG_A | PG_D, "2M: the write sets D"

	; --- 1-GiB page --------------------------------------------------------------
	mov dword [P2M + 0x4000], MARK5
	SET set_pdpte1g, PG_PS | PG_P | PG_RW | PG_US      ; physical 0
	cmp dword [has_1g], 0
	je .no_1g
	K_READ V1G + P2M + 0x4000
	EXPECT_EQ rax, MARK5, "1G: a read through the PDPTE sees physical memory"
	EXPECT_MASK qword [PDPTE_1G], PG_A | PG_D, PG_A, "1G: the read sets A, not D"
	K_WRITE V1G + P2M + 0x4004, MARK1
	mov eax, [P2M + 0x4004]
	EXPECT_EQ rax, MARK1, "1G: a write lands in physical memory"
	EXPECT_MASK qword [PDPTE_1G], PG_A | PG_D, PG_A | PG_D, "1G: the write sets D"
	SET set_pdpte1g, PG_PS | PG_P | PG_RW | PG_US | (1 << 13)
	K_READ V1G + 0x10
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD, V1G + 0x10, "1G PDPTE bit 13 set (reserved)"
	jmp .g_done
.no_1g:
	K_READ V1G + 0x10
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD, V1G + 0x10, "no 1-GiB pages: PDPTE PS=1 is reserved"
	TAP_SKIP 4, "no 1-GiB pages (CPUID 80000001H:EDX[26])"
.g_done:
	SET set_pdpte1g, 0

	; --- not present at each level (NXE = 0) ---------------------------------------
	SET set_pte, frame0 + PG_RW + PG_US
	K_READ V4K + 0x10
	EXPECT_PF 0, V4K + 0x10, "not-present PTE, read"
	K_WRITE V4K + 0x20, 1
	EXPECT_PF PF_ERR_W, V4K + 0x20, "not-present PTE, write"
	K_FETCH V4K
	EXPECT_PF 0, V4K, "not-present PTE, fetch, NXE=0"
	mov rax, V4K
	EXPECT_EQ qword [exc_ip], rax, "not-present fetch: saved RIP is the target"
	K_READ VNOPDE + 0x24
	EXPECT_PF 0, VNOPDE + 0x24, "not-present PDE, read"
	K_READ VNOPDPTE + 0x28
	EXPECT_PF 0, VNOPDPTE + 0x28, "not-present PDPTE, read"
	U_WRITE VNOPML4E + 0x2c, 1
	EXPECT_PF PF_ERR_W | PF_ERR_U, VNOPML4E + 0x2c, "not-present PML4E, CPL 3 write"

	; A non-canonical address is checked before paging: #GP(0).
	K_READ VNONCANON
	EXPECT_VE VEC_GP, 0, "non-canonical read: #GP(0), not #PF"

	; --- user and read-only ----------------------------------------------------------
	SET set_pte, frame0 + PG_P + PG_US
	U_READ V4K + 8
	EXPECT_USER_OK "CPL 3 read of a read-only user page"
	U_WRITE V4K + 8, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U, V4K + 8, "CPL 3 write to a read-only page"
	mov rax, user_write64
	EXPECT_EQ qword [exc_ip], rax, "CPL 3 write fault: saved RIP is the write"
	EXPECT_EQ qword [exc_cs], SEL_CODE64_R3 | 3, "CPL 3 write fault: saved CS"
	SET set_pte, frame0 + PG_P + PG_RW
	U_READ V4K + 0xc
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0xc, "CPL 3 read of a supervisor page"
	U_FETCH V4K + 0x30
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0x30, "CPL 3 fetch from a supervisor page, NXE=0"
	; U/S = 0 and R/W = 0 in the PML4E rule the whole subtree.
	SET set_pte, frame0 + PG_P + PG_RW + PG_US
	SET set_pml4e, t_pdpt + PG_P + PG_RW
	U_READ V4K + 0x14
	EXPECT_PF PF_ERR_P | PF_ERR_U, V4K + 0x14, "PML4E U/S=0: CPL 3 read"
	SET set_pml4e, t_pdpt + PG_P + PG_US
	U_WRITE V4K + 0x18, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_U, V4K + 0x18, "PML4E R/W=0: CPL 3 write"
	K_WRITE V4K + 0x1c, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V4K + 0x1c, "PML4E R/W=0, CR0.WP=1: CPL 0 write"
	SET set_pml4e, t_pdpt + PG_P + PG_RW + PG_US

	SET set_pte, frame0 + PG_P                         ; supervisor, read-only
	PG_SET_WP 0
	K_WRITE V4K + 0x40, MARK3
	EXPECT_NOFAULT "CR0.WP=0: CPL 0 write to a read-only page"
	mov eax, [frame0 + 0x40]
	EXPECT_EQ rax, MARK3, "CR0.WP=0: the write lands"
	PG_SET_WP 1
	K_WRITE V4K + 0x44, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V4K + 0x44, "CR0.WP=1: CPL 0 write to a read-only page"
	SET set_pde2m, P2M | PG_PS | PG_P | PG_US
	K_WRITE V2M + 0x100004, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W, V2M + 0x100004, "CR0.WP=1: CPL 0 write to a read-only 2M page"
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW
	U_READ V2M + 0x100008
	EXPECT_PF PF_ERR_P | PF_ERR_U, V2M + 0x100008, "CPL 3 read of a supervisor 2M page"

	; --- reserved bits (SDM Vol. 3A table 4-14 to 4-20) ----------------------------------
	SET set_pte, frame0 + PG_P + PG_RW + PG_US, PG_XD
	K_READ V4K + 0x48
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD, V4K + 0x48, "XD=1 with NXE=0 is reserved: read"
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW | PG_US | (1 << 13)
	U_READ V2M + 0x4c
	EXPECT_PF PF_ERR_P | PF_ERR_U | PF_ERR_RSVD, V2M + 0x4c, "2M PDE bit 13 set: CPL 3 read"
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW | PG_US
	SET set_pte, frame0 + PG_P + PG_RW + PG_US
	SET set_pml4e, t_pdpt + PG_P + PG_RW + PG_US + PG_PS
	K_WRITE V4K + 0x50, 1
	EXPECT_PF PF_ERR_P | PF_ERR_W | PF_ERR_RSVD, V4K + 0x50, "PML4E PS=1 (reserved): write"
	SET set_pml4e, t_pdpt + PG_P + PG_RW + PG_US
	mov ecx, [maxphyaddr]
	cmp ecx, 52
	jae .no_m_rsvd
	mov eax, 1
	shl rax, cl
	or rax, frame0 + PG_P + PG_RW + PG_US
	call set_pte
	K_READ V4K + 0x54
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD, V4K + 0x54, "PTE address bit MAXPHYADDR set: read"
	SET set_pte, frame0 + PG_P + PG_RW + PG_US
	jmp .m_rsvd_done
.no_m_rsvd:
	TAP_SKIP 2, "MAXPHYADDR is 52"
.m_rsvd_done:

	; --- execute-disable (needs NX) --------------------------------------------------------
	cmp dword [has_nx], 0
	je .no_nx
	PG_SET_NXE 1
	mov byte [frame0 + 0x80], RET_OP
	mov word [frame0 + 0x84], 0xcd | (USER_EXIT_VEC << 8)
	SET set_pte, frame0 + PG_RW + PG_US
	K_FETCH V4K + 0x80
	EXPECT_PF PF_ERR_I, V4K + 0x80, "NXE=1: not-present fetch sets I/D"
	K_WRITE V4K + 0x80, 1
	EXPECT_PF PF_ERR_W, V4K + 0x80, "NXE=1: not-present write leaves I/D clear"
	SET set_pte, frame0 + PG_P + PG_RW + PG_US
	K_FETCH V4K + 0x80
	EXPECT_NOFAULT "NXE=1, XD=0: fetch"
	SET set_pte, frame0 + PG_P + PG_RW + PG_US, PG_XD
	K_FETCH V4K + 0x80
	EXPECT_PF PF_ERR_P | PF_ERR_I, V4K + 0x80, "PTE XD=1: CPL 0 fetch"
	K_READ V4K + 0x80
	EXPECT_NOFAULT "PTE XD=1: CPL 0 read"
	U_FETCH V4K + 0x84
	EXPECT_PF PF_ERR_P | PF_ERR_U | PF_ERR_I, V4K + 0x84, "PTE XD=1: CPL 3 fetch"
	SET set_pte, frame0 + PG_P + PG_RW + PG_US
	U_FETCH V4K + 0x84
	EXPECT_USER_OK "NXE=1, XD=0: CPL 3 fetch"
	SET set_pml4e, t_pdpt + PG_P + PG_RW + PG_US, PG_XD
	K_FETCH V4K + 0x80
	EXPECT_PF PF_ERR_P | PF_ERR_I, V4K + 0x80, "PML4E XD=1, leaf XD=0: fetch"
	SET set_pml4e, t_pdpt + PG_P + PG_RW + PG_US
	mov byte [P2M + 0x88], RET_OP
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW | PG_US, PG_XD
	K_FETCH V2M + 0x88
	EXPECT_PF PF_ERR_P | PF_ERR_I, V2M + 0x88, "2M PDE XD=1: fetch"
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW | PG_US
	K_FETCH V2M + 0x88
	EXPECT_NOFAULT "2M PDE XD=0: fetch"
	SET set_pte, frame0 + PG_P + PG_RW
	U_FETCH V4K + 0x84
	EXPECT_PF PF_ERR_P | PF_ERR_U | PF_ERR_I, V4K + 0x84, "NXE=1: CPL 3 fetch from a supervisor page"
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW | PG_US | (1 << 13)
	K_FETCH V2M + 0x88
	EXPECT_PF PF_ERR_P | PF_ERR_RSVD | PF_ERR_I, V2M + 0x88, "NXE=1: fetch through a 2M PDE with bit 13 set"
	SET set_pde2m, P2M | PG_PS | PG_P | PG_RW | PG_US
	PG_SET_NXE 0
	jmp .nx_done
.no_nx:
	TAP_SKIP 20, "no NX (CPUID 80000001H:EDX[20])"
.nx_done:
	LEAVE_LONG
	ret
