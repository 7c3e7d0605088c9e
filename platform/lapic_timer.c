/* The local APIC timer (SDM Vol. 3A 10.5.4): the initial and current
 * count and the divide configuration, one-shot, periodic and TSC-deadline
 * modes, on the machine's virtual clock. The timer interrupt goes out
 * through the LVT timer entry (platform/lapic.c). */
#include "platform/lapic_priv.h"

#include "cpu/cpu.h"
#include "platform/clock.h"

/* ---- counting ---- */

/* Divide configuration bits 3, 1:0 -> 2, 4, ..., 128, 1 (figure 10-10). */
static unsigned timer_divisor(const struct lapic *l)
{
	unsigned v = ((l->timer_dcr & 8) >> 1) | (l->timer_dcr & 3);
	return 1u << ((v + 1) & 7);
}

static uint64_t ticks_to_ns(const struct lapic *l, uint64_t ticks)
{
	unsigned __int128 n = (unsigned __int128)ticks * timer_divisor(l) *
			      1000000000u;
	return (uint64_t)((n + LAPIC_TIMER_HZ - 1) / LAPIC_TIMER_HZ);
}

static uint64_t ns_to_ticks(const struct lapic *l, uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * LAPIC_TIMER_HZ /
			  ((uint64_t)timer_divisor(l) * 1000000000u));
}

static uint32_t timer_mode(const struct lapic *l)
{
	return l->lvt[LVT_TIMER] & LAPIC_TIMER_MODE;
}

uint32_t lapic_timer_current(const struct lapic *l)
{
	if (!l->counting || timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE)
		return 0;
	uint64_t elapsed = ns_to_ticks(l, clock_now_ns(l->clock) -
					      l->count_start_ns);
	return elapsed >= l->count_start ? 0 :
	       l->count_start - (uint32_t)elapsed;
}

/* Counts down from count, starting at start_ns; 0 stops the timer. */
static void timer_count(struct lapic *l, uint32_t count, uint64_t start_ns)
{
	l->counting = count != 0;
	l->count_start = count;
	l->count_start_ns = start_ns;
	if (l->counting)
		timer_arm(&l->timer, start_ns + ticks_to_ns(l, count));
	else
		timer_disarm(&l->timer);
}

void lapic_timer_stop(struct lapic *l)
{
	l->counting = false;
	l->tsc_deadline = 0;
	timer_disarm(&l->timer);
}

/* TSC-deadline mode (10.5.4.1): fires when the TSC reaches the deadline;
 * one already passed fires at once. */
static void deadline_arm(struct lapic *l)
{
	if (!l->tsc_deadline) {
		timer_disarm(&l->timer);
		return;
	}
	uint64_t tsc = cpu_tsc(l->cpu);
	if (l->tsc_deadline <= tsc) {
		l->tsc_deadline = 0;
		timer_disarm(&l->timer);
		lapic_lvt_deliver(l, LVT_TIMER);
		return;
	}
	uint64_t hz = cpu_tsc_hz(l->cpu);
	unsigned __int128 ns = ((unsigned __int128)(l->tsc_deadline - tsc) *
				1000000000u + hz - 1) / hz;
	timer_arm(&l->timer, clock_now_ns(l->clock) + (uint64_t)ns);
}

static void timer_fire(void *opaque)
{
	struct lapic *l = opaque;

	if (timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE) {
		/* "When the timer generates an interrupt, it disarms itself
		 * and clears the IA32_TSC_DEADLINE MSR." */
		l->tsc_deadline = 0;
		lapic_lvt_deliver(l, LVT_TIMER);
		return;
	}
	if (!l->counting)
		return;
	uint64_t due = l->count_start_ns + ticks_to_ns(l, l->count_start);
	lapic_lvt_deliver(l, LVT_TIMER);
	if (timer_mode(l) == LAPIC_TIMER_PERIODIC)
		timer_count(l, l->timer_icr, due);
	else
		l->counting = false;
}

/* ---- the registers ---- */

void lapic_timer_write_icr(struct lapic *l, uint32_t val)
{
	/* Ignored in TSC-deadline mode (10.5.4.1). */
	if (timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE)
		return;
	l->timer_icr = val;
	timer_count(l, l->timer_icr, clock_now_ns(l->clock));
}

void lapic_timer_write_dcr(struct lapic *l, uint32_t val)
{
	/* The count goes on from where it is, at the new rate. */
	uint32_t cur = lapic_timer_current(l);
	bool counting = l->counting;
	l->timer_dcr = val & LAPIC_TIMER_DCR_BITS;
	if (counting && timer_mode(l) != LAPIC_TIMER_TSC_DEADLINE)
		timer_count(l, cur, clock_now_ns(l->clock));
}

uint64_t lapic_timer_read_deadline(const struct lapic *l)
{
	/* Reads 0 outside TSC-deadline mode (10.5.4.1). */
	return timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE ? l->tsc_deadline : 0;
}

void lapic_timer_write_deadline(struct lapic *l, uint64_t val)
{
	/* Ignored outside TSC-deadline mode (10.5.4.1). */
	if (timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE) {
		l->tsc_deadline = val;
		deadline_arm(l);
	}
}

uint64_t lapic_tsc_deadline(const struct lapic *l)
{
	return l->tsc_deadline;
}

/* ---- lifetime ---- */

void lapic_timer_attach(struct lapic *l)
{
	timer_init(&l->timer, l->clock, timer_fire, l);
}

void lapic_timer_detach(struct lapic *l)
{
	timer_disarm(&l->timer);
}

void lapic_timer_reset(struct lapic *l)
{
	l->timer_icr = l->timer_dcr = 0;
	lapic_timer_stop(l);
}

