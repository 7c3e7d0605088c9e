/* 16550A UART registers (National Semiconductor PC16550D datasheet,
 * "Register Summary"). Offsets from the base port: */
#include "platform/uart.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/log.h"

enum {
	UART_RBR = 0, /* receiver buffer (read, DLAB 0) */
	UART_THR = 0, /* transmitter holding (write, DLAB 0) */
	UART_DLL = 0, /* divisor latch low (DLAB 1) */
	UART_IER = 1, /* interrupt enable (DLAB 0) */
	UART_DLM = 1, /* divisor latch high (DLAB 1) */
	UART_IIR = 2, /* interrupt identification (read) */
	UART_FCR = 2, /* FIFO control (write) */
	UART_LCR = 3, /* line control */
	UART_MCR = 4, /* modem control */
	UART_LSR = 5, /* line status */
	UART_MSR = 6, /* modem status */
	UART_SCR = 7, /* scratch */
	UART_NREGS = 8,
};

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_ELSI 0x04  /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK 0x0f

#define IIR_NO_INT 0x01
#define IIR_ID_MSR 0x00
#define IIR_ID_THRE 0x02
#define IIR_ID_RDA 0x04
#define IIR_ID_RLS 0x06
#define IIR_FIFO_ON 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_PE 0x04
#define LSR_FE 0x08
#define LSR_BI 0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_ERRORS (LSR_OE | LSR_PE | LSR_FE | LSR_BI)

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80
#define MSR_DELTAS 0x0f

#define RX_FIFO_SIZE 16

struct uart {
	char name[32];
	FILE *out;
	bool out_is_tty;

	uint8_t ier, lcr, mcr, scr, fcr;
	uint8_t dll, dlm;
	uint8_t lsr_errors;   /* OE PE FE BI, cleared by reading LSR */
	uint8_t msr_lines;    /* CTS DSR RI DCD as last seen */
	uint8_t msr_deltas;   /* cleared by reading MSR */
	bool thre_pending;    /* THRE interrupt condition (datasheet Table IV) */

	uint8_t rx[RX_FIFO_SIZE];
	unsigned rx_head, rx_count;
};

/* The modem inputs. In loopback the outputs are wired back to them
 * (datasheet, MCR bit 4); otherwise a connected host terminal asserts
 * CTS, DSR and DCD. */
static uint8_t uart_modem_lines(const struct uart *u)
{
	uint8_t m = 0;

	if (!(u->mcr & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	if (u->mcr & MCR_RTS)
		m |= MSR_CTS;
	if (u->mcr & MCR_DTR)
		m |= MSR_DSR;
	if (u->mcr & MCR_OUT1)
		m |= MSR_RI;
	if (u->mcr & MCR_OUT2)
		m |= MSR_DCD;
	return m;
}

/* Records delta bits for modem input changes; RI reports only its
 * trailing edge (TERI). */
static void uart_update_modem(struct uart *u)
{
	uint8_t now = uart_modem_lines(u);
	uint8_t changed = now ^ u->msr_lines;

	if (changed & MSR_CTS)
		u->msr_deltas |= MSR_DCTS;
	if (changed & MSR_DSR)
		u->msr_deltas |= MSR_DDSR;
	if ((changed & MSR_RI) && !(now & MSR_RI))
		u->msr_deltas |= MSR_TERI;
	if (changed & MSR_DCD)
		u->msr_deltas |= MSR_DDCD;
	u->msr_lines = now;
}

static unsigned uart_rx_capacity(const struct uart *u)
{
	return (u->fcr & FCR_ENABLE) ? RX_FIFO_SIZE : 1;
}

static void uart_receive(struct uart *u, uint8_t byte)
{
	if (u->rx_count >= uart_rx_capacity(u)) {
		u->lsr_errors |= LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % RX_FIFO_SIZE] = byte;
	u->rx_count++;
}

static uint8_t uart_lsr(const struct uart *u)
{
	/* Bytes leave at once: holding register and shifter always empty. */
	uint8_t lsr = LSR_THRE | LSR_TEMT | u->lsr_errors;

	if (u->rx_count)
		lsr |= LSR_DR;
	return lsr;
}

/* The highest-priority pending interrupt (datasheet Table IV). */
static uint8_t uart_iir(const struct uart *u)
{
	uint8_t fifo = (u->fcr & FCR_ENABLE) ? IIR_FIFO_ON : 0;

	if ((u->ier & IER_ELSI) && u->lsr_errors)
		return fifo | IIR_ID_RLS;
	if ((u->ier & IER_ERBFI) && u->rx_count)
		return fifo | IIR_ID_RDA;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return fifo | IIR_ID_THRE;
	if ((u->ier & IER_EDSSI) && u->msr_deltas)
		return fifo | IIR_ID_MSR;
	return fifo | IIR_NO_INT;
}

static void uart_transmit(struct uart *u, uint8_t byte)
{
	if (u->mcr & MCR_LOOP) {
		uart_receive(u, byte);
	} else if (u->out) {
		fputc(byte, u->out);
		if (u->out_is_tty || byte == '\n')
			fflush(u->out);
	}
	/* The byte moved on at once, so the holding register is empty again
	 * and a THRE interrupt is due. */
	u->thre_pending = true;
}

static uint64_t uart_read(void *opaque, uint64_t offset, unsigned size)
{
	struct uart *u = opaque;
	uint8_t v = 0;

	(void)size;
	switch (offset) {
	case UART_RBR:
		if (u->lcr & LCR_DLAB) {
			v = u->dll;
		} else if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % RX_FIFO_SIZE;
			u->rx_count--;
		}
		break;
	case UART_IER:
		v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case UART_IIR:
		v = uart_iir(u);
		/* Reading IIR while it names THRE clears that source. */
		if ((v & 0x0f) == IIR_ID_THRE)
			u->thre_pending = false;
		break;
	case UART_LCR:
		v = u->lcr;
		break;
	case UART_MCR:
		v = u->mcr;
		break;
	case UART_LSR:
		v = uart_lsr(u);
		u->lsr_errors = 0;
		break;
	case UART_MSR:
		v = u->msr_lines | u->msr_deltas;
		u->msr_deltas = 0;
		break;
	case UART_SCR:
		v = u->scr;
		break;
	}
	log_trace("uart", "%s: read reg %u = 0x%02x", u->name,
		  (unsigned)offset, v);
	return v;
}

static void uart_write(void *opaque, uint64_t offset, unsigned size,
		       uint64_t val)
{
	struct uart *u = opaque;
	uint8_t v = (uint8_t)val;

	(void)size;
	log_trace("uart", "%s: write reg %u = 0x%02x", u->name,
		  (unsigned)offset, v);
	switch (offset) {
	case UART_THR:
		if (u->lcr & LCR_DLAB)
			u->dll = v;
		else
			uart_transmit(u, v);
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
		} else {
			/* Enabling ETBEI while the holding register is
			 * empty raises THRE at once. */
			if ((v & IER_ETBEI) && !(u->ier & IER_ETBEI))
				u->thre_pending = true;
			u->ier = v & IER_MASK;
		}
		break;
	case UART_FCR:
		if ((v ^ u->fcr) & FCR_ENABLE) {
			/* Changing the FIFO mode resets both FIFOs. */
			u->rx_count = 0;
			u->rx_head = 0;
		}
		if (v & FCR_CLEAR_RX) {
			u->rx_count = 0;
			u->rx_head = 0;
		}
		/* The clear bits self-reset; keep mode and trigger level. */
		u->fcr = v & ~(FCR_CLEAR_RX | FCR_CLEAR_TX);
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & MCR_MASK;
		uart_update_modem(u);
		break;
	case UART_LSR:
	case UART_MSR:
		/* Status registers; writes are for factory test only. */
		break;
	case UART_SCR:
		u->scr = v;
		break;
	}
}

static const struct iomap_ops uart_ops = {
	.read = uart_read,
	.write = uart_write,
};

struct uart *uart_create(struct iomap *io, uint16_t base, const char *name,
			 FILE *out, char *err, size_t errlen)
{
	struct uart *u = calloc(1, sizeof(*u));

	if (!u) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->out = out;
	u->out_is_tty = out && isatty(fileno(out));
	/* Reset values (datasheet Table III). */
	u->msr_lines = uart_modem_lines(u);
	if (iomap_register(io, IOMAP_PORT, base, UART_NREGS, IOMAP_SIZE_1,
			   name, &uart_ops, u, err, errlen) != 0) {
		free(u);
		return NULL;
	}
	return u;
}

void uart_flush(struct uart *u)
{
	if (u && u->out)
		fflush(u->out);
}

void uart_destroy(struct uart *u)
{
	if (!u)
		return;
	uart_flush(u);
	free(u);
}
