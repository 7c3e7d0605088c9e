/* ACPI PM1a event and control registers and the PM timer (ACPI 6.5
 * 4.8.3). See platform/acpi_pm.h.
 *
 * TMR_STS is set whenever bit 23 of the timer changes (4.8.3.3); it is
 * computed from the virtual clock when read, and a clock timer is armed
 * only when its setting would assert the SCI. No other event source is
 * wired: the power and sleep buttons, the RTC alarm and the global lock
 * status bits stay 0. */
#include "platform/acpi_pm.h"

#include <stdlib.h>

#include "platform/pc_layout.h"
#include "util/log.h"

#define STS_TMR 0x0001
#define EN_TMR 0x0001
#define EN_MASK 0x0721          /* TMR, GBL, PWRBTN, SLPBTN, RTC */
#define CNT_SCI_EN 0x0001
#define CNT_BM_RLD 0x0002
#define CNT_GBL_RLS 0x0004      /* write-only */
#define CNT_SLP_TYP_SHIFT 10
#define CNT_SLP_TYP 0x1c00
#define CNT_SLP_EN 0x2000       /* write-only */
#define CNT_RW (CNT_SCI_EN | CNT_BM_RLD | CNT_SLP_TYP)
#define TMR_MSB_SHIFT 23

struct acpi_pm {
	struct acpi_pm_config cfg;
	uint16_t sts;        /* status bits other than TMR_STS */
	uint64_t tmr_cleared; /* timer count when TMR_STS was last cleared */
	uint16_t en, cnt;
	bool sci;
	struct timer timer;
};

static uint64_t pm_count(const struct acpi_pm *pm)
{
	return (uint64_t)((unsigned __int128)clock_now_ns(pm->cfg.clock) *
			  ACPI_PM_TIMER_HZ / 1000000000u);
}

uint32_t acpi_pm_timer(const struct acpi_pm *pm)
{
	return (uint32_t)(pm_count(pm) & 0xffffff);
}

static uint16_t pm_sts(const struct acpi_pm *pm)
{
	bool tmr = (pm_count(pm) >> TMR_MSB_SHIFT) !=
		   (pm->tmr_cleared >> TMR_MSB_SHIFT);

	return (uint16_t)(pm->sts | (tmr ? STS_TMR : 0));
}

/* Drives the SCI and arms the timer for the next bit-23 change when
 * that would assert it. */
static void pm_update(struct acpi_pm *pm)
{
	uint16_t sts = pm_sts(pm);
	bool sci = (pm->cnt & CNT_SCI_EN) && (sts & pm->en & EN_MASK);

	if ((pm->cnt & CNT_SCI_EN) && (pm->en & EN_TMR) && !(sts & STS_TMR)) {
		uint64_t next = ((pm->tmr_cleared >> TMR_MSB_SHIFT) + 1)
				<< TMR_MSB_SHIFT;

		timer_arm(&pm->timer, (uint64_t)(((unsigned __int128)next *
						  1000000000u +
						  ACPI_PM_TIMER_HZ - 1) /
						 ACPI_PM_TIMER_HZ));
	} else {
		timer_disarm(&pm->timer);
	}
	if (sci != pm->sci) {
		pm->sci = sci;
		if (pm->cfg.irqs)
			irq_set(pm->cfg.irqs, PC_IRQ_SCI, sci);
	}
}

static void pm_timer_fire(void *opaque)
{
	pm_update(opaque);
}

/* The event block as bytes: PM1_STS at 0-1, PM1_EN at 2-3. */
static uint64_t evt_read(void *opaque, uint64_t offset, unsigned size)
{
	struct acpi_pm *pm = opaque;
	uint32_t regs = pm_sts(pm) | (uint32_t)pm->en << 16;

	return (regs >> (offset * 8)) & (size == 4 ? 0xffffffffu :
					 (1u << (size * 8)) - 1);
}

static void evt_write(void *opaque, uint64_t offset, unsigned size,
		      uint64_t val)
{
	struct acpi_pm *pm = opaque;

	for (unsigned i = 0; i < size; i++) {
		unsigned at = (unsigned)offset + i;
		uint16_t b = (uint16_t)((val >> (i * 8)) & 0xff);

		if (at < 2) {
			/* Write 1 to clear. */
			uint16_t clear = (uint16_t)(b << (at * 8));

			if (clear & STS_TMR)
				pm->tmr_cleared = pm_count(pm);
			pm->sts &= (uint16_t)~clear;
		} else {
			unsigned sh = (at - 2) * 8;

			pm->en = (uint16_t)((pm->en & ~(0xffu << sh)) |
					    (b << sh)) & EN_MASK;
		}
	}
	pm_update(pm);
}

static uint64_t cnt_read(void *opaque, uint64_t offset, unsigned size)
{
	struct acpi_pm *pm = opaque;

	return (pm->cnt >> (offset * 8)) & (size == 2 ? 0xffffu : 0xffu);
}

static void cnt_write(void *opaque, uint64_t offset, unsigned size,
		      uint64_t val)
{
	struct acpi_pm *pm = opaque;
	uint16_t mask = size == 2 ? 0xffff : (uint16_t)(0xffu << (offset * 8));
	uint16_t v = (uint16_t)(val << (offset * 8)) & mask;
	unsigned typ;

	pm->cnt = (uint16_t)((pm->cnt & ~mask) | (v & CNT_RW));
	pm_update(pm);
	if (!(v & CNT_SLP_EN))
		return;
	typ = (pm->cnt & CNT_SLP_TYP) >> CNT_SLP_TYP_SHIFT;
	if (typ == PC_SLP_TYP_S5) {
		if (pm->cfg.power_off)
			pm->cfg.power_off(pm->cfg.ctx, "the guest entered ACPI "
					  "sleep state S5 (soft off)");
		return;
	}
	log_warn("acpi", "sleep with SLP_TYP %u ignored: only S5 (SLP_TYP "
		 "%u) is supported", typ, PC_SLP_TYP_S5);
}

static uint64_t tmr_read(void *opaque, uint64_t offset, unsigned size)
{
	struct acpi_pm *pm = opaque;
	uint32_t v = acpi_pm_timer(pm);

	return (v >> (offset * 8)) & (size == 4 ? 0xffffffffu :
				      (1u << (size * 8)) - 1);
}

static const struct iomap_ops evt_ops = { .read = evt_read, .write = evt_write };
static const struct iomap_ops cnt_ops = { .read = cnt_read, .write = cnt_write };
static const struct iomap_ops tmr_ops = { .read = tmr_read };

struct acpi_pm *acpi_pm_create(const struct acpi_pm_config *cfg, char *err,
			       size_t errlen)
{
	struct acpi_pm *pm = calloc(1, sizeof(*pm));
	const unsigned any = IOMAP_SIZE_1 | IOMAP_SIZE_2 | IOMAP_SIZE_4;

	if (!pm) {
		snprintf(err, errlen, "acpi-pm: out of memory");
		return NULL;
	}
	pm->cfg = *cfg;
	pm->cnt = CNT_SCI_EN;
	timer_init(&pm->timer, cfg->clock, pm_timer_fire, pm);
	if (iomap_register(cfg->io, IOMAP_PORT, PC_PORT_PM1A_EVT, 4, any,
			   "acpi-pm1a-evt", &evt_ops, pm, err, errlen) != 0 ||
	    iomap_register(cfg->io, IOMAP_PORT, PC_PORT_PM1A_CNT, 2,
			   IOMAP_SIZE_1 | IOMAP_SIZE_2, "acpi-pm1a-cnt",
			   &cnt_ops, pm, err, errlen) != 0 ||
	    iomap_register(cfg->io, IOMAP_PORT, PC_PORT_PM_TMR, 4, any,
			   "acpi-pm-tmr", &tmr_ops, pm, err, errlen) != 0) {
		free(pm);
		return NULL;
	}
	return pm;
}

void acpi_pm_destroy(struct acpi_pm *pm)
{
	if (!pm)
		return;
	timer_disarm(&pm->timer);
	free(pm);
}
