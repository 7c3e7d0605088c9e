/* Virtual time (DESIGN principle 2). The machine's clock advances with
 * retired instructions at the model's instructions-per-second rate, never
 * with host time, so two runs of the same guest see the same times.
 *
 * While a CPU runs a slice, "now" is the time at the start of the slice
 * plus that CPU's instructions retired in the slice; between slices the
 * scheduler moves the clock to the end of the slice, or straight to the
 * next timer deadline when every CPU waits (HLT, wait-for-SIPI). Devices
 * schedule events with timers on this clock; the scheduler ends a slice
 * early at the next deadline so that timers fire at the instruction where
 * they are due. */
#ifndef PLATFORM_CLOCK_H
#define PLATFORM_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct clock;

struct timer {
	uint64_t deadline_ns;
	void (*fire)(void *opaque);
	void *opaque;
	bool armed;
	struct timer *next;   /* the clock's list, sorted by deadline */
	struct clock *clock;
};

struct clock *clock_create(uint64_t insns_per_sec);
void clock_destroy(struct clock *clk);

/* The current virtual time in nanoseconds. */
uint64_t clock_now_ns(const struct clock *clk);

/* For the scheduler: the slice of the running CPU starts at the current
 * time; *icount_at_start is that CPU's retired count, read through
 * *icount while it runs. */
void clock_begin_slice(struct clock *clk, const uint64_t *icount);
/* Ends the slice: the clock keeps the time the CPU reached. */
void clock_end_slice(struct clock *clk);
/* Moves the clock forward to t (never backward), e.g. to the next
 * deadline when all CPUs wait. */
void clock_advance_to(struct clock *clk, uint64_t t_ns);

/* Instructions until t at the clock's rate (at least 1), for sizing a
 * slice so that it ends at a deadline. */
uint64_t clock_insns_until(const struct clock *clk, uint64_t t_ns);
uint64_t clock_ns_to_insns(const struct clock *clk, uint64_t ns);

void timer_init(struct timer *t, struct clock *clk, void (*fire)(void *),
		void *opaque);
/* Arms (or re-arms) t to fire when the clock reaches deadline_ns. */
void timer_arm(struct timer *t, uint64_t deadline_ns);
void timer_disarm(struct timer *t);

/* The earliest armed deadline, or UINT64_MAX when none is armed. */
uint64_t clock_next_deadline(const struct clock *clk);
/* Fires, in deadline order, every timer whose deadline has passed. A
 * timer's callback may re-arm it or arm others. */
void clock_run_due(struct clock *clk);

#endif
