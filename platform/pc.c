/* The PC's legacy devices and their wiring (see platform/pc.h). */
#include "platform/pc.h"

#include <stdlib.h>

#include "platform/acpi_pm.h"
#include "platform/fwcfg.h"
#include "platform/i8042.h"
#include "platform/pc_layout.h"
#include "platform/pci.h"
#include "platform/pic.h"
#include "platform/pit.h"
#include "platform/sysctl.h"
#include "platform/testdev.h"
#include "platform/uart.h"
#include "util/log.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)

struct pc {
	struct pc_config cfg;
	struct pic *pic;
	struct pit *pit;
	struct rtc *rtc;
	struct i8042 *kbc;
	struct sysctl *sysctl;
	struct acpi_pm *pm;
	struct pci *pci;
	struct fwcfg *fwcfg;
	struct testdev *testdev;
	struct uart *com1, *com2;
	bool kbc_a20, port92_a20;
};

/* --- Wiring. --- */

static void pc_cpu0_intr(void *opaque, bool level)
{
	struct pc *pc = opaque;

	cpu_set_intr(pc->cfg.cpus[0], level);
}

/* PIIX4 port 92h bit 1: "ORed with the A20GATE input signal to generate
 * A20M#". */
static void pc_update_a20(struct pc *pc)
{
	bool on = pc->kbc_a20 || pc->port92_a20;

	for (unsigned i = 0; i < pc->cfg.ncpus; i++)
		cpu_set_a20(pc->cfg.cpus[i], on);
}

static void pc_kbc_a20(void *ctx, bool enabled)
{
	struct pc *pc = ctx;

	pc->kbc_a20 = enabled;
	pc_update_a20(pc);
}

static void pc_port92_a20(void *ctx, bool enabled)
{
	struct pc *pc = ctx;

	pc->port92_a20 = enabled;
	pc_update_a20(pc);
}

static void pc_ignne(void *ctx, bool level)
{
	struct pc *pc = ctx;

	for (unsigned i = 0; i < pc->cfg.ncpus; i++)
		cpu_set_ignne(pc->cfg.cpus[i], level);
}

static void pc_reset(void *ctx, const char *why)
{
	struct pc *pc = ctx;

	log_info("pc", "reset: %s", why);
	if (pc->cfg.reset)
		pc->cfg.reset(pc->cfg.ctx, why);
}

static void pc_power_off(void *ctx, const char *why)
{
	struct pc *pc = ctx;

	log_info("pc", "power off: %s", why);
	if (pc->cfg.power_off)
		pc->cfg.power_off(pc->cfg.ctx, why);
}

static uint8_t pc_rc_read(void *opaque)
{
	return sysctl_rc_read(opaque);
}

static void pc_rc_write(void *opaque, uint8_t val)
{
	sysctl_rc_write(opaque, val);
}

/* --- CMOS RAM as firmware fills it. --- */

static void cmos_put16(struct rtc *r, unsigned lo, uint64_t v)
{
	if (v > 0xffff)
		v = 0xffff;
	rtc_cmos_set(r, lo, (uint8_t)v);
	rtc_cmos_set(r, lo + 1, (uint8_t)(v >> 8));
}

static void pc_fill_cmos(struct pc *pc)
{
	const struct ram *ram = pc->cfg.ram;
	uint64_t low = ram ? ram_low_end(ram) : 0;
	uint64_t high = ram ? ram_high_size(ram) : 0;
	uint64_t ext = low > MIB ? (low - MIB) / KIB : 0;
	uint64_t above16 = low > 16 * MIB ? (low - 16 * MIB) / (64 * KIB) : 0;
	uint64_t above4g = high / (64 * KIB);
	unsigned sum = 0;

	/* Math coprocessor and PS/2 mouse present, no floppy, EGA/VGA. */
	rtc_cmos_set(pc->rtc, RTC_CMOS_EQUIPMENT, 0x06);
	cmos_put16(pc->rtc, RTC_CMOS_BASE_MEM_LO, 640);
	cmos_put16(pc->rtc, RTC_CMOS_EXT_MEM_LO, ext);
	cmos_put16(pc->rtc, RTC_CMOS_EXT_MEM2_LO, ext);
	cmos_put16(pc->rtc, RTC_CMOS_MEM_16M_LO, above16);
	rtc_cmos_set(pc->rtc, RTC_CMOS_MEM_4G_LO, (uint8_t)above4g);
	rtc_cmos_set(pc->rtc, RTC_CMOS_MEM_4G_LO + 1, (uint8_t)(above4g >> 8));
	rtc_cmos_set(pc->rtc, RTC_CMOS_MEM_4G_LO + 2, (uint8_t)(above4g >> 16));
	rtc_cmos_set(pc->rtc, RTC_CMOS_CPUS, (uint8_t)(pc->cfg.ncpus - 1));
	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum += rtc_cmos_get(pc->rtc, i);
	rtc_cmos_set(pc->rtc, RTC_CMOS_CHECKSUM_HI, (uint8_t)(sum >> 8));
	rtc_cmos_set(pc->rtc, RTC_CMOS_CHECKSUM_LO, (uint8_t)sum);
}

/* --- Building. --- */

static int pc_add_uarts(struct pc *pc, char *err, size_t errlen)
{
	struct uart_config u = {
		.io = pc->cfg.io,
		.base = UART_COM1_BASE,
		.name = "com1",
		.out = pc->cfg.com1_out,
		.irqs = pc->cfg.irqs,
		.irq_line = PC_IRQ_COM1,
		.clock = pc->cfg.clock,
	};

	pc->com1 = uart_create(&u, err, errlen);
	if (!pc->com1)
		return -1;
	u.base = UART_COM2_BASE;
	u.name = "com2";
	u.out = NULL;
	u.irq_line = PC_IRQ_COM2;
	pc->com2 = uart_create(&u, err, errlen);
	return pc->com2 ? 0 : -1;
}

static int pc_add_devices(struct pc *pc, char *err, size_t errlen)
{
	const struct pc_config *c = &pc->cfg;
	struct i8042_config kc = {
		.io = c->io, .irqs = c->irqs, .set_a20 = pc_kbc_a20,
		.reset = pc_reset, .ctx = pc,
	};
	struct sysctl_config sc = {
		.io = c->io, .irqs = c->irqs, .set_a20 = pc_port92_a20,
		.reset = pc_reset, .power_off = pc_power_off,
		.set_ignne = pc_ignne, .ctx = pc,
	};
	struct acpi_pm_config ac = {
		.io = c->io, .clock = c->clock, .irqs = c->irqs,
		.power_off = pc_power_off, .ctx = pc,
	};
	struct fwcfg_config fc = {
		.io = c->io,
		.ram_size = c->ram ? ram_size(c->ram) : 0,
		.ram_end = c->ram ? ram_top(c->ram) : 0,
		.ncpus = c->ncpus,
		.max_cpus = c->ncpus,
	};

	/* The interrupt controller first: devices drive their lines as
	 * they come up (the PIT's OUT starts high). */
	pc->pic = pic_create(c->io, err, errlen);
	if (!pc->pic)
		return -1;
	if (!irq_bus_attach(c->irqs, pic_irq_sink(pc->pic))) {
		snprintf(err, errlen, "no room on the interrupt lines for the "
			 "8259 pair");
		return -1;
	}
	if (c->ncpus)
		pic_set_output(pc->pic, pc_cpu0_intr, pc);
	pc->pit = pit_create(c->io, c->clock, c->irqs, PC_IRQ_PIT, err,
			     errlen);
	if (!pc->pit)
		return -1;
	pc->rtc = rtc_create(c->io, c->clock, c->irqs, PC_IRQ_RTC,
			     c->rtc_start, err, errlen);
	if (!pc->rtc)
		return -1;
	pc_fill_cmos(pc);
	pc->kbc = i8042_create(&kc, err, errlen);
	if (!pc->kbc)
		return -1;
	pc->sysctl = sysctl_create(&sc, err, errlen);
	if (!pc->sysctl)
		return -1;
	pc->pm = acpi_pm_create(&ac, err, errlen);
	if (!pc->pm)
		return -1;
	pc->pci = pci_create(&(struct pci_config){ .io = c->io,
			     .rc_read = pc_rc_read, .rc_write = pc_rc_write,
			     .rc_opaque = pc->sysctl }, err, errlen);
	if (!pc->pci)
		return -1;
	pc->fwcfg = fwcfg_create(&fc, err, errlen);
	if (!pc->fwcfg)
		return -1;
	pc->testdev = testdev_create(c->io, c->irqs, err, errlen);
	if (!pc->testdev)
		return -1;
	return pc_add_uarts(pc, err, errlen);
}

struct pc *pc_create(const struct pc_config *cfg, char *err, size_t errlen)
{
	struct pc *pc = calloc(1, sizeof(*pc));

	if (!pc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pc->cfg = *cfg;
	/* The machine starts with A20 on, as QEMU's does: the keyboard
	 * controller's output port has the gate open. */
	pc->kbc_a20 = true;
	if (pc_add_devices(pc, err, errlen) != 0) {
		pc_destroy(pc);
		return NULL;
	}
	return pc;
}

void pc_destroy(struct pc *pc)
{
	if (!pc)
		return;
	uart_destroy(pc->com2);
	uart_destroy(pc->com1);
	testdev_destroy(pc->testdev);
	fwcfg_destroy(pc->fwcfg);
	pci_destroy(pc->pci);
	acpi_pm_destroy(pc->pm);
	sysctl_destroy(pc->sysctl);
	i8042_destroy(pc->kbc);
	rtc_destroy(pc->rtc);
	pit_destroy(pc->pit);
	pic_destroy(pc->pic);
	free(pc);
}

struct pic *pc_pic(struct pc *pc)
{
	return pc->pic;
}

struct uart *pc_com1(struct pc *pc)
{
	return pc->com1;
}

bool pc_has_event_sources(const struct pc *pc)
{
	return clock_next_deadline(pc->cfg.clock) != UINT64_MAX;
}

void pc_set_ferr(struct pc *pc, bool level)
{
	sysctl_set_ferr(pc->sysctl, level);
}

void pc_flush(struct pc *pc)
{
	if (!pc)
		return;
	uart_flush(pc->com1);
	uart_flush(pc->com2);
}
