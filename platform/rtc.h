/* The MC146818A real-time clock and CMOS RAM (Motorola MC146818A
 * datasheet) at ports 0x70 (index, and the NMI mask in bit 7) and 0x71
 * (data), with the 128 bytes of RAM a PC chipset gives it.
 *
 * The clock runs on the machine's virtual clock from a fixed start date,
 * never from host time, so runs repeat. Its 32.768 kHz divider chain
 * starts at virtual time 0: the first update cycle begins 0.5 s later.
 * IRQF (register C bit 7) drives ISA line 8 (active high). */
#ifndef PLATFORM_RTC_H
#define PLATFORM_RTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"

/* A calendar date and time; year is the full year (2026). */
struct rtc_date {
	unsigned year, month, day;
	unsigned hour, minute, second;
};

/* The start date when the configuration gives none. */
#define RTC_DEFAULT_DATE ((struct rtc_date){ 2026, 1, 1, 0, 0, 0 })

/* CMOS RAM bytes a PC BIOS fills (IBM PC/AT technical reference). */
#define RTC_CMOS_EQUIPMENT 0x14
#define RTC_CMOS_BASE_MEM_LO 0x15   /* KiB below 640 KiB */
#define RTC_CMOS_BASE_MEM_HI 0x16
#define RTC_CMOS_EXT_MEM_LO 0x17    /* KiB above 1 MiB, at most 65535 */
#define RTC_CMOS_EXT_MEM_HI 0x18
#define RTC_CMOS_CHECKSUM_HI 0x2e   /* sum of bytes 0x10-0x2d */
#define RTC_CMOS_CHECKSUM_LO 0x2f
#define RTC_CMOS_EXT_MEM2_LO 0x30   /* copy of 0x17-0x18 */
#define RTC_CMOS_EXT_MEM2_HI 0x31
#define RTC_CMOS_CENTURY 0x32
#define RTC_CMOS_MEM_16M_LO 0x34    /* 64-KiB blocks from 16 MiB to 4 GiB */
#define RTC_CMOS_MEM_16M_HI 0x35
#define RTC_CMOS_MEM_4G_LO 0x5b     /* 64-KiB blocks above 4 GiB, 3 bytes */
#define RTC_CMOS_CPUS 0x5f          /* CPUs - 1 (SeaBIOS convention) */

struct rtc;

/* Registers ports 0x70-0x71. start NULL means RTC_DEFAULT_DATE. The
 * registers start as firmware leaves them: 24-hour BCD mode, 1024 Hz
 * periodic rate selected, interrupts off, the date in BCD. */
struct rtc *rtc_create(struct iomap *io, struct clock *clk,
		       struct irq_bus *irqs, unsigned irq_line,
		       const struct rtc_date *start, char *err, size_t errlen);
void rtc_destroy(struct rtc *r);

/* CMOS RAM outside the clock registers (index 0x0e-0x7f), for the
 * machine to fill as firmware would. */
void rtc_cmos_set(struct rtc *r, unsigned index, uint8_t val);
uint8_t rtc_cmos_get(const struct rtc *r, unsigned index);

/* Port 0x70 bit 7: NMI disabled. */
bool rtc_nmi_masked(const struct rtc *r);

#endif
