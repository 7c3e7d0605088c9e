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
	/* The CPU's FERR# output changed to level (true = asserted): with
	 * CR0.NE = 0 an unmasked x87 exception asserts it, clearing the
	 * exception deasserts it (SDM Vol. 1 appendix D). A PC routes it to
	 * IRQ 13 and answers with IGNNE# (cpu_set_ignne()). NULL: nothing
	 * is connected. */
	void (*ferr)(void *ctx, bool level);
	/* The local APIC, which is the platform's (platform/lapic.h). Each
	 * call names the CPU by its APIC ID, so that the CLI and scripts
	 * reach the right APIC while no CPU runs. Any of them may be NULL
	 * on a bus without local APICs.
	 *
	 * apic_msr_read/apic_msr_write: RDMSR and WRMSR of the MSRs that
	 * live in the APIC (the x2APIC registers 800H-8FFH,
	 * IA32_TSC_DEADLINE). Return false with the rule in why to raise
	 * #GP(0). */
	bool (*apic_msr_read)(void *ctx, unsigned apic_id, uint32_t index,
			      uint64_t *val, char *why, size_t whylen);
	bool (*apic_msr_write)(void *ctx, unsigned apic_id, uint32_t index,
			       uint64_t val, char *why, size_t whylen);
	/* IA32_APIC_BASE took a new value (WRMSR; the CPU has checked it). */
	void (*apic_base_changed)(void *ctx, unsigned apic_id, uint64_t val);
	/* The task-priority register, which MOV CR8 reads and writes as
	 * TPR bits 7:4 (SDM Vol. 3A 10.8.6.1). */
	uint8_t (*tpr_read)(void *ctx, unsigned apic_id);
	void (*tpr_write)(void *ctx, unsigned apic_id, uint8_t tpr);
};

struct bus {
	const struct bus_ops *ops;
	void *ctx;
};

#endif
