/* The PC's system control ports, as the PIIX/ICH south bridges decode
 * them:
 *   0x92    system control port A: bit 0 fast reset (a 0 to 1 transition
 *           resets), bit 1 alternate A20 gate (ORed with the keyboard
 *           controller's A20 output);
 *   0xcf9   reset control register: writing bit 2 (RST_CPU) resets, hard
 *           or soft as bit 1 (SYS_RST) says; reached through the PCI
 *           configuration address range (platform/pci.h), which shares
 *           its dword;
 *   0xf0    a write clears FERR#'s IRQ 13 and asserts IGNNE#;
 *   0x8900  the Bochs/QEMU power-off port: the bytes "Shutdown" in a row
 *           turn the machine off.
 * What a reset or power-off means is the machine's business; it is told
 * through callbacks. */
#ifndef PLATFORM_SYSCTL_H
#define PLATFORM_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/iomap.h"
#include "platform/irq.h"

struct sysctl;

struct sysctl_config {
	struct iomap *io;
	struct irq_bus *irqs;        /* line PC_IRQ_FPU */
	void (*set_a20)(void *ctx, bool enabled);  /* port 0x92 bit 1 */
	void (*reset)(void *ctx, const char *why);
	void (*power_off)(void *ctx, const char *why);
	void (*set_ignne)(void *ctx, bool level);
	void *ctx;
};

struct sysctl *sysctl_create(const struct sysctl_config *cfg, char *err,
			     size_t errlen);
void sysctl_destroy(struct sysctl *s);

/* The CPU's FERR# output: asserting it raises IRQ 13; deasserting it
 * lowers IRQ 13 and IGNNE#. */
void sysctl_set_ferr(struct sysctl *s, bool level);

/* Byte access to the reset control register at 0xcf9. */
uint8_t sysctl_rc_read(struct sysctl *s);
void sysctl_rc_write(struct sysctl *s, uint8_t val);

#endif
