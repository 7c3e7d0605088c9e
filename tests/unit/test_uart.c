/* The 16550A against the PC16550D datasheet: loopback, the receiver FIFO
 * and its trigger levels, overrun in both modes, table IV's interrupt
 * priorities, the character timeout on the virtual clock, and the PC's
 * wiring of INTR through OUT2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"
#include "platform/uart.h"

#define COM 0x3f8
#define THR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6

static struct iomap *io;
static struct clock *clk;
static struct irq_bus irqs;
static struct uart *uart;
static bool line4;

static void sink(void *opaque, unsigned line, bool level)
{
	(void)opaque;
	if (line == 4)
		line4 = level;
}

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
	struct uart_config c = {
		.base = COM, .name = "com1", .out = NULL, .irqs = &irqs,
		.irq_line = 4,
	};

	(void)state;
	io = iomap_create();
	clk = clock_create(1000000000u);
	irqs = (struct irq_bus){ 0 };
	irq_bus_attach(&irqs, (struct irq_sink){ .set_line = sink });
	line4 = false;
	c.io = io;
	c.clock = clk;
	uart = uart_create(&c, err, sizeof(err));
	assert_non_null(uart);
	/* 115200 baud (divisor 1), 8N1. */
	out8(LCR, 0x80);
	out8(0, 1);
	out8(1, 0);
	out8(LCR, 0x03);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	uart_destroy(uart);
	clock_destroy(clk);
	iomap_destroy(io);
	return 0;
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_int_equal(in8(IIR), 0x01);
	assert_int_equal(in8(LSR), 0x60);
	assert_int_equal(in8(IER), 0x00);
	assert_int_equal(in8(MCR), 0x00);
	assert_int_equal(in8(MSR) & 0xf0, 0xb0);  /* CTS DSR DCD from the host */
}

static void test_loopback_and_overrun(void **state)
{
	(void)state;
	out8(MCR, 0x10);
	out8(THR, 'a');
	assert_int_equal(in8(LSR) & 0x01, 0x01);
	out8(THR, 'b');                     /* no FIFO: overwrites */
	assert_int_equal(in8(LSR), 0x63);   /* DR, OE, THRE, TEMT */
	assert_int_equal(in8(LSR), 0x61);   /* OE cleared by the read */
	assert_int_equal(in8(THR), 'b');
	assert_int_equal(in8(LSR) & 0x01, 0x00);

	out8(FCR, 0x07);                    /* FIFO on, both cleared */
	for (int i = 0; i < 17; i++)
		out8(THR, (uint8_t)('A' + i));
	assert_int_equal(in8(LSR) & 0x02, 0x02);  /* the 17th overran */
	for (int i = 0; i < 16; i++)
		assert_int_equal(in8(THR), 'A' + i);
	assert_int_equal(in8(LSR) & 0x01, 0x00);
	/* Loopback modem lines: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
	out8(MCR, 0x1f);
	assert_int_equal(in8(MSR), 0xfb);   /* all lines, deltas but TERI */
	out8(MCR, 0x1b);                    /* OUT1 off: RI trailing edge */
	assert_int_equal(in8(MSR), 0xb4);
}

/* The line's host side: it may send only while RTS is asserted, not in
 * loopback, and while the receiver has room; the ready callback runs when
 * that may have changed. */
static unsigned ready_calls;

static void on_ready(void *opaque)
{
	(void)opaque;
	ready_calls++;
}

static void test_line_flow_control(void **state)
{
	(void)state;
	ready_calls = 0;
	uart_set_line_source(uart, on_ready, NULL);
	assert_false(uart_line_ready(uart));        /* RTS off at reset */
	out8(MCR, 0x02);
	assert_true(uart_line_ready(uart));
	assert_int_equal(ready_calls, 1);
	uart_line_receive(uart, 'x');
	assert_false(uart_line_ready(uart));        /* holding register full */
	assert_int_equal(in8(THR), 'x');
	assert_true(uart_line_ready(uart));
	assert_int_equal(ready_calls, 2);            /* the read made room */
	out8(FCR, 0x01);
	for (int i = 0; i < 16; i++) {
		assert_true(uart_line_ready(uart));
		uart_line_receive(uart, (uint8_t)('a' + i));
	}
	assert_false(uart_line_ready(uart));        /* FIFO full */
	assert_int_equal(in8(LSR) & 0x02, 0);        /* and no overrun */
	out8(MCR, 0x12);                             /* loopback */
	in8(THR);
	assert_false(uart_line_ready(uart));
	/* At 115200 baud, 8N1: 10 bits of 8.68 us. */
	assert_int_equal(uart_char_time_ns(uart), 86805);
	uart_set_line_source(uart, NULL, NULL);
}

/* FCR bits 7:6: the receiver's RDA interrupt waits for 1, 4, 8 or 14
 * bytes. */
static void test_trigger_levels(void **state)
{
	(void)state;
	static const uint8_t fcr[4] = { 0x01, 0x41, 0x81, 0xc1 };
	static const unsigned level[4] = { 1, 4, 8, 14 };

	out8(MCR, 0x10);
	out8(IER, 0x01);
	for (int t = 0; t < 4; t++) {
		out8(FCR, fcr[t] | 0x02);
		for (unsigned n = 1; n <= level[t]; n++) {
			out8(THR, 0x55);
			uint8_t iir = in8(IIR);
			if (n < level[t])
				assert_int_equal(iir, 0xc1);
			else
				assert_int_equal(iir, 0xc4);
		}
	}
	/* With bit 0 clear the FIFOs go and IIR bits 7:6 read 0. */
	out8(FCR, 0x00);
	assert_int_equal(in8(IIR) & 0xc0, 0x00);
}

/* "... no characters have been removed from or input to the RCVR FIFO
 * during the last 4 Char. times": 4 x 10 bits at 115200 baud. */
static void test_character_timeout(void **state)
{
	(void)state;
	uint64_t t0, char4 = 4ull * 10 * 16 * 1000000000 / 1843200;

	out8(MCR, 0x10);
	out8(FCR, 0x41);                    /* trigger 4 */
	out8(IER, 0x01);
	t0 = clock_now_ns(clk);
	out8(THR, 0x11);
	at(t0 + char4 - 10);
	assert_int_equal(in8(IIR), 0xc1);
	at(t0 + char4 + 1);
	assert_int_equal(in8(IIR), 0xcc);
	assert_int_equal(in8(THR), 0x11);   /* reading clears it */
	assert_int_equal(in8(IIR), 0xc1);
}

/* Table IV: line status first, then received data, then THRE, then
 * modem status; reading IIR clears THRE when it names it. */
static void test_priorities(void **state)
{
	(void)state;
	out8(FCR, 0x01);
	out8(IER, 0x0f);
	assert_int_equal(in8(IIR), 0xc2);   /* THRE, set by enabling it */
	assert_int_equal(in8(IIR), 0xc1);   /* cleared by that read */
	out8(MCR, 0x10);                    /* loopback: modem deltas */
	assert_int_equal(in8(IIR), 0xc0);
	in8(MSR);
	for (int i = 0; i < 17; i++)
		out8(THR, 0x33);                /* each write re-arms THRE */
	assert_int_equal(in8(IIR), 0xc6);   /* overrun */
	in8(LSR);
	assert_int_equal(in8(IIR), 0xc4);   /* 16 bytes >= 1 */
	for (int i = 0; i < 16; i++)
		in8(THR);
	assert_int_equal(in8(IIR), 0xc2);
	assert_int_equal(in8(IIR), 0xc1);
}

/* The board's line follows INTR only with OUT2 set and not in
 * loopback. */
static void test_irq_wiring(void **state)
{
	(void)state;
	out8(IER, 0x02);
	assert_false(line4);
	out8(MCR, 0x08);                    /* OUT2 */
	assert_true(line4);
	in8(IIR);                           /* THRE read: source cleared */
	assert_false(line4);
	out8(THR, 'x');                     /* sent at once: THRE again */
	assert_true(line4);
	out8(MCR, 0x18);                    /* loopback forces OUT2 inactive */
	assert_false(line4);
	out8(MCR, 0x08);
	assert_true(line4);
	out8(IER, 0x00);
	assert_false(line4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loopback_and_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_flow_control, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trigger_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_character_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priorities, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irq_wiring, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
