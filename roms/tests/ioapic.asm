; vmxsim-options: -smp 3
; ioapic.asm - the I/O APIC (82093AA datasheet) driven through QEMU's
; pc-testdev IRQ ports (0x2000 + line): its registers, an edge-triggered
; pin, a level-triggered pin whose remote IRR holds it until the EOI
; broadcast and which comes again while the line stays high, a masked
; level pin delivered when unmasked, ISA IRQ 0 on pin 2 (the PC's
; interrupt source override), NMI delivery, logical and lowest-priority
; destinations among the APs (smp.inc).

%include "test.inc"
%include "apic.inc"
%include "smp.inc"

SETTLE          equ 200000

%macro HITS 2                               ; HITS cpu, vector -> EAX
	movzx eax, byte [hits + (%1) * 256 + (%2)]
%endmacro

%macro LINE 2                               ; LINE n, level
	mov al, %2
	mov dx, TESTDEV_IRQ + %1
	out dx, al
%endmacro

%macro REDIR 3                              ; REDIR pin, low, destination
	mov eax, IOAPIC_REDTBL + 2 * (%1) + 1
	mov edx, (%3) << 24
	call ioapic_write32
	mov eax, IOAPIC_REDTBL + 2 * (%1)
	mov edx, %2
	call ioapic_write32
%endmacro

%macro REDIR_LO 1                           ; REDIR_LO pin -> EAX
	mov eax, IOAPIC_REDTBL + 2 * (%1)
	call ioapic_read32
%endmacro

%macro SETTLE_IF 0
	mov ecx, SETTLE
	sti
	call apic_delay32
	cli
%endmacro

section .text
main:
	TAP_PLAN 18
	call pic_mask_all
	mov al, 0x30                            ; PIT channel 0, mode 0, no
	out 0x43, al                            ; count: its output stays low
	call irq_setup32
	mov eax, APIC_SVR
	mov edx, APIC_SVR_ENABLE | 0xff
	call apic_write32
	mov eax, APIC_LDR
	mov edx, 1 << 24
	call apic_write32
	mov edx, 2
	call smp_start32
	TAP_CHECK e, "APs 1 and 2 started"

	mov eax, IOAPIC_REG_VER
	call ioapic_read32
	EXPECT_MASK eax, 0x00ff0000, 0x00170000, "version register: 24 entries"
	REDIR_LO 14
	EXPECT_MASK eax, IOAPIC_MASKED, IOAPIC_MASKED, "entry 14 is masked after reset"

	; --- edge --------------------------------------------------------------
	REDIR 14, 0x70, 0
	LINE 14, 1
	LINE 14, 0
	mov esi, hits + 0x70
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "edge: one pulse, one interrupt"

	; --- level, remote IRR, EOI --------------------------------------------
	mov dword [no_eoi], 1
	REDIR 15, IOAPIC_LEVEL | 0x71, 0
	LINE 15, 1
	mov esi, hits + 0x71
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "level: the asserted line interrupts"
	REDIR_LO 15
	EXPECT_MASK eax, IOAPIC_REMOTE_IRR, IOAPIC_REMOTE_IRR, "level: remote IRR is set"
	mov eax, APIC_TMR + 0x30                ; vectors 0x60-0x7f
	call apic_read32
	EXPECT_MASK eax, 1 << 17, 1 << 17, "level: the local APIC's TMR bit is set"
	SETTLE_IF
	HITS 0, 0x71
	EXPECT_EQ eax, 1, "level: nothing more until the EOI"
	mov eax, APIC_EOI
	xor edx, edx
	call apic_write32
	mov esi, hits + 0x71
	mov al, 2
	call wait_hit32
	TAP_CHECK e, "level: the EOI broadcast with the line high brings it again"
	LINE 15, 0
	mov eax, APIC_EOI
	xor edx, edx
	call apic_write32
	REDIR_LO 15
	EXPECT_MASK eax, IOAPIC_REMOTE_IRR, 0, "level: EOI with the line low clears remote IRR"
	SETTLE_IF
	HITS 0, 0x71
	EXPECT_EQ eax, 2, "level: no more interrupts"
	mov dword [no_eoi], 0

	; --- masked level line -------------------------------------------------
	mov dword [no_eoi], 1
	REDIR 10, IOAPIC_MASKED | IOAPIC_LEVEL | 0x73, 0
	LINE 10, 1
	SETTLE_IF
	HITS 0, 0x73
	EXPECT_EQ eax, 0, "masked level line: held"
	REDIR 10, IOAPIC_LEVEL | 0x73, 0
	mov esi, hits + 0x73
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "masked level line: delivered when unmasked"
	LINE 10, 0
	mov dword [no_eoi], 0
	mov eax, APIC_EOI
	xor edx, edx
	call apic_write32
	REDIR 10, IOAPIC_MASKED, 0

	; --- ISA IRQ 0 is pin 2 ------------------------------------------------
	REDIR 2, 0x72, 0
	LINE 0, 1
	LINE 0, 0
	mov esi, hits + 0x72
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "ISA IRQ 0 arrives on pin 2"
	REDIR 2, IOAPIC_MASKED, 0

	; --- NMI ---------------------------------------------------------------
	REDIR 13, ICR_NMI, 0
	LINE 13, 1
	LINE 13, 0
	mov esi, hits + VEC_NMI
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "NMI delivery mode: vector 2"

	; --- logical and lowest priority among the APs -------------------------
	REDIR 9, ICR_LOGICAL | 0x74, 0x02
	LINE 9, 1
	LINE 9, 0
	mov esi, hits + 256 + 0x74
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "logical destination 02H: AP 1"
	mov dword [ap_cmd], raise_tpr
	mov eax, CMD_VECTOR
	mov edx, 1
	call apic_ipi32
	mov esi, hits + 256 + CMD_VECTOR
	mov al, 1
	call wait_hit32
	REDIR 11, ICR_LOWEST | ICR_LOGICAL | 0x75, 0x06
	LINE 11, 1
	LINE 11, 0
	mov esi, hits + 2 * 256 + 0x75
	mov al, 1
	call wait_hit32
	TAP_CHECK e, "lowest priority: AP 2, whose TPR is lower"
	HITS 1, 0x75
	EXPECT_EQ eax, 0, "lowest priority: not AP 1 (TPR 20H)"
	ret

; On AP 1: TPR 20H.
raise_tpr:
	mov dword [LAPIC_PAGE + APIC_TPR], 0x20
	ret
