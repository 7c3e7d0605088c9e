; vmxsim-options: -smp 3
; smp_trampoline.asm - the SMP trampoline story (DESIGN story 1, seeds
; 000 and 004): the BSP copies a real-mode trampoline below 1 MiB and
; starts AP 1 with INIT, INIT de-assert, SIPI, SIPI (the universal
; start-up algorithm, SDM Vol. 3A 8.4.4.1). Like Linux's trampoline, the
; AP overwrites the trampoline's first four bytes with a5a5a5a5 from the
; very block that holds them. The BSP keeps running its own code; AP 2,
; started later at the same vector, must execute the new bytes exactly as
; written: a5 a5 a5 a5 is four MOVSW in 16-bit code, which leave SI = 8 and
; AL as INIT left it (0), where the original "mov al, 1; nop; nop" gives
; AL = 1 and SI = 0. Then the SDM's rules: a SIPI to an AP that already
; runs (or halts) is ignored, INIT level de-assert resets nothing, the BSP
; ignores a SIPI, and a real INIT puts a halted AP back in wait-for-SIPI
; so that the next SIPI restarts it.

%include "test.inc"
%include "apic.inc"

TRAMP           equ 0x30000                 ; page-aligned, below 1 MiB
TRAMP_VECTOR    equ TRAMP >> 12
T_RUNS          equ 0x100                   ; byte per APIC ID: runs
T_AL            equ 0x110                   ; byte per APIC ID: AL seen
T_SI            equ 0x120                   ; word per APIC ID: SI seen
T_DONE          equ 0x140                   ; byte: runs of every AP
POLLS           equ 2000000                 ; polls before giving up
SETTLE          equ 20000                   ; delay between IPIs

section .text
main:
	TAP_PLAN 16

	; The trampoline and its data page.
	mov edi, TRAMP
	xor eax, eax
	mov ecx, 1024
	rep stosd
	mov esi, tramp_start
	mov edi, TRAMP
	mov ecx, tramp_end - tramp_start
	rep movsb

	mov eax, APIC_SVR
	mov edx, APIC_SVR_ENABLE | 0xff
	call apic_write32

	; --- AP 1: INIT, INIT de-assert, SIPI, SIPI --------------------------
	mov edx, 1
	call start_ap
	mov esi, TRAMP + T_DONE
	mov al, 1
	mov ecx, POLLS
	call wait_byte32
	TAP_CHECK e, "AP 1 ran the trampoline after INIT-SIPI-SIPI"
	EXPECT_EQ dword [TRAMP], 0xa5a5a5a5, "AP 1 wrote a5a5a5a5 over the trampoline's first four bytes"
	movzx eax, byte [TRAMP + T_AL + 1]
	EXPECT_EQ eax, 1, "AP 1 executed the original first instruction (mov al, 1)"
	movzx eax, word [TRAMP + T_SI + 2]
	EXPECT_EQ eax, 0, "AP 1: SI = 0, no MOVSW ran"
	mov ecx, SETTLE * 10
	call apic_delay32
	movzx eax, byte [TRAMP + T_RUNS + 1]
	EXPECT_EQ eax, 1, "the second SIPI is ignored: AP 1 ran the trampoline once"

	; --- INIT de-assert and a SIPI to the halted AP 1: both ignored ------
	mov eax, ICR_INIT_DEASSERT
	mov edx, 1
	call apic_ipi32
	mov ecx, SETTLE
	call apic_delay32
	mov eax, ICR_STARTUP | TRAMP_VECTOR
	mov edx, 1
	call apic_ipi32
	mov ecx, SETTLE * 10
	call apic_delay32
	movzx eax, byte [TRAMP + T_RUNS + 1]
	EXPECT_EQ eax, 1, "INIT de-assert resets nothing: a SIPI to the halted AP 1 is ignored"

	; --- the BSP ignores a SIPI ------------------------------------------
	mov eax, ICR_STARTUP | TRAMP_VECTOR
	xor edx, edx
	call apic_ipi32
	mov ecx, SETTLE
	call apic_delay32
	movzx eax, byte [TRAMP + T_RUNS + 0]
	EXPECT_EQ eax, 0, "a SIPI to the BSP is ignored: it goes on with its own code"

	; --- AP 2, started later: the modified bytes, as written -------------
	mov edx, 2
	call start_ap
	mov esi, TRAMP + T_DONE
	mov al, 2
	mov ecx, POLLS
	call wait_byte32
	TAP_CHECK e, "AP 2 ran the trampoline"
	movzx eax, byte [TRAMP + T_AL + 2]
	EXPECT_EQ eax, 0, "AP 2 executed a5a5a5a5, not the stale mov al, 1"
	movzx eax, word [TRAMP + T_SI + 4]
	EXPECT_EQ eax, 8, "AP 2: four MOVSW ran (SI = 8)"
	movzx eax, byte [TRAMP + T_RUNS + 2]
	EXPECT_EQ eax, 1, "AP 2 ran the trampoline once"

	; --- INIT puts the halted AP 1 back in wait-for-SIPI -----------------
	mov eax, ICR_INIT_ASSERT
	mov edx, 1
	call apic_ipi32
	mov ecx, SETTLE
	call apic_delay32
	mov eax, ICR_STARTUP | TRAMP_VECTOR
	mov edx, 1
	call apic_ipi32
	mov esi, TRAMP + T_DONE
	mov al, 3
	mov ecx, POLLS
	call wait_byte32
	TAP_CHECK e, "INIT then SIPI restart the halted AP 1"
	movzx eax, byte [TRAMP + T_RUNS + 1]
	EXPECT_EQ eax, 2, "AP 1 ran the trampoline a second time"
	movzx eax, byte [TRAMP + T_AL + 1]
	EXPECT_EQ eax, 0, "AP 1's second run executed the new bytes (AL from INIT, 0)"
	movzx eax, word [TRAMP + T_SI + 2]
	EXPECT_EQ eax, 8, "AP 1's second run: SI = 8"
	movzx eax, byte [TRAMP + T_RUNS + 0]
	EXPECT_EQ eax, 0, "the BSP never ran the trampoline"
	ret

; start_ap: the universal start-up algorithm for the AP whose APIC ID is
; EDX: INIT assert, INIT de-assert, then two SIPIs.
start_ap:
	push eax
	push ecx
	mov eax, ICR_INIT_ASSERT
	call apic_ipi32
	mov ecx, SETTLE
	call apic_delay32
	mov eax, ICR_INIT_DEASSERT
	call apic_ipi32
	mov ecx, SETTLE
	call apic_delay32
	mov eax, ICR_STARTUP | TRAMP_VECTOR
	call apic_ipi32
	mov ecx, SETTLE
	call apic_delay32
	mov eax, ICR_STARTUP | TRAMP_VECTOR
	call apic_ipi32
	pop ecx
	pop eax
	ret

; The trampoline, copied to TRAMP and entered in real mode at
; TRAMP_VECTOR00:0000 with the INIT state: EAX = 0, DS = ES = SS = 0,
; SI = DI = 0, DF = 0.
bits 16
tramp_start:
	mov al, 1                               ; b0 01: becomes a5 a5
	nop                                     ; 90 90: becomes a5 a5
	nop
	mov bx, cs
	mov ds, bx
	; The marker over the first four bytes, from the same block.
	mov dword [0], 0xa5a5a5a5
	mov bp, ax                              ; AL of the first instruction
	mov di, si                              ; SI after the first bytes
	mov eax, 1
	cpuid
	shr ebx, 24                             ; initial APIC ID
	mov ax, bp
	mov [bx + T_AL], al
	mov [ebx * 2 + T_SI], di
	inc byte [bx + T_RUNS]
	lock inc byte [T_DONE]
.halt:
	cli
	hlt
	jmp .halt
tramp_end:
bits 32
