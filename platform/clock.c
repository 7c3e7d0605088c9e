/* Virtual time on retired instructions, and timers on it (see
 * platform/clock.h for the model). */
#include "platform/clock.h"

#include <stdlib.h>

struct clock {
	uint64_t insns_per_sec;
	uint64_t base_ns;           /* time at the start of the slice */
	const uint64_t *icount;     /* running CPU's counter, or NULL */
	uint64_t icount_at_start;
	struct timer *timers;       /* armed, sorted by deadline */
};

struct clock *clock_create(uint64_t insns_per_sec)
{
	struct clock *clk = calloc(1, sizeof(*clk));
	if (clk)
		clk->insns_per_sec = insns_per_sec ? insns_per_sec : 1000000000u;
	return clk;
}

void clock_destroy(struct clock *clk)
{
	free(clk);
}

static uint64_t insns_to_ns(const struct clock *clk, uint64_t n)
{
	return (uint64_t)((unsigned __int128)n * 1000000000u /
			  clk->insns_per_sec);
}

uint64_t clock_ns_to_insns(const struct clock *clk, uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * clk->insns_per_sec /
			  1000000000u);
}

uint64_t clock_now_ns(const struct clock *clk)
{
	if (!clk->icount)
		return clk->base_ns;
	return clk->base_ns + insns_to_ns(clk, *clk->icount - clk->icount_at_start);
}

void clock_begin_slice(struct clock *clk, const uint64_t *icount)
{
	clk->icount = icount;
	clk->icount_at_start = *icount;
}

void clock_end_slice(struct clock *clk)
{
	clk->base_ns = clock_now_ns(clk);
	clk->icount = NULL;
}

void clock_advance_to(struct clock *clk, uint64_t t_ns)
{
	uint64_t now = clock_now_ns(clk);
	if (t_ns <= now)
		return;
	clk->base_ns += t_ns - now;
}

uint64_t clock_insns_until(const struct clock *clk, uint64_t t_ns)
{
	uint64_t now = clock_now_ns(clk);
	if (t_ns <= now)
		return 1;
	/* Round up so that the slice reaches the deadline. */
	uint64_t n = (uint64_t)(((unsigned __int128)(t_ns - now) *
				 clk->insns_per_sec + 999999999u) / 1000000000u);
	return n ? n : 1;
}

void timer_init(struct timer *t, struct clock *clk, void (*fire)(void *),
		void *opaque)
{
	t->deadline_ns = 0;
	t->fire = fire;
	t->opaque = opaque;
	t->armed = false;
	t->next = NULL;
	t->clock = clk;
}

static void unlink_timer(struct timer *t)
{
	struct timer **pp = &t->clock->timers;
	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->next = NULL;
	t->armed = false;
}

void timer_arm(struct timer *t, uint64_t deadline_ns)
{
	if (t->armed)
		unlink_timer(t);
	t->deadline_ns = deadline_ns;
	t->armed = true;
	/* Equal deadlines fire in the order they were armed. */
	struct timer **pp = &t->clock->timers;
	while (*pp && (*pp)->deadline_ns <= deadline_ns)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
}

void timer_disarm(struct timer *t)
{
	if (t->armed)
		unlink_timer(t);
}

uint64_t clock_next_deadline(const struct clock *clk)
{
	return clk->timers ? clk->timers->deadline_ns : UINT64_MAX;
}

void clock_run_due(struct clock *clk)
{
	uint64_t now = clock_now_ns(clk);
	while (clk->timers && clk->timers->deadline_ns <= now) {
		struct timer *t = clk->timers;
		clk->timers = t->next;
		t->next = NULL;
		t->armed = false;
		t->fire(t->opaque);
	}
}
