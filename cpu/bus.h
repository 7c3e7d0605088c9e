/* The CPU's view of the world: physical memory, MMIO, port I/O and the
 * interrupt controller. platform/ implements it; cpu/ and vmx/ know nothing
 * else of devices. */
#ifndef CPU_BUS_H
#define CPU_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bus_ops {
	/* Host pointer to the RAM page holding physical address pa, or NULL
	 * when pa is not RAM (MMIO or unmapped). The page is 4 KiB, aligned,
	 * and stays valid for the machine's lifetime. */
	uint8_t *(*ram_page)(void *ctx, uint64_t pa);
	/* Access to a physical address that is not RAM. size is 1, 2, 4 or 8.
	 * Unmapped addresses read all ones and ignore writes. */
	uint64_t (*mmio_read)(void *ctx, uint64_t pa, unsigned size);
	void (*mmio_write)(void *ctx, uint64_t pa, unsigned size, uint64_t val);
	/* Port I/O; size is 1, 2 or 4. Absent ports read all ones. */
	uint32_t (*port_in)(void *ctx, uint16_t port, unsigned size);
	void (*port_out)(void *ctx, uint16_t port, unsigned size, uint32_t val);
	/* Interrupt acknowledge: the vector of the highest-priority pending
	 * external interrupt, or -1 if none is pending any more. */
	int (*intr_ack)(void *ctx);
	/* The CPU stopped for good (triple fault) or wants attention; the
	 * machine decides what that means. */
	void (*shutdown)(void *ctx, const char *why);
	/* The machine's virtual time in nanoseconds (platform/clock.h): the
	 * TSC is derived from it so that all CPUs see one time base. NULL
	 * means the CPU's own retired instructions are the clock. */
	uint64_t (*now_ns)(void *ctx);
};

struct bus {
	const struct bus_ops *ops;
	void *ctx;
};

#endif
