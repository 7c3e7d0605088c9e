; vmxsim-options: -smp 3
; lapic.asm - the local APIC (SDM Vol. 3A chapter 10) from a guest: the
; timer in one-shot, periodic and TSC-deadline modes and masked; TPR
; masking, ISR, PPR and EOI; IPIs with physical, logical flat and logical
; cluster destinations and the three shorthands; NMI; what the sender's
; ESR records for a lowest-priority IPI (SDM 10.5.3: this processor does
; not send them) and for an illegal vector. Two APs run in protected mode
; (smp.inc) and record what they receive.

%include "test.inc"
%include "tapskip.inc"
%include "apic.inc"
%include "smp.inc"

SETTLE          equ 200000

%macro HITS 2                               ; HITS cpu, vector -> EAX
	movzx eax, byte [hits + (%1) * 256 + (%2)]
%endmacro

%macro SELF_IPI 1
	mov eax, ICR_SELF | (%1)
	xor edx, edx
	call apic_ipi32
%endmacro

section .text
main:
	TAP_PLAN 34
	call pic_mask_all
	call irq_setup32
	mov eax, APIC_SVR
	mov edx, APIC_SVR_ENABLE | 0xff
	call apic_write32
	mov eax, APIC_LDR
	mov edx, 1 << 24
	call apic_write32
	mov edx, 2
	call smp_start32
	TAP_CHECK e, "APs 1 and 2 started and enabled their APICs"
	mov eax, APIC_VERSION
	call apic_read32
	EXPECT_MASK eax, 0xf0, 0x10, "version: an integrated APIC (1xH)"

	; --- timer, one-shot -------------------------------------------------
	mov eax, APIC_TIMER_DCR
	mov edx, 0xb                            ; divide by 1
	call apic_write32
	mov eax, APIC_LVT_TIMER
	mov edx, 0x40
	call apic_write32
	mov eax, APIC_TIMER_ICR
	mov edx, 100000
	call apic_write32
	mov eax, APIC_TIMER_CCR
	call apic_read32
	mov ebx, eax
	mov ecx, 100
	call apic_delay32
	mov eax, APIC_TIMER_CCR
	call apic_read32
	cmp eax, ebx
	TAP_CHECK b, "one-shot: the current count goes down"
	mov esi, hits + 0x40
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "one-shot: the interrupt arrives"
	mov eax, APIC_TIMER_CCR
	call apic_read32
	EXPECT_EQ eax, 0, "one-shot: the count stays at 0"
	mov ecx, SETTLE
	sti
	call apic_delay32
	cli
	HITS 0, 0x40
	EXPECT_EQ eax, 1, "one-shot: one interrupt only"

	; --- timer, periodic -------------------------------------------------
	mov eax, APIC_LVT_TIMER
	mov edx, APIC_TIMER_PERIODIC | 0x41
	call apic_write32
	mov eax, APIC_TIMER_ICR
	mov edx, 20000
	call apic_write32
	mov esi, hits + 0x41
	mov al, 3
	call wait_hit32
	TAP_CHECK e, "periodic: three interrupts"
	mov eax, APIC_TIMER_ICR
	xor edx, edx
	call apic_write32
	mov ecx, 1000                           ; one already in IRR may come
	sti
	call apic_delay32
	cli
	HITS 0, 0x41
	mov ebx, eax
	mov ecx, SETTLE
	sti
	call apic_delay32
	cli
	HITS 0, 0x41
	EXPECT_EQ eax, ebx, "periodic: initial count 0 stops it"

	; --- timer, masked ---------------------------------------------------
	mov eax, APIC_LVT_TIMER
	mov edx, APIC_MASKED | 0x42
	call apic_write32
	mov eax, APIC_TIMER_ICR
	mov edx, 1000
	call apic_write32
	mov ecx, SETTLE
	sti
	call apic_delay32
	cli
	HITS 0, 0x42
	EXPECT_EQ eax, 0, "masked timer: no interrupt"
	mov eax, APIC_TIMER_CCR
	call apic_read32
	EXPECT_EQ eax, 0, "masked timer: it counted to 0 all the same"

	; --- timer, TSC deadline ---------------------------------------------
	mov eax, 1
	cpuid
	test ecx, 1 << 24
	jnz .deadline
	TAP_SKIP 3, "no TSC-deadline timer (CPUID.01H:ECX[24] = 0)"
	jmp .deadline_done
.deadline:
	mov eax, APIC_LVT_TIMER
	mov edx, APIC_TIMER_DEADLINE | 0x43
	call apic_write32
	rdtsc
	add eax, 200000
	adc edx, 0
	mov ecx, MSR_TSC_DEADLINE
	wrmsr
	rdmsr
	test eax, eax
	TAP_CHECK nz, "TSC deadline: the MSR holds the deadline"
	mov esi, hits + 0x43
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "TSC deadline: the interrupt arrives"
	mov ecx, MSR_TSC_DEADLINE
	rdmsr
	or eax, edx
	EXPECT_EQ eax, 0, "TSC deadline: the MSR reads 0 after it fired"
.deadline_done:
	mov eax, APIC_LVT_TIMER
	mov edx, APIC_MASKED
	call apic_write32

	; --- self IPI, TPR, ISR, PPR, EOI ------------------------------------
	SELF_IPI 0x50
	mov esi, hits + 0x50
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "self IPI"
	mov eax, APIC_TPR
	mov edx, 0x60
	call apic_write32
	SELF_IPI 0x55
	mov eax, APIC_IRR + 0x20                ; vectors 0x40-0x5f
	call apic_read32
	EXPECT_MASK eax, 1 << 21, 1 << 21, "TPR 0x60 holds vector 0x55 in IRR"
	mov ecx, SETTLE
	sti
	call apic_delay32
	cli
	HITS 0, 0x55
	EXPECT_EQ eax, 0, "TPR 0x60: vector 0x55 is not taken"
	mov eax, APIC_TPR
	xor edx, edx
	call apic_write32
	mov esi, hits + 0x55
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "TPR 0: vector 0x55 is taken"
	mov dword [no_eoi], 1
	SELF_IPI 0x56
	mov esi, hits + 0x56
	mov al, 1
	call wait_hit32
	mov eax, APIC_ISR + 0x20
	call apic_read32
	EXPECT_MASK eax, 1 << 22, 1 << 22, "in service: ISR bit 0x56 set"
	mov eax, APIC_PPR
	call apic_read32
	EXPECT_MASK eax, 0xf0, 0x50, "PPR takes the in-service class 5"
	mov dword [no_eoi], 0
	mov eax, APIC_EOI
	xor edx, edx
	call apic_write32
	mov eax, APIC_ISR + 0x20
	call apic_read32
	EXPECT_EQ eax, 0, "EOI clears the ISR bit"

	; --- destinations and shorthands -------------------------------------
	mov eax, 0x60
	mov edx, 1
	call apic_ipi32
	mov esi, hits + 256 + 0x60
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "physical destination 1: AP 1 takes it"
	HITS 2, 0x60
	EXPECT_EQ eax, 0, "physical destination 1: AP 2 does not"
	mov eax, ICR_LOGICAL | 0x61
	mov edx, 0x06
	call apic_ipi32
	mov esi, hits + 2 * 256 + 0x61
	mov al, 1
	call wait_hit32
	HITS 1, 0x61
	mov ebx, eax
	HITS 0, 0x61
	add ebx, eax
	EXPECT_EQ ebx, 1, "logical flat 06H: APs 1 and 2, not the BSP"
	mov eax, ICR_ALL | 0x62
	call apic_ipi32
	mov esi, hits + 2 * 256 + 0x62
	mov al, 1
	call wait_hit32
	mov esi, hits + 256 + 0x62
	call wait_hit32
	mov esi, hits + 0x62
	call wait_hit32
	TAP_CHECK e, "all including self: the BSP too"
	mov eax, ICR_OTHERS | 0x63
	call apic_ipi32
	mov esi, hits + 2 * 256 + 0x63
	mov al, 1
	call wait_hit32
	mov esi, hits + 256 + 0x63
	call wait_hit32
	TAP_CHECK e, "all excluding self: the APs"
	HITS 0, 0x63
	EXPECT_EQ eax, 0, "all excluding self: not the BSP"
	mov eax, ICR_NMI
	mov edx, 2
	call apic_ipi32
	mov esi, hits + 2 * 256 + VEC_NMI
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "NMI IPI: AP 2 takes vector 2"

	; --- logical cluster model -------------------------------------------
	mov dword [ap_cmd], cluster_mode
	xor eax, eax
	call cluster_mode
	mov eax, ICR_OTHERS | CMD_VECTOR
	call apic_ipi32
	mov esi, hits + 2 * 256 + CMD_VECTOR
	mov al, 1
	call wait_hit32
	mov esi, hits + 256 + CMD_VECTOR
	call wait_hit32
	mov eax, ICR_LOGICAL | 0x64
	mov edx, 0x14                           ; cluster 1, member bit 2
	call apic_ipi32
	mov esi, hits + 2 * 256 + 0x64
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "cluster 14H: AP 2"
	HITS 1, 0x64
	EXPECT_EQ eax, 0, "cluster 14H: not AP 1"
	mov eax, ICR_LOGICAL | 0x65
	mov edx, 0x13                           ; members 0 and 1
	call apic_ipi32
	mov esi, hits + 256 + 0x65
	mov al, 1
	call wait_hit32
	mov esi, hits + 0x65
	call wait_hit32
	TAP_CHECK e, "cluster 13H: the BSP and AP 1"

	; --- what the sender's ESR records -----------------------------------
	mov eax, APIC_ESR
	xor edx, edx
	call apic_write32
	mov eax, ICR_LOWEST | ICR_LOGICAL | 0x66
	mov edx, 0x16
	call apic_ipi32
	mov ecx, SETTLE
	sti
	call apic_delay32
	cli
	mov eax, APIC_ESR
	xor edx, edx
	call apic_write32
	call apic_read32
	EXPECT_MASK eax, 0x10, 0x10, "lowest-priority IPI: Redirectible IPI in the ESR"
	HITS 1, 0x66
	mov ebx, eax
	HITS 2, 0x66
	add ebx, eax
	EXPECT_EQ ebx, 0, "lowest-priority IPI: not sent"
	mov eax, 5                              ; record it if it comes
	mov edx, irq_stubs + 5 * 16
	mov ecx, IDT_INT
	call idt32_set_gate32
	mov eax, 0x05                           ; fixed, vector 5
	mov edx, 1
	call apic_ipi32
	mov eax, APIC_ESR
	xor edx, edx
	call apic_write32
	call apic_read32
	EXPECT_MASK eax, 0x20, 0x20, "vector 5: Send Illegal Vector in the ESR"
	mov ecx, SETTLE
	call apic_delay32
	HITS 1, 5
	EXPECT_EQ eax, 0, "vector 5: not sent"
	ret

; Cluster model (DFR 0FFFFFFFH) with this CPU in cluster 1, member bit
; = APIC ID (EAX).
cluster_mode:
	push ecx
	push edx
	mov dword [LAPIC_PAGE + APIC_DFR], 0x0fffffff
	mov ecx, eax
	mov edx, 1
	shl edx, cl
	or edx, 0x10
	shl edx, 24
	mov [LAPIC_PAGE + APIC_LDR], edx
	pop edx
	pop ecx
	ret
