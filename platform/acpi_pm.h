/* ACPI fixed hardware (ACPI 6.5 chapter 4.8): the PM1a event block
 * (PM1_STS, PM1_EN) at PC_PORT_PM1A_EVT, the PM1a control block at
 * PC_PORT_PM1A_CNT and the 24-bit power management timer at
 * PC_PORT_PM_TMR, counting 3.579545 MHz on the virtual clock.
 *
 * The SCI (ISA line PC_IRQ_SCI, active high) is asserted while SCI_EN is
 * set and an enabled status bit is. Writing SLP_EN with SLP_TYP =
 * PC_SLP_TYP_S5 turns the machine off; other sleep states are not
 * supported. SCI_EN starts set: the FADT gives no SMI command port, so
 * the machine is always in ACPI mode. */
#ifndef PLATFORM_ACPI_PM_H
#define PLATFORM_ACPI_PM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"

#define ACPI_PM_TIMER_HZ 3579545u

struct acpi_pm;

struct acpi_pm_config {
	struct iomap *io;
	struct clock *clock;
	struct irq_bus *irqs;
	void (*power_off)(void *ctx, const char *why);
	void *ctx;
};

struct acpi_pm *acpi_pm_create(const struct acpi_pm_config *cfg, char *err,
			       size_t errlen);
void acpi_pm_destroy(struct acpi_pm *pm);

/* The timer's value now (24 bits). */
uint32_t acpi_pm_timer(const struct acpi_pm *pm);

#endif
