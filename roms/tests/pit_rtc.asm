; pit_rtc.asm - the 8254 PIT (Intel 8254 datasheet, 231164) and the
; MC146818A RTC from a guest, with interrupts through the 8259 pair.
;
; Intervals are measured with the PIT itself: counter 2, gated through
; port 0x61 bit 0, counts down in mode 0 and its OUT shows in port 0x61
; bit 5, so "12500 PIT clocks" is the same interval on any machine whose
; timers share one time base. Over it the test counts counter 0's
; interrupts in mode 2 (rate generator) and mode 3 (square wave), and its
; single interrupt in mode 0; then the counter latch, the read-back
; status (OUT, null count, programmed mode), GATE stopping mode 0, and the
; refresh toggle (port 0x61 bit 4). For the RTC: periodic interrupts at
; 1024 Hz counted over the same interval, register C read-to-clear (no
; second interrupt until it is read), the update-ended and alarm
; interrupts (waited for with HLT, woken every 10 ms by counter 0), and
; the CMOS memory size bytes a PC BIOS fills (for 128 MiB of RAM).
;
; On QEMU the counts only mean something with its timers on virtual time:
; -icount shift=0,sleep=off -rtc clock=vm (plus -device pc-testdev).
; Without that, QEMU's PIT and RTC follow host time and drop periods
; when the host is busy. QEMU 7.2 also deviates from the 8254 datasheet
; twice, and the checks follow the datasheet: its read-back status never
; sets the null count bit (check 6), and GATE low does not stop a mode 0
; count (check 10).

%include "test.inc"

PIC_M           equ 0x20
PIC_S           equ 0xa0
PIT_CTR0        equ 0x40
PIT_CTR2        equ 0x42
PIT_CTRL        equ 0x43
PORT_B          equ 0x61
RTC_INDEX       equ 0x70
RTC_DATA        equ 0x71
IRQ0_VEC        equ 0x20
IRQ8_VEC        equ 0x28
STOPWATCH       equ 12500               ; PIT clocks, about 10.5 ms
RATE_COUNT      equ 250                 ; counter 0's period: 50 per interval
TICK_10MS       equ 11932               ; 100 Hz

%macro OUTB 2
	mov al, %2
	out %1, al
%endmacro

; EAX = CMOS register %1 (zero-extended).
%macro CMOS_READ 1
	mov al, %1
	out RTC_INDEX, al
	in al, RTC_DATA
	movzx eax, al
%endmacro

%macro CMOS_WRITE 2
	mov al, %1
	out RTC_INDEX, al
	mov al, %2
	out RTC_DATA, al
%endmacro

; Counter %1 (0-2) programmed with control word %2 and count %3.
%macro PIT_SET 3
	mov al, %2
	out PIT_CTRL, al
	mov al, (%3) & 0xff
	out PIT_CTR0 + %1, al
	mov al, ((%3) >> 8) & 0xff
	out PIT_CTR0 + %1, al
%endmacro

section .data
pit_irqs:       dd 0
rtc_irqs:       dd 0
rtc_ack:        dd 1                    ; the handler reads register C
rtc_c:          dd 0                    ; register C as the handler read it
rtc_sec:        dd 0                    ; seconds when the handler ran
spurious:       dd 0
alarm_sec:      dd 0

section .text
irq0_handler:
	push eax
	add dword [pit_irqs], 1
	OUTB PIC_M, 0x20
	pop eax
	iret

irq8_handler:
	push eax
	add dword [rtc_irqs], 1
	cmp dword [rtc_ack], 0
	je .eoi
	CMOS_READ 0x0c
	mov [rtc_c], eax
	CMOS_READ 0x00
	mov [rtc_sec], eax
.eoi:
	OUTB PIC_S, 0x20
	OUTB PIC_M, 0x20
	pop eax
	iret

spurious_handler:
	add dword [spurious], 1
	iret

; Runs the stopwatch: counter 2 counts STOPWATCH clocks from the gate
; opening, with interrupts enabled, until its OUT rises.
stopwatch:
	push eax
	in al, PORT_B
	and al, 0xfc                        ; gate 2 off, speaker off
	out PORT_B, al
	PIT_SET 2, 0xb0, STOPWATCH          ; counter 2, LSB/MSB, mode 0
	in al, PORT_B
	or al, 0x01
	out PORT_B, al
	sti
.wait:
	in al, PORT_B
	test al, 0x20
	jz .wait
	cli
	pop eax
	ret

; Discards an IRQ 0 request counter 0 latched in the PIC while it was
; reprogrammed (a control word can give OUT a rising edge): the poll
; command acknowledges it, an EOI ends it. Then counts from 0.
drain_irq0:
	push eax
	OUTB PIC_M, 0x0c
	in al, PIC_M
	test al, 0x80
	jz .none
	OUTB PIC_M, 0x20
.none:
	mov dword [pit_irqs], 0
	pop eax
	ret

; Waits with HLT until dword [ESI] is nonzero or ECX ticks of 10 ms
; have passed (counter 0 must be running at 100 Hz).
wait_for:
	mov dword [pit_irqs], 0
.again:
	cmp dword [esi], 0
	jne .done
	cmp [pit_irqs], ecx
	jae .done
	sti
	hlt
	cli
	jmp .again
.done:
	ret

; AL = BCD byte -> AL binary.
bcd_to_bin:
	push ecx
	mov cl, al
	shr al, 4
	mov ch, 10
	mul ch
	and cl, 0x0f
	add al, cl
	pop ecx
	ret

main:
	TAP_PLAN 26
	IDT32_SET IRQ0_VEC, irq0_handler, IDT_INT
	IDT32_SET IRQ8_VEC, irq8_handler, IDT_INT
	IDT32_SET IRQ0_VEC + 7, spurious_handler, IDT_INT
	IDT32_SET IRQ8_VEC + 7, spurious_handler, IDT_INT
	; The 8259 pair at 0x20/0x28, everything masked but IRQ 0.
	OUTB PIC_M, 0x11
	OUTB PIC_M + 1, IRQ0_VEC
	OUTB PIC_M + 1, 0x04
	OUTB PIC_M + 1, 0x01
	OUTB PIC_S, 0x11
	OUTB PIC_S + 1, IRQ8_VEC
	OUTB PIC_S + 1, 0x02
	OUTB PIC_S + 1, 0x01
	OUTB PIC_M + 1, 0xfe
	OUTB PIC_S + 1, 0xff

	; --- counter 0: rate generator, square wave, one-shot -------------------
	PIT_SET 0, 0x34, RATE_COUNT          ; mode 2
	call drain_irq0
	call stopwatch
	mov eax, [pit_irqs]
	sub eax, 49
	cmp eax, 2
	TAP_CHECK be, "mode 2: 50 (+-1) interrupts in 12500 clocks at a count of 250"
	PIT_SET 0, 0x36, RATE_COUNT          ; mode 3
	call drain_irq0
	call stopwatch
	mov eax, [pit_irqs]
	sub eax, 49
	cmp eax, 2
	TAP_CHECK be, "mode 3: 50 (+-1) interrupts in 12500 clocks at a count of 250"
	PIT_SET 0, 0x30, 1000                ; mode 0
	call drain_irq0
	call stopwatch
	EXPECT_EQ dword [pit_irqs], 1, "mode 0: one interrupt, at the terminal count"
	OUTB PIT_CTRL, 0xe2                  ; read-back: status of counter 0
	in al, PIT_CTR0
	movzx eax, al
	EXPECT_MASK eax, 0x80, 0x80, "read-back status: OUT is high after the terminal count"
	EXPECT_MASK eax, 0x7f, 0x30, "read-back status: loaded, LSB/MSB, mode 0, binary"

	; --- null count -----------------------------------------------------------
	OUTB PIT_CTRL, 0x74                  ; counter 1, mode 2, no count yet
	OUTB PIT_CTRL, 0xe4
	in al, PIT_CTR0 + 1
	movzx eax, al
	EXPECT_MASK eax, 0x40, 0x40, "null count after a control word"
	OUTB PIT_CTR0 + 1, 0x00
	OUTB PIT_CTR0 + 1, 0x10
	call stopwatch
	OUTB PIT_CTRL, 0xe4
	in al, PIT_CTR0 + 1
	movzx eax, al
	EXPECT_MASK eax, 0x40, 0x00, "no null count once the count is loaded"

	; --- the counter latch, GATE, port 0x61 --------------------------------------
	in al, PORT_B
	or al, 0x01
	out PORT_B, al
	PIT_SET 2, 0xb0, 0xffff
	in al, PORT_B
	movzx eax, al
	EXPECT_MASK eax, 0x20, 0x00, "port 0x61 bit 5: OUT2 low in mode 0 before the count ends"
	OUTB PIT_CTRL, 0x80                  ; latch counter 2
	mov ecx, 20000
.delay1:
	dec ecx
	jnz .delay1
	OUTB PIT_CTRL, 0x80                  ; ignored: the first is unread
	in al, PIT_CTR2
	mov bl, al
	in al, PIT_CTR2
	mov bh, al
	OUTB PIT_CTRL, 0x80
	in al, PIT_CTR2
	mov cl, al
	in al, PIT_CTR2
	mov ch, al
	movzx eax, bx
	movzx ecx, cx
	sub eax, ecx
	cmp eax, 16
	TAP_CHECK g, "a latched count holds until read; a second latch is ignored"
	in al, PORT_B
	and al, 0xfe                         ; gate 2 low
	out PORT_B, al
	OUTB PIT_CTRL, 0x80
	in al, PIT_CTR2
	mov bl, al
	in al, PIT_CTR2
	mov bh, al
	mov ecx, 20000
.delay2:
	dec ecx
	jnz .delay2
	OUTB PIT_CTRL, 0x80
	in al, PIT_CTR2
	mov cl, al
	in al, PIT_CTR2
	mov ch, al
	cmp bx, cx
	TAP_CHECK e, "mode 0 with GATE low: the count stands still"
	call stopwatch
	in al, PORT_B
	movzx eax, al
	EXPECT_MASK eax, 0x20, 0x20, "port 0x61 bit 5: OUT2 high after the count"
	in al, PORT_B
	mov bl, al
	mov ecx, 100000
.refresh:
	in al, PORT_B
	xor al, bl
	test al, 0x10
	jnz .toggled
	dec ecx
	jnz .refresh
.toggled:
	test ecx, ecx
	TAP_CHECK nz, "port 0x61 bit 4 (refresh) toggles"

	; --- RTC periodic interrupt ----------------------------------------------
	OUTB PIC_M + 1, 0xfb                 ; only the cascade
	OUTB PIC_S + 1, 0xfe                 ; and IRQ 8
	CMOS_WRITE 0x0a, 0x26                ; 32.768 kHz, 1024 Hz
	CMOS_READ 0x0c
	mov dword [rtc_irqs], 0
	CMOS_WRITE 0x0b, 0x42                ; PIE, 24 h, BCD
	call stopwatch
	mov eax, [rtc_irqs]
	sub eax, 9
	cmp eax, 3
	TAP_CHECK be, "1024 Hz: 9 to 12 periodic interrupts in 12500 PIT clocks (10.5 ms)"
	EXPECT_MASK dword [rtc_c], 0xc0, 0xc0, "register C in the handler: IRQF and PF"
	mov dword [rtc_ack], 0
	mov dword [rtc_irqs], 0
	call stopwatch
	EXPECT_EQ dword [rtc_irqs], 1, "register C unread: no second interrupt"
	CMOS_READ 0x0c
	EXPECT_MASK eax, 0xc0, 0xc0, "reading register C returns IRQF and PF"
	call stopwatch
	EXPECT_EQ dword [rtc_irqs], 2, "after the read, the next period interrupts again"
	mov dword [rtc_ack], 1
	CMOS_WRITE 0x0b, 0x02
	CMOS_READ 0x0c

	; --- update-ended and alarm interrupts -----------------------------------
	PIT_SET 0, 0x34, TICK_10MS           ; wake HLT every 10 ms
	OUTB PIC_M + 1, 0xfa                 ; IRQ 0, cascade
	mov dword [rtc_irqs], 0
	CMOS_WRITE 0x0b, 0x12                ; UIE
	mov esi, rtc_irqs
	mov ecx, 150
	call wait_for
	EXPECT_EQ dword [rtc_irqs], 1, "update-ended interrupt within 1.5 s"
	EXPECT_MASK dword [rtc_c], 0x90, 0x90, "register C: IRQF and UF"
	CMOS_WRITE 0x0b, 0x02
	; An alarm two seconds after the update that just ended; hours and
	; minutes are don't-care codes.
	CMOS_READ 0x00
	call bcd_to_bin
	add al, 2
	cmp al, 60
	jb .sec_ok
	sub al, 60
.sec_ok:
	movzx eax, al
	mov cl, 10
	div cl                               ; AL tens, AH units
	shl al, 4
	or al, ah
	movzx eax, al
	mov [alarm_sec], eax
	mov bl, al
	CMOS_WRITE 0x01, bl
	CMOS_WRITE 0x03, 0xc0
	CMOS_WRITE 0x05, 0xc0
	CMOS_READ 0x0c
	mov dword [rtc_irqs], 0
	CMOS_WRITE 0x0b, 0x22                ; AIE
	mov esi, rtc_irqs
	mov ecx, 400
	call wait_for
	EXPECT_EQ dword [rtc_irqs], 1, "alarm interrupt within 4 s"
	EXPECT_MASK dword [rtc_c], 0xa0, 0xa0, "register C: IRQF and AF"
	mov eax, [alarm_sec]
	EXPECT_EQ dword [rtc_sec], eax, "the seconds register equals the alarm when it fires"
	CMOS_WRITE 0x0b, 0x02
	CMOS_READ 0x0c
	OUTB PIT_CTRL, 0x30                  ; counter 0 quiet (mode 0, no count)
	OUTB PIC_M + 1, 0xff
	OUTB PIC_S + 1, 0xff

	; --- CMOS memory bytes (128 MiB) ------------------------------------------
	CMOS_READ 0x16
	shl eax, 8
	mov ebx, eax
	CMOS_READ 0x15
	or eax, ebx
	EXPECT_EQ eax, 640, "CMOS 0x15-0x16: 640 KiB of base memory"
	CMOS_READ 0x18
	shl eax, 8
	mov ebx, eax
	CMOS_READ 0x17
	or eax, ebx
	EXPECT_EQ eax, 0xffff, "CMOS 0x17-0x18: extended memory, capped at 65535 KiB"
	CMOS_READ 0x31
	shl eax, 8
	mov ebx, eax
	CMOS_READ 0x30
	or eax, ebx
	EXPECT_EQ eax, 0xffff, "CMOS 0x30-0x31: the same"
	CMOS_READ 0x35
	shl eax, 8
	mov ebx, eax
	CMOS_READ 0x34
	or eax, ebx
	EXPECT_EQ eax, 0x0700, "CMOS 0x34-0x35: 112 MiB above 16 MiB in 64-KiB units"
	ret
