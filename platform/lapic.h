/* The local APIC of one CPU (SDM Vol. 3A chapter 10; section numbers are
 * those of the editions where the APIC is chapter 10). One register
 * implementation serves the xAPIC MMIO page and the x2APIC MSRs; the
 * timer runs on the machine's virtual clock in one-shot, periodic and
 * TSC-deadline modes; every LVT exists (timer, thermal, performance
 * counter, LINT0, LINT1, error, CMCI). Interrupt messages between APICs
 * travel on the APIC bus (platform/apicbus.h).
 *
 * Choices where the SDM leaves room:
 *   - the timer counts at LAPIC_TIMER_HZ before the divider;
 *   - the version register reads 15H with 7 LVT entries; EOI-broadcast
 *     suppression is offered only when the machine's I/O APIC has an EOI
 *     register (as KVM does: a guest that suppresses the broadcast must
 *     be able to send the EOI itself);
 *   - the APR follows the P6 rule (10.8.3.1 does not define it for
 *     later processors); RRD reads 0 (remote read is not supported);
 *   - the ID register is writable in xAPIC mode (bits 31:24);
 *   - SVR bit 9 (focus processor checking) is stored but no focus
 *     processor is ever chosen;
 *   - registers are accessed with aligned 32-bit loads and stores (SDM
 *     10.4.1); a narrower load reads part of the register, any other
 *     store is dropped. */
#ifndef PLATFORM_LAPIC_H
#define PLATFORM_LAPIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct apic_bus;
struct clock;
struct cpu;
struct lapic;

/* Register offsets in the xAPIC page (SDM table 10-1); the x2APIC MSR of
 * a register is 800H + offset / 16 (table 10-6). */
enum lapic_reg {
	LAPIC_ID = 0x020,
	LAPIC_VERSION = 0x030,
	LAPIC_TPR = 0x080,
	LAPIC_APR = 0x090,
	LAPIC_PPR = 0x0a0,
	LAPIC_EOI = 0x0b0,
	LAPIC_RRD = 0x0c0,
	LAPIC_LDR = 0x0d0,
	LAPIC_DFR = 0x0e0,
	LAPIC_SVR = 0x0f0,
	LAPIC_ISR = 0x100,        /* 8 registers, 0x100-0x170 */
	LAPIC_TMR = 0x180,        /* 0x180-0x1f0 */
	LAPIC_IRR = 0x200,        /* 0x200-0x270 */
	LAPIC_ESR = 0x280,
	LAPIC_LVT_CMCI = 0x2f0,
	LAPIC_ICR_LO = 0x300,
	LAPIC_ICR_HI = 0x310,
	LAPIC_LVT_TIMER = 0x320,
	LAPIC_LVT_THERMAL = 0x330,
	LAPIC_LVT_PMC = 0x340,
	LAPIC_LVT_LINT0 = 0x350,
	LAPIC_LVT_LINT1 = 0x360,
	LAPIC_LVT_ERROR = 0x370,
	LAPIC_TIMER_ICR = 0x380,  /* initial count */
	LAPIC_TIMER_CCR = 0x390,  /* current count */
	LAPIC_TIMER_DCR = 0x3e0,  /* divide configuration */
	LAPIC_SELF_IPI = 0x3f0,   /* x2APIC mode only */
};

#define LAPIC_X2APIC_MSR(reg) (0x800u + (reg) / 16)
#define LAPIC_MSR_TSC_DEADLINE 0x6e0u

/* Delivery modes of the ICR, the LVTs and I/O APIC redirection entries
 * (SDM 10.5.1, 10.6.1). */
enum apic_delivery {
	APIC_DM_FIXED = 0,
	APIC_DM_LOWEST = 1,
	APIC_DM_SMI = 2,
	APIC_DM_NMI = 4,
	APIC_DM_INIT = 5,
	APIC_DM_STARTUP = 6,
	APIC_DM_EXTINT = 7,
};

/* Bits shared by LVT entries, the ICR and redirection entries. */
#define APIC_VECTOR 0xffu
#define APIC_DM_SHIFT 8
#define APIC_DEST_LOGICAL (1u << 11)
#define APIC_DELIVERY_STATUS (1u << 12)
#define APIC_POLARITY_LOW (1u << 13)
#define APIC_REMOTE_IRR (1u << 14)
#define APIC_LEVEL_ASSERT (1u << 14)     /* ICR */
#define APIC_TRIGGER_LEVEL (1u << 15)
#define APIC_MASKED (1u << 16)
#define APIC_SHORTHAND_SHIFT 18
#define LAPIC_TIMER_PERIODIC (1u << 17)
#define LAPIC_TIMER_TSC_DEADLINE (2u << 17)
#define LAPIC_TIMER_MODE (3u << 17)

/* SVR bits. */
#define LAPIC_SVR_ENABLE (1u << 8)
#define LAPIC_SVR_FOCUS_DISABLE (1u << 9)
#define LAPIC_SVR_SUPPRESS_EOI (1u << 12)

/* ESR bits (SDM 10.5.3). */
#define LAPIC_ESR_SEND_ILLEGAL_VECTOR (1u << 5)
#define LAPIC_ESR_RECV_ILLEGAL_VECTOR (1u << 6)
#define LAPIC_ESR_ILLEGAL_REGISTER (1u << 7)
#define LAPIC_ESR_REDIRECTIBLE_IPI (1u << 4)

/* IA32_APIC_BASE bits (SDM 10.4.4). */
#define LAPIC_BASE_BSP (1ull << 8)
#define LAPIC_BASE_EXTD (1ull << 10)
#define LAPIC_BASE_EN (1ull << 11)
#define LAPIC_BASE_ADDR_MASK 0x000ffffffffff000ull

/* The timer's input clock (before the divide configuration). */
#define LAPIC_TIMER_HZ 100000000u

/* The 8259 pair's output, which reaches LINT0 (virtual-wire mode) and
 * ExtINT messages: pending() is its INT line, acknowledge() the INTA
 * cycle that returns the vector. */
struct lapic_extint {
	bool (*pending)(void *opaque);
	int (*acknowledge)(void *opaque);
	void *opaque;
};

struct lapic_config {
	unsigned apic_id;          /* initial APIC ID = x2APIC ID */
	bool x2apic;               /* CPUID.01H:ECX.x2APIC */
	bool tsc_deadline;         /* CPUID.01H:ECX.TSC_Deadline */
	bool eoi_suppression;      /* version bit 24, SVR bit 12 */
};

/* The APIC of cpu, on bus, with its timer on clk. The APIC joins the bus
 * (apicbus_attach()). Returns NULL when out of memory. */
struct lapic *lapic_create(const struct lapic_config *cfg, struct cpu *cpu,
			   struct apic_bus *bus, struct clock *clk);
void lapic_destroy(struct lapic *l);

/* Power-on / RESET (SDM 10.4.7.1): IA32_APIC_BASE = FEE00000H, enabled,
 * BSP flag for bsp; registers at their reset values. */
void lapic_reset(struct lapic *l, bool bsp);
/* INIT (10.4.7.3): the reset state but for the APIC ID; the mode that
 * IA32_APIC_BASE selects stays. */
void lapic_init(struct lapic *l);

/* IA32_APIC_BASE took a new value (the CPU checked the transition). */
void lapic_set_base(struct lapic *l, uint64_t val);
uint64_t lapic_base(const struct lapic *l);
bool lapic_hw_enabled(const struct lapic *l);
bool lapic_x2apic_mode(const struct lapic *l);
/* True if the xAPIC page at physical address pa belongs to this APIC
 * (enabled, xAPIC mode, pa within its 4 KiB). */
bool lapic_claims(const struct lapic *l, uint64_t pa);

/* The xAPIC page: offset within it, size 1, 2, 4 or 8. */
uint64_t lapic_mmio_read(struct lapic *l, uint64_t offset, unsigned size);
void lapic_mmio_write(struct lapic *l, uint64_t offset, unsigned size,
		      uint64_t val);
/* RDMSR / WRMSR of the x2APIC MSRs and IA32_TSC_DEADLINE: false with the
 * rule in why for #GP(0). */
bool lapic_msr_read(struct lapic *l, uint32_t index, uint64_t *val,
		    char *why, size_t whylen);
bool lapic_msr_write(struct lapic *l, uint32_t index, uint64_t val,
		     char *why, size_t whylen);
/* The TPR as MOV CR8 sees it (whole register). */
uint8_t lapic_tpr(const struct lapic *l);
void lapic_set_tpr(struct lapic *l, uint8_t tpr);

/* INTA from the CPU: the vector of the interrupt it takes (it moves from
 * IRR to ISR, or comes from the 8259 for ExtINT), or -1. */
int lapic_acknowledge(struct lapic *l);

/* The local interrupt pins LINT0 and LINT1 (pin 0 or 1) at level. With
 * the APIC globally disabled they are the CPU's INTR and NMI (10.4.3). */
void lapic_set_lint(struct lapic *l, unsigned pin, bool level);
void lapic_set_extint(struct lapic *l, const struct lapic_extint *src);
/* The 8259's output may have changed: re-evaluates INTR. */
void lapic_extint_changed(struct lapic *l);

/* For the APIC bus (platform/apicbus.c). */
struct cpu *lapic_cpu(const struct lapic *l);
unsigned lapic_initial_id(const struct lapic *l);
/* True if a message with destination dest (physical or logical; x2 for
 * the 32-bit x2APIC format) selects this APIC (SDM 10.6.2). */
bool lapic_matches(const struct lapic *l, uint32_t dest, bool logical,
		   bool x2);
bool lapic_sw_enabled(const struct lapic *l);
/* Accepts a fixed or lowest-priority interrupt into IRR (TMR = level).
 * Returns what happened, for the event log. */
const char *lapic_accept(struct lapic *l, uint8_t vector, bool level);
/* An ExtINT message: the vector comes from the 8259 at INTA. */
void lapic_accept_extint(struct lapic *l);

/* Register values for tests, the CLI and scripts (any offset; the
 * 256-bit registers by their eight 32-bit parts). */
uint32_t lapic_peek(const struct lapic *l, unsigned offset);
uint64_t lapic_tsc_deadline(const struct lapic *l);

#endif
