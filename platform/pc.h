/* The PC's legacy devices, wired as on a PIIX-based board like QEMU's
 * default machine:
 *   0x20-0x21, 0xa0-0xa1, 0x4d0-0x4d1  8259A pair and ELCR (pic.h)
 *   0x40-0x43, 0x61                     8254 PIT, port B (pit.h), IRQ 0
 *   0x60, 0x64                          8042 keyboard controller (i8042.h),
 *                                       IRQ 1 and 12
 *   0x70-0x71                           MC146818A RTC and CMOS (rtc.h), IRQ 8
 *   0x92, 0xf0, 0x8900, 0xcf9           system control (sysctl.h), IRQ 13
 *   0xcf8-0xcff                         PCI configuration (pci.h)
 *   0x510-0x511                         fw_cfg (fwcfg.h)
 *   0xe0-0xeb, 0x2000-0x2017,
 *   0xff000000-0xff00ffff               pc-testdev (testdev.h)
 *   0xb000-0xb00b                       ACPI PM registers (acpi_pm.h), IRQ 9
 *   0x3f8-0x3ff, 0x2f8-0x2ff            16550A COM1 (IRQ 4), COM2 (IRQ 3)
 * Devices take their time from the machine's clock and drive the
 * machine's interrupt lines; the 8259 pair's output goes to CPU 0's INTR
 * until the machine connects it elsewhere (pic_set_output()). The A20
 * gate is the keyboard controller's output ORed with port 0x92 bit 1,
 * and reaches every CPU. */
#ifndef PLATFORM_PC_H
#define PLATFORM_PC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"
#include "platform/ram.h"
#include "platform/rtc.h"

struct pc;
struct pic;
struct uart;

struct pc_config {
	struct iomap *io;
	struct clock *clock;
	struct irq_bus *irqs;
	const struct ram *ram;     /* sizes for CMOS and fw_cfg */
	struct cpu *const *cpus;   /* the A20 gate, IGNNE#, INTR by default;
				      the array must outlive the PC */
	unsigned ncpus;
	FILE *com1_out;            /* COM1's output; NULL discards it */
	const struct rtc_date *rtc_start; /* NULL: RTC_DEFAULT_DATE */
	/* The guest turned the machine off, or reset it. */
	void (*power_off)(void *ctx, const char *why);
	void (*reset)(void *ctx, const char *why);
	void *ctx;
};

struct pc *pc_create(const struct pc_config *cfg, char *err, size_t errlen);
void pc_destroy(struct pc *pc);

struct pic *pc_pic(struct pc *pc);
struct uart *pc_com1(struct pc *pc);

/* True while a timer on the machine's clock is armed: a device (or a
 * local APIC, which shares the clock) will act without any CPU doing
 * anything, so a CPU halted with interrupts enabled may be woken. */
bool pc_has_event_sources(const struct pc *pc);

/* A CPU's FERR# output (the bus's ferr callback): IRQ 13. */
void pc_set_ferr(struct pc *pc, bool level);

/* Pushes serial output to the host. */
void pc_flush(struct pc *pc);

#endif
