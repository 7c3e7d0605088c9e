/* COM1's receive line from a host file (platform/serial_in.c): bytes
 * arrive one character time apart on the virtual clock, only while the
 * UART asserts RTS and has room, never overrunning it, and the line goes
 * quiet at end of file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/serial_in.h"
#include "platform/uart.h"

#define COM 0x3f8
#define RBR 0
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR 0x01
#define LSR_OE 0x02
/* 115200 baud, 8N1: ten bits of 16 / 1.8432 MHz each. */
#define CHAR_NS 86805u

static struct iomap *io;
static struct clock *clk;
static struct uart *uart;
static struct serial_in *line;
static FILE *input;

static void out8(unsigned reg, uint8_t v)
{
	iomap_write(io, IOMAP_PORT, COM + reg, 1, v);
}

static uint8_t in8(unsigned reg)
{
	return (uint8_t)iomap_read(io, IOMAP_PORT, COM + reg, 1);
}

static void at(uint64_t ns)
{
	clock_advance_to(clk, ns);
	clock_run_due(clk);
}

static int setup(void **state)
{
	char err[128];
	struct uart_config c = { .base = COM, .name = "com1" };

	(void)state;
	io = iomap_create();
	clk = clock_create(1000000000u);
	c.io = io;
	c.clock = clk;
	uart = uart_create(&c, err, sizeof(err));
	assert_non_null(uart);
	out8(LCR, 0x80);
	out8(0, 1);
	out8(1, 0);
	out8(LCR, 0x03);
	input = tmpfile();
	assert_non_null(input);
	fputs("abc", input);
	fflush(input);
	rewind(input);
	line = serial_in_create(fileno(input), uart, clk, err, sizeof(err));
	assert_non_null(line);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	serial_in_destroy(line);
	uart_destroy(uart);
	fclose(input);
	clock_destroy(clk);
	iomap_destroy(io);
	return 0;
}

static void test_paced_and_flow_controlled(void **state)
{
	(void)state;
	/* RTS is off at reset: nothing comes, however long. */
	at(100 * CHAR_NS);
	assert_int_equal(in8(LSR) & LSR_DR, 0);
	/* RTS on at t: the first byte one character time later. */
	uint64_t t = clock_now_ns(clk);
	out8(MCR, 0x02);
	at(t + CHAR_NS - 1);
	assert_int_equal(in8(LSR) & LSR_DR, 0);
	at(t + CHAR_NS);
	assert_int_equal(in8(LSR) & LSR_DR, LSR_DR);
	/* The holding register is full (no FIFO): the line waits, and
	 * there is no overrun. */
	at(t + 10 * CHAR_NS);
	assert_int_equal(in8(LSR) & LSR_OE, 0);
	assert_int_equal(in8(RBR), 'a');
	t = clock_now_ns(clk);
	at(t + CHAR_NS);
	assert_int_equal(in8(RBR), 'b');
	t = clock_now_ns(clk);
	at(t + CHAR_NS);
	assert_int_equal(in8(RBR), 'c');
	/* End of file: no byte, and no timer left armed. */
	at(clock_now_ns(clk) + 10 * CHAR_NS);
	assert_int_equal(in8(LSR) & LSR_DR, 0);
	assert_true(clock_next_deadline(clk) == UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paced_and_flow_controlled,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
