/* Virtual time and timers: time follows retired instructions, timers fire
 * in deadline order once the clock passes them, and slices can be sized
 * to end exactly at a deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/clock.h"

static char fired[16];
static unsigned nfired;

static void note(void *opaque)
{
	fired[nfired++] = *(const char *)opaque;
}

static void test_time_follows_instructions(void **state)
{
	(void)state;
	struct clock *clk = clock_create(1000000000u); /* 1 ns each */
	uint64_t icount = 5000;
	assert_int_equal(clock_now_ns(clk), 0);
	clock_begin_slice(clk, &icount);
	icount += 250;
	assert_int_equal(clock_now_ns(clk), 250);
	clock_end_slice(clk);
	icount += 1000;  /* another CPU's slice does not count here */
	assert_int_equal(clock_now_ns(clk), 250);
	clock_advance_to(clk, 100);  /* never backwards */
	assert_int_equal(clock_now_ns(clk), 250);
	clock_advance_to(clk, 9000);
	assert_int_equal(clock_now_ns(clk), 9000);
	clock_destroy(clk);
}

static void test_rate_scales_time(void **state)
{
	(void)state;
	struct clock *clk = clock_create(500000000u); /* 2 ns each */
	uint64_t icount = 0;
	clock_begin_slice(clk, &icount);
	icount = 10;
	assert_int_equal(clock_now_ns(clk), 20);
	/* 7 ns more need 4 instructions (rounded up to reach it). */
	assert_int_equal(clock_insns_until(clk, 27), 4);
	assert_int_equal(clock_insns_until(clk, 5), 1);
	clock_destroy(clk);
}

static void test_timers_fire_in_deadline_order(void **state)
{
	(void)state;
	static const char a = 'a', b = 'b', c = 'c';
	struct clock *clk = clock_create(1000000000u);
	struct timer ta, tb, tc;
	nfired = 0;
	timer_init(&ta, clk, note, (void *)&a);
	timer_init(&tb, clk, note, (void *)&b);
	timer_init(&tc, clk, note, (void *)&c);
	timer_arm(&ta, 300);
	timer_arm(&tb, 100);
	timer_arm(&tc, 200);
	assert_int_equal(clock_next_deadline(clk), 100);
	timer_arm(&tb, 400);  /* re-arming moves it */
	assert_int_equal(clock_next_deadline(clk), 200);
	clock_advance_to(clk, 300);
	clock_run_due(clk);
	assert_int_equal(nfired, 2);
	assert_memory_equal(fired, "ca", 2);
	timer_disarm(&tb);
	clock_advance_to(clk, 1000);
	clock_run_due(clk);
	assert_int_equal(nfired, 2);
	assert_int_equal(clock_next_deadline(clk), UINT64_MAX);
	clock_destroy(clk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_follows_instructions),
		cmocka_unit_test(test_rate_scales_time),
		cmocka_unit_test(test_timers_fire_in_deadline_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
