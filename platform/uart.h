/* A 16550A UART (National Semiconductor PC16550D datasheet): the eight
 * registers, 16-byte FIFOs with receiver trigger levels, the four
 * interrupt sources of table IV with their priorities and the character
 * timeout, loopback (MCR bit 4) and the modem status lines.
 *
 * Transmitted bytes go to a host stream at once, so the transmitter is
 * always empty (THRE and TEMT read 1). Received bytes come from loopback
 * or from the line's host side (platform/serial_in.h), which honours
 * RTS/CTS flow control.
 *
 * The interrupt line is wired as on a PC's serial port: INTR reaches the
 * board's line only while MCR bit 3 (OUT2) is set, and not in loopback,
 * where the datasheet forces the OUT pins inactive. */
#ifndef PLATFORM_UART_H
#define PLATFORM_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"

#define UART_COM1_BASE 0x3f8
#define UART_COM2_BASE 0x2f8
/* The baud generator's input: a 1.8432 MHz crystal. */
#define UART_XTAL_HZ 1843200u

struct uart;

struct uart_config {
	struct iomap *io;
	uint16_t base;
	const char *name;
	FILE *out;             /* what the guest sends; NULL discards it */
	struct irq_bus *irqs;  /* NULL: no interrupt line */
	unsigned irq_line;
	struct clock *clock;   /* for the character timeout; NULL: none */
};

/* Registers the eight ports at base. The UART does not own out. */
struct uart *uart_create(const struct uart_config *cfg, char *err,
			 size_t errlen);
void uart_destroy(struct uart *u);

/* The line's host side. uart_line_ready(): the receiver takes a byte
 * now (RTS asserted, not in loopback, room in the FIFO or holding
 * register); uart_line_receive() delivers one. uart_char_time_ns() is
 * one character time at the programmed divisor and line control. The
 * ready callback runs whenever the receiver may have become ready (RBR
 * read, FCR or MCR written). */
bool uart_line_ready(const struct uart *u);
void uart_line_receive(struct uart *u, uint8_t byte);
uint64_t uart_char_time_ns(const struct uart *u);
void uart_set_line_source(struct uart *u, void (*ready)(void *opaque),
			  void *opaque);

/* Pushes buffered output to the host stream. */
void uart_flush(struct uart *u);

#endif
