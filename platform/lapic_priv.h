/* Private to platform/lapic.c and platform/lapic_timer.c: the state of
 * one local APIC, and the calls between the register file and the
 * timer. Users of the APIC include platform/lapic.h only. */
#ifndef PLATFORM_LAPIC_PRIV_H
#define PLATFORM_LAPIC_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "platform/clock.h"
#include "platform/lapic.h"

/* The LVT entries, in the order of their registers. */
enum lvt_index {
	LVT_TIMER, LVT_THERMAL, LVT_PMC, LVT_LINT0, LVT_LINT1, LVT_ERROR,
	LVT_CMCI, LVT_COUNT,
};

/* Writable bits of the divide configuration register: 3 and 1:0
 * (SDM figure 10-10). */
#define LAPIC_TIMER_DCR_BITS 0xbu

struct lapic {
	struct lapic_config cfg;
	struct cpu *cpu;
	struct apic_bus *bus;
	struct clock *clock;
	struct lapic_extint extint;

	uint64_t base;             /* IA32_APIC_BASE as the CPU holds it */
	uint32_t id;               /* xAPIC ID register, ID in bits 31:24 */
	uint32_t tpr, ldr, dfr, svr;
	uint32_t esr;              /* what software reads */
	uint32_t esr_new;          /* errors since the last ESR write */
	uint64_t icr;
	uint32_t irr[8], isr[8], tmr[8];
	uint32_t lvt[LVT_COUNT];

	/* The timer's state; platform/lapic_timer.c changes it. */
	uint32_t timer_icr, timer_dcr;
	uint64_t tsc_deadline;
	struct timer timer;
	bool counting;             /* one-shot or periodic count running */
	uint64_t count_start_ns;   /* when the count was count_start */
	uint32_t count_start;

	bool lint[2];              /* pin levels */
	bool extint_msg;           /* ExtINT message waiting for INTA */
};

/* platform/lapic.c: a local interrupt from LVT entry n (SDM 10.5.1);
 * a masked entry delivers nothing. */
void lapic_lvt_deliver(struct lapic *l, enum lvt_index n);

/* platform/lapic_timer.c: the timer (SDM 10.5.4). */

/* The clock timer behind the APIC timer: attach once l->clock is set,
 * detach before l is freed. */
void lapic_timer_attach(struct lapic *l);
void lapic_timer_detach(struct lapic *l);
/* Initial count and divide configuration 0, the timer stopped. */
void lapic_timer_reset(struct lapic *l);
/* Disarms the timer (a write to the LVT timer entry that changes its
 * mode, 10.5.4.1). */
void lapic_timer_stop(struct lapic *l);

/* The registers: reads of the current count, writes of the initial
 * count and of the divide configuration (val already checked for
 * reserved bits). */
uint32_t lapic_timer_current(const struct lapic *l);
void lapic_timer_write_icr(struct lapic *l, uint32_t val);
void lapic_timer_write_dcr(struct lapic *l, uint32_t val);

/* RDMSR and WRMSR of IA32_TSC_DEADLINE (never a #GP). */
uint64_t lapic_timer_read_deadline(const struct lapic *l);
void lapic_timer_write_deadline(struct lapic *l, uint64_t val);

#endif
