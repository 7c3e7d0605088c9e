/* A 16550A UART (National PC16550D datasheet): the register set a polling
 * guest or a driver probe expects. Transmitted bytes go to a host stream
 * at once, so the transmitter is always empty. No receive path from the
 * host and no interrupt line yet; IIR still reports what would be
 * pending, and loopback mode (MCR bit 4) works. */
#ifndef PLATFORM_UART_H
#define PLATFORM_UART_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "platform/iomap.h"

#define UART_COM1_BASE 0x3f8

struct uart;

/* Registers the eight ports at base. out receives what the guest sends;
 * NULL discards it. The UART does not own out. */
struct uart *uart_create(struct iomap *io, uint16_t base, const char *name,
			 FILE *out, char *err, size_t errlen);
void uart_destroy(struct uart *u);

/* Pushes buffered output to the host stream. */
void uart_flush(struct uart *u);

#endif
