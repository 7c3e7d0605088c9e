/* 16550A UART registers (National Semiconductor PC16550D datasheet,
 * "Register Summary", table IV "Interrupt Control Functions"). See
 * platform/uart.h.
 *
 * Readings chosen where the datasheet leaves room:
 *   - The character timeout counts four character times of the current
 *     line settings (start, data, parity and stop bits at the divisor's
 *     baud rate) of virtual time since the last byte went into or out of
 *     the receiver FIFO.
 *   - Break (LCR bit 6) sends nothing to the host and, in loopback,
 *     receives nothing: no break, parity or framing errors arise, so LSR
 *     bit 7 is always 0.
 *   - The scratch and divisor latches start at 0. */
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

#define IER_ERBFI 0x01 /* received data available (and timeout) */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_ELSI 0x04  /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK 0x0f

#define IIR_NO_INT 0x01
#define IIR_ID_MSR 0x00
#define IIR_ID_THRE 0x02
#define IIR_ID_RDA 0x04
#define IIR_ID_RLS 0x06
#define IIR_ID_TIMEOUT 0x0c
#define IIR_FIFO_ON 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define FCR_DMA 0x08
#define FCR_TRIGGER 0xc0

#define LCR_WLS 0x03
#define LCR_STB 0x04
#define LCR_PEN 0x08
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

#define RX_FIFO_SIZE 16
#define TIMEOUT_CHARS 4

struct uart {
	struct uart_config cfg;
	char name[32];
	bool out_is_tty;

	uint8_t ier, lcr, mcr, scr;
	bool fifo_on;
	uint8_t fcr_bits;     /* trigger level and DMA mode as programmed */
	uint8_t dll, dlm;
	uint8_t lsr_errors;   /* OE PE FE BI, cleared by reading LSR */
	uint8_t msr_lines;    /* CTS DSR RI DCD as last seen */
	uint8_t msr_deltas;   /* cleared by reading MSR */
	bool thre_pending;    /* THRE interrupt condition (table IV) */

	uint8_t rx[RX_FIFO_SIZE];
	unsigned rx_head, rx_count;
	bool timeout_pending;
	struct timer timeout;

	bool irq_level;

	/* The host side of the line (uart_set_line_source). */
	void (*line_ready)(void *opaque);
	void *line_opaque;
};

/* The modem inputs. In loopback the outputs are wired back to them
 * (MCR bit 4); otherwise a connected host terminal asserts CTS, DSR and
 * DCD. */
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

/* The receiver FIFO's trigger level (FCR bits 7:6): 1, 4, 8, 14. */
static unsigned uart_trigger(const struct uart *u)
{
	static const unsigned level[4] = { 1, 4, 8, 14 };

	return u->fifo_on ? level[u->fcr_bits >> 6] : 1;
}

static uint8_t uart_lsr(const struct uart *u)
{
	/* Bytes leave at once: holding register and shifter always empty. */
	uint8_t lsr = LSR_THRE | LSR_TEMT | u->lsr_errors;

	if (u->rx_count)
		lsr |= LSR_DR;
	return lsr;
}

/* The highest-priority pending interrupt (table IV). */
static uint8_t uart_iir(const struct uart *u)
{
	uint8_t fifo = u->fifo_on ? IIR_FIFO_ON : 0;

	if ((u->ier & IER_ELSI) && u->lsr_errors)
		return fifo | IIR_ID_RLS;
	if ((u->ier & IER_ERBFI) && u->rx_count >= uart_trigger(u))
		return fifo | IIR_ID_RDA;
	if ((u->ier & IER_ERBFI) && u->timeout_pending)
		return fifo | IIR_ID_TIMEOUT;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return fifo | IIR_ID_THRE;
	if ((u->ier & IER_EDSSI) && u->msr_deltas)
		return fifo | IIR_ID_MSR;
	return fifo | IIR_NO_INT;
}

/* Must run after anything that may change IIR: INTR through OUT2 to the
 * board's line. */
static void uart_update_irq(struct uart *u)
{
	bool level = !(uart_iir(u) & IIR_NO_INT) && (u->mcr & MCR_OUT2) &&
		     !(u->mcr & MCR_LOOP);

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->cfg.irqs)
		irq_set(u->cfg.irqs, u->cfg.irq_line, level);
}

/* One character time in ns at the current divisor and line control,
 * counted in half bits for the 1.5 stop bits of 5-bit words. */
uint64_t uart_char_time_ns(const struct uart *u)
{
	unsigned data = 5 + (u->lcr & LCR_WLS);
	unsigned half_bits = 2 * (1 + data + ((u->lcr & LCR_PEN) ? 1 : 0));
	unsigned divisor = (unsigned)u->dlm << 8 | u->dll;

	if (!(u->lcr & LCR_STB))
		half_bits += 2;
	else
		half_bits += data == 5 ? 3 : 4;
	if (!divisor)
		divisor = 0x10000;
	return (uint64_t)half_bits * 8u * divisor * 1000000000ull /
	       UART_XTAL_HZ;
}

/* Restarts the character timeout: the FIFO just moved. */
static void uart_restart_timeout(struct uart *u)
{
	u->timeout_pending = false;
	if (!u->cfg.clock)
		return;
	if (u->fifo_on && u->rx_count)
		timer_arm(&u->timeout, clock_now_ns(u->cfg.clock) +
			  TIMEOUT_CHARS * uart_char_time_ns(u));
	else
		timer_disarm(&u->timeout);
}

static void uart_timeout_fire(void *opaque)
{
	struct uart *u = opaque;

	if (u->fifo_on && u->rx_count)
		u->timeout_pending = true;
	uart_update_irq(u);
}

static void uart_clear_rx(struct uart *u)
{
	u->rx_count = 0;
	u->rx_head = 0;
	uart_restart_timeout(u);
}

static void uart_receive(struct uart *u, uint8_t byte)
{
	if (!u->fifo_on && u->rx_count) {
		/* The holding register is overwritten. */
		u->rx[u->rx_head] = byte;
		u->lsr_errors |= LSR_OE;
		return;
	}
	if (u->rx_count >= RX_FIFO_SIZE) {
		/* The shift register's byte is lost. */
		u->lsr_errors |= LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % RX_FIFO_SIZE] = byte;
	u->rx_count++;
	uart_restart_timeout(u);
}

static void uart_transmit(struct uart *u, uint8_t byte)
{
	if (u->mcr & MCR_LOOP) {
		uart_receive(u, byte);
	} else if (u->cfg.out) {
		fputc(byte, u->cfg.out);
		if (u->out_is_tty || byte == '\n')
			fflush(u->cfg.out);
	}
	/* The byte moved on at once, so the holding register is empty again
	 * and a THRE interrupt is due. */
	u->thre_pending = true;
}

/* The host side sends while RTS is asserted (RTS/CTS flow control) and
 * there is room, so host input never overruns; in loopback the line is
 * disconnected from the receiver. */
bool uart_line_ready(const struct uart *u)
{
	if ((u->mcr & MCR_LOOP) || !(u->mcr & MCR_RTS))
		return false;
	return u->fifo_on ? u->rx_count < RX_FIFO_SIZE : u->rx_count == 0;
}

void uart_line_receive(struct uart *u, uint8_t byte)
{
	uart_receive(u, byte);
	uart_update_irq(u);
}

void uart_set_line_source(struct uart *u, void (*ready)(void *opaque),
			  void *opaque)
{
	u->line_ready = ready;
	u->line_opaque = opaque;
}

/* Tells the line's host side that the receiver may take a byte now. */
static void uart_notify_line(struct uart *u)
{
	if (u->line_ready && uart_line_ready(u))
		u->line_ready(u->line_opaque);
}

static uint8_t uart_read_reg(struct uart *u, unsigned reg)
{
	uint8_t v = 0;

	switch (reg) {
	case UART_RBR:
		if (u->lcr & LCR_DLAB) {
			v = u->dll;
		} else if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % RX_FIFO_SIZE;
			u->rx_count--;
			uart_restart_timeout(u);
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
	return v;
}

static void uart_write_fcr(struct uart *u, uint8_t v)
{
	bool on = v & FCR_ENABLE;

	/* Changing the FIFO mode resets both FIFOs; with bit 0 = 0 the
	 * other bits are not programmed. */
	if (on != u->fifo_on) {
		u->fifo_on = on;
		uart_clear_rx(u);
	}
	if (!on)
		return;
	if (v & FCR_CLEAR_RX)
		uart_clear_rx(u);
	u->fcr_bits = v & (FCR_TRIGGER | FCR_DMA);
}

static void uart_write_reg(struct uart *u, unsigned reg, uint8_t v)
{
	switch (reg) {
	case UART_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
		} else {
			u->thre_pending = false;
			uart_transmit(u, v);
		}
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
		uart_write_fcr(u, v);
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

static uint64_t uart_read(void *opaque, uint64_t offset, unsigned size)
{
	struct uart *u = opaque;
	uint8_t v;

	(void)size;
	v = uart_read_reg(u, (unsigned)offset);
	uart_update_irq(u);
	if (offset == UART_RBR)
		uart_notify_line(u);
	log_trace("uart", "%s: read reg %u = 0x%02x", u->name,
		  (unsigned)offset, v);
	return v;
}

static void uart_write(void *opaque, uint64_t offset, unsigned size,
		       uint64_t val)
{
	struct uart *u = opaque;

	(void)size;
	log_trace("uart", "%s: write reg %u = 0x%02x", u->name,
		  (unsigned)offset, (unsigned)(val & 0xff));
	uart_write_reg(u, (unsigned)offset, (uint8_t)val);
	uart_update_irq(u);
	if (offset == UART_FCR || offset == UART_MCR)
		uart_notify_line(u);
}

static const struct iomap_ops uart_ops = {
	.read = uart_read,
	.write = uart_write,
};

struct uart *uart_create(const struct uart_config *cfg, char *err,
			 size_t errlen)
{
	struct uart *u = calloc(1, sizeof(*u));

	if (!u) {
		snprintf(err, errlen, "%s: out of memory", cfg->name);
		return NULL;
	}
	u->cfg = *cfg;
	snprintf(u->name, sizeof(u->name), "%s", cfg->name);
	u->cfg.name = u->name;
	u->out_is_tty = cfg->out && isatty(fileno(cfg->out));
	/* Reset values (datasheet table III). */
	u->msr_lines = uart_modem_lines(u);
	if (cfg->clock)
		timer_init(&u->timeout, cfg->clock, uart_timeout_fire, u);
	if (iomap_register(cfg->io, IOMAP_PORT, cfg->base, UART_NREGS,
			   IOMAP_SIZE_1, u->name, &uart_ops, u, err,
			   errlen) != 0) {
		free(u);
		return NULL;
	}
	return u;
}

void uart_flush(struct uart *u)
{
	if (u && u->cfg.out)
		fflush(u->cfg.out);
}

void uart_destroy(struct uart *u)
{
	if (!u)
		return;
	uart_flush(u);
	if (u->cfg.clock)
		timer_disarm(&u->timeout);
	free(u);
}
