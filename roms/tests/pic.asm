; pic.asm - the 8259A pair (Intel 8259A datasheet, 231468) from a guest:
; interrupts raised through the pc-testdev IRQ ports (0x2000 + line), every
; ICW and OCW path, fully nested priorities, IMR and IRR/ISR reads, the
; cascade through IR2, automatic EOI, special mask mode, the poll command,
; rotation (set priority, rotate on non-specific and specific EOI, rotate
; in AEOI mode), the default IR7 of a request withdrawn before INTA on the
; master and on the slave, reprogramming the vector base while an IRQ is
; in service, special fully nested mode, and level triggering through the
; PIIX ELCR at 0x4d0.
;
; Run on QEMU with -device pc-testdev. QEMU 7.2's i8259 deviates from the
; datasheet twice, and the checks follow the datasheet:
;   - lowering an edge-triggered line does not withdraw its request, so a
;     pulse before INTA gives the line's own vector and ISR bit, not the
;     default IR7 (checks 16 and 17; check 19 then also sees IR4 still in
;     service);
;   - ICW1 clears the ISR, which the datasheet's list of what ICW1 does
;     leaves alone (check 36).

%include "test.inc"

PIC_M           equ 0x20
PIC_S           equ 0xa0
ELCR_M          equ 0x4d0
TESTDEV_IRQ     equ 0x2000
MBASE           equ 0x20                ; vector bases
SBASE           equ 0x28
NBASE           equ 0x40                ; master base after reprogramming
OCW3_IRR        equ 0x0a
OCW3_ISR        equ 0x0b
OCW3_POLL       equ 0x0c
OCW3_SMM_ON     equ 0x68
OCW3_SMM_OFF    equ 0x48
OCW2_EOI        equ 0x20
OCW2_SEOI       equ 0x60                ; | level
OCW2_ROT_EOI    equ 0xa0
OCW2_ROT_SEOI   equ 0xe0                ; | level
OCW2_SETPRI     equ 0xc0                ; | level
OCW2_ROT_AEOI_ON  equ 0x80
OCW2_ROT_AEOI_OFF equ 0x00

; Sets ISA line %1 (0-23) to %2 through the pc-testdev.
%macro LINE 2
	mov dx, TESTDEV_IRQ + %1
	mov al, %2
	out dx, al
%endmacro

; ICW1-ICW4 for both chips: master base %1, slave base %2, ICW4 %3.
%macro PIC_INIT 3
	mov al, 0x11
	out PIC_M, al
	mov al, %1
	out PIC_M + 1, al
	mov al, 0x04
	out PIC_M + 1, al
	mov al, %3
	out PIC_M + 1, al
	mov al, 0x11
	out PIC_S, al
	mov al, %2
	out PIC_S + 1, al
	mov al, 0x02
	out PIC_S + 1, al
	mov al, %3
	out PIC_S + 1, al
%endmacro

; OCW1 of both chips.
%macro MASK 2
	mov al, %1
	out PIC_M + 1, al
	mov al, %2
	out PIC_S + 1, al
%endmacro

; A byte command to a chip's even port.
%macro CMD 2
	mov al, %2
	out %1, al
%endmacro

; EAX = the register OCW3 %2 selects on chip %1 (zero-extended).
%macro READ 2
	mov al, %2
	out %1, al
	in al, %1
	movzx eax, al
%endmacro

; Lets pending interrupts in, then disables them again.
%macro WINDOW 0
	sti
	mov ecx, 2000
%%wait:
	dec ecx
	jnz %%wait
	cli
%endmacro

section .data
irq_count:      dd 0                    ; handler entries
irq_log:        times 16 dd 0           ; vectors, in order
irq_vec:        dd 0                    ; the last vector
irq_isr_m:      dd 0                    ; ISRs on entry to the handler
irq_isr_s:      dd 0
irq_eoi:        dd 0                    ; 1: the handler sends EOIs
irq_lower_line: dd 0                    ; the handler lowers this line...
irq_lower_at:   dd 0                    ; ...on this entry (irq_count)
count_before:   dd 0

section .text
; One stub per vector 0x20-0x2f and 0x40-0x4f: push the vector.
%macro IRQ_STUBS 1
%assign v %1
%rep 16
irq_stub_ %+ v:
	push dword v
	jmp irq_common
%assign v v + 1
%endrep
%endmacro
IRQ_STUBS MBASE
IRQ_STUBS NBASE

; Records the vector and both ISRs, lowers a line if asked (level
; tests), sends EOIs if asked: the slave's first for its vectors.
irq_common:
	pushad
	mov eax, [esp + 32]
	mov [irq_vec], eax
	mov ecx, [irq_count]
	cmp ecx, 16
	jae .logged
	mov [irq_log + ecx * 4], eax
.logged:
	add dword [irq_count], 1
	READ PIC_M, OCW3_ISR
	mov [irq_isr_m], eax
	READ PIC_S, OCW3_ISR
	mov [irq_isr_s], eax
	CMD PIC_M, OCW3_IRR
	CMD PIC_S, OCW3_IRR
	mov eax, [irq_count]
	cmp eax, [irq_lower_at]
	jne .no_lower
	mov edx, [irq_lower_line]
	add edx, TESTDEV_IRQ
	xor al, al
	out dx, al
.no_lower:
	cmp dword [irq_eoi], 0
	je .done
	mov eax, [esp + 32]
	test eax, 8                         ; bases are multiples of 16
	jz .master
	CMD PIC_S, OCW2_EOI
.master:
	CMD PIC_M, OCW2_EOI
.done:
	popad
	add esp, 4
	iret

install_gates:
%assign v MBASE
%rep 16
	IDT32_SET v, irq_stub_ %+ v, IDT_INT
%assign v v + 1
%endrep
%assign v NBASE
%rep 16
	IDT32_SET v, irq_stub_ %+ v, IDT_INT
%assign v v + 1
%endrep
	ret

main:
	TAP_PLAN 43
	call install_gates
	PIC_INIT MBASE, SBASE, 0x01
	MASK 0xff, 0xff

	; --- an edge-triggered IRQ, its ISR bit and the EOI ---------------------
	MASK 0xf7, 0xff
	LINE 3, 1
	WINDOW
	EXPECT_EQ dword [irq_count], 1, "IRQ 3 is delivered once"
	EXPECT_EQ dword [irq_vec], MBASE + 3, "its vector is the master's base + 3"
	EXPECT_EQ dword [irq_isr_m], 0x08, "ISR bit 3 is set in the handler"
	READ PIC_M, OCW3_ISR
	EXPECT_EQ eax, 0x08, "ISR bit 3 stays set until the EOI"
	CMD PIC_M, OCW2_EOI
	READ PIC_M, OCW3_ISR
	EXPECT_EQ eax, 0x00, "a non-specific EOI clears it"
	WINDOW
	EXPECT_EQ dword [irq_count], 1, "edge mode: a line held high interrupts once"
	LINE 3, 0

	; --- IMR and IRR --------------------------------------------------------
	mov dword [irq_eoi], 1
	MASK 0xff, 0xff
	LINE 5, 1
	READ PIC_M, OCW3_IRR
	EXPECT_MASK eax, 0x20, 0x20, "a masked request shows in the IRR"
	WINDOW
	EXPECT_EQ dword [irq_count], 1, "a masked request is not delivered"
	MASK 0xdf, 0xff
	WINDOW
	EXPECT_EQ dword [irq_vec], MBASE + 5, "unmasking IRQ 5 delivers it"
	in al, PIC_M + 1
	movzx eax, al
	EXPECT_EQ eax, 0xdf, "OCW1 reads back from the odd port"
	LINE 5, 0

	; --- fully nested priority ----------------------------------------------
	mov dword [irq_count], 0
	MASK 0xd7, 0xff
	LINE 5, 1
	LINE 3, 1
	WINDOW
	EXPECT_EQ dword [irq_log], MBASE + 3, "IR3 and IR5 together: IR3 first"
	EXPECT_EQ dword [irq_log + 4], MBASE + 5, "then IR5"
	LINE 3, 0
	LINE 5, 0

	; --- the cascade through IR2 -------------------------------------------
	MASK 0xfb, 0xef
	LINE 12, 1
	WINDOW
	EXPECT_EQ dword [irq_vec], SBASE + 4, "IRQ 12 arrives with the slave's base + 4"
	EXPECT_EQ dword [irq_isr_m], 0x04, "the master has IR2 in service"
	EXPECT_EQ dword [irq_isr_s], 0x10, "the slave has IR4 in service"
	LINE 12, 0

	; --- the default IR7 ----------------------------------------------------
	mov dword [irq_eoi], 0
	MASK 0xef, 0xff
	LINE 4, 1
	LINE 4, 0                           ; gone before the CPU acknowledges
	WINDOW
	EXPECT_EQ dword [irq_vec], MBASE + 7, "a request gone before INTA gives the default IR7 vector"
	EXPECT_EQ dword [irq_isr_m], 0x00, "the default IR7 sets no ISR bit"
	MASK 0xfb, 0xfb
	LINE 10, 1
	LINE 10, 0
	WINDOW
	EXPECT_EQ dword [irq_vec], SBASE + 7, "on the slave: the slave's default IR7 vector"
	EXPECT_EQ dword [irq_isr_m], 0x04, "the master's IR2 is in service"
	EXPECT_EQ dword [irq_isr_s], 0x00, "the slave has nothing in service"
	CMD PIC_S, OCW2_EOI
	CMD PIC_M, OCW2_EOI

	; --- automatic EOI ------------------------------------------------------
	PIC_INIT MBASE, SBASE, 0x03
	MASK 0xef, 0xff
	LINE 4, 1
	WINDOW
	EXPECT_EQ dword [irq_vec], MBASE + 4, "AEOI: IRQ 4 is delivered"
	EXPECT_EQ dword [irq_isr_m], 0x00, "AEOI: no ISR bit in the handler"
	LINE 4, 0
	PIC_INIT MBASE, SBASE, 0x01

	; --- special mask mode --------------------------------------------------
	mov dword [irq_count], 0
	MASK 0xd7, 0xff
	LINE 3, 1
	WINDOW                              ; IR3 in service, no EOI
	LINE 5, 1
	WINDOW
	EXPECT_EQ dword [irq_count], 1, "IR5 waits while IR3 is in service"
	CMD PIC_M, OCW3_SMM_ON
	MASK 0xdf, 0xff                     ; mask IR3
	WINDOW
	EXPECT_EQ dword [irq_vec], MBASE + 5, "special mask mode: masking IR3 lets IR5 in"
	READ PIC_M, OCW3_ISR
	EXPECT_EQ eax, 0x28, "IR3 and IR5 both in service"
	CMD PIC_M, OCW3_SMM_OFF
	CMD PIC_M, OCW2_SEOI | 5
	CMD PIC_M, OCW2_SEOI | 3
	READ PIC_M, OCW3_ISR
	EXPECT_EQ eax, 0x00, "specific EOIs clear IR5 and IR3"
	LINE 3, 0
	LINE 5, 0

	; --- the poll command ---------------------------------------------------
	MASK 0xbf, 0xff
	LINE 6, 1
	READ PIC_M, OCW3_POLL
	EXPECT_EQ eax, 0x86, "poll: I = 1 and level 6"
	READ PIC_M, OCW3_ISR
	EXPECT_EQ eax, 0x40, "the poll read set ISR bit 6, as INTA does"
	CMD PIC_M, OCW2_EOI
	READ PIC_M, OCW3_POLL
	EXPECT_EQ eax, 0x00, "poll with no request: I = 0"
	LINE 6, 0

	; --- rotation -----------------------------------------------------------
	MASK 0x3d, 0xff                     ; IR1, IR6, IR7
	CMD PIC_M, OCW2_SETPRI | 4          ; IR4 lowest: 5 6 7 0 1 2 3 4
	LINE 1, 1
	LINE 6, 1
	READ PIC_M, OCW3_POLL
	EXPECT_EQ eax, 0x86, "set priority IR4 lowest: IR6 outranks IR1"
	CMD PIC_M, OCW2_ROT_EOI             ; IR6 done and lowest: 7 0 ... 6
	LINE 7, 1
	READ PIC_M, OCW3_POLL
	EXPECT_EQ eax, 0x87, "rotate on non-specific EOI: IR7 outranks IR1"
	CMD PIC_M, OCW2_ROT_SEOI | 7        ; IR7 done and lowest
	READ PIC_M, OCW3_POLL
	EXPECT_EQ eax, 0x81, "rotate on specific EOI: IR1 is next"
	CMD PIC_M, OCW2_EOI
	CMD PIC_M, OCW2_SETPRI | 7
	LINE 1, 0
	LINE 6, 0
	LINE 7, 0

	PIC_INIT MBASE, SBASE, 0x03         ; AEOI
	CMD PIC_M, OCW2_ROT_AEOI_ON
	mov dword [irq_count], 0
	MASK 0xe5, 0xff                     ; IR1, IR3, IR4
	LINE 1, 1
	LINE 3, 1
	WINDOW                              ; IR1, then IR3 (IR3 now lowest)
	LINE 1, 0
	LINE 1, 1
	LINE 4, 1
	WINDOW
	EXPECT_EQ dword [irq_log + 4], MBASE + 3, "rotate in AEOI mode: IR3 after IR1"
	EXPECT_EQ dword [irq_log + 8], MBASE + 4, "then IR4 outranks IR1 (IR3 lowest)"
	EXPECT_EQ dword [irq_log + 12], MBASE + 1, "and IR1 comes last"
	CMD PIC_M, OCW2_ROT_AEOI_OFF
	LINE 1, 0
	LINE 3, 0
	LINE 4, 0
	PIC_INIT MBASE, SBASE, 0x01

	; --- a new vector base while IR3 is in service --------------------------
	MASK 0xf7, 0xff
	LINE 3, 1
	WINDOW
	mov al, 0x11
	out PIC_M, al
	mov al, NBASE
	out PIC_M + 1, al
	mov al, 0x04
	out PIC_M + 1, al
	mov al, 0x01
	out PIC_M + 1, al
	READ PIC_M, OCW3_ISR
	EXPECT_EQ eax, 0x08, "ICW1-ICW4 keep the ISR: IR3 is still in service"
	in al, PIC_M + 1
	movzx eax, al
	EXPECT_EQ eax, 0x00, "ICW1 cleared the IMR"
	MASK 0xf7, 0xff
	CMD PIC_M, OCW2_EOI
	LINE 3, 0
	LINE 3, 1
	WINDOW
	EXPECT_EQ dword [irq_vec], NBASE + 3, "IRQ 3 now arrives at the new base"
	CMD PIC_M, OCW2_EOI
	LINE 3, 0
	PIC_INIT MBASE, SBASE, 0x01

	; --- special fully nested mode ------------------------------------------
	mov al, 0x11
	out PIC_M, al
	mov al, MBASE
	out PIC_M + 1, al
	mov al, 0x04
	out PIC_M + 1, al
	mov al, 0x11                        ; 8086 mode, SFNM
	out PIC_M + 1, al
	MASK 0xfb, 0xed                     ; IRQ 9 and IRQ 12
	LINE 12, 1
	WINDOW                              ; IR4 of the slave in service
	LINE 9, 1
	WINDOW
	EXPECT_EQ dword [irq_vec], SBASE + 1, "special fully nested: the slave's IR1 nests over its IR4"
	EXPECT_EQ dword [irq_isr_s], 0x12, "the slave has IR1 and IR4 in service"
	CMD PIC_S, OCW2_SEOI | 1
	CMD PIC_S, OCW2_SEOI | 4
	CMD PIC_M, OCW2_SEOI | 2
	LINE 9, 0
	LINE 12, 0
	PIC_INIT MBASE, SBASE, 0x01

	; --- level triggering through the ELCR ----------------------------------
	mov al, 0x20
	mov dx, ELCR_M
	out dx, al
	in al, dx
	movzx eax, al
	EXPECT_EQ eax, 0x20, "ELCR1 reads back IRQ 5's level bit"
	mov dword [irq_eoi], 1
	mov eax, [irq_count]
	mov [count_before], eax
	add eax, 3
	mov [irq_lower_at], eax
	mov dword [irq_lower_line], 5
	MASK 0xdf, 0xff
	LINE 5, 1
	WINDOW
	mov eax, [irq_count]
	sub eax, [count_before]
	EXPECT_EQ eax, 3, "level mode: IRQ 5 repeats after each EOI until the line drops"
	mov al, 0xff
	mov dx, ELCR_M
	out dx, al
	in al, dx
	movzx eax, al
	EXPECT_EQ eax, 0xf8, "ELCR1 bits for IRQ 0-2 are reserved (0)"
	xor al, al
	out dx, al
	MASK 0xff, 0xff
	ret
