#include "platform/serial_in.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"

#define SERIAL_IN_BUF 4096
/* The longest host-time wait of one idle step, so that a stop request
 * (SIGINT) is seen promptly. */
#define SERIAL_IN_MAX_WAIT_MS 100

struct serial_in {
	int fd;
	bool interactive;  /* not a regular file: input comes when it comes */
	bool eof;
	struct uart *uart;
	struct clock *clock;
	struct timer tick;
	uint8_t buf[SERIAL_IN_BUF];
	size_t head, count;
};

/* True if fd has input (or end of file) within wait_ms. */
static bool input_waiting(int fd, int wait_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, wait_ms);

	if (n >= 0)
		return n > 0;
	/* A signal (SIGINT) ends the wait, and the machine looks at its
	 * stop request next; any other error is read()'s to report. */
	return errno != EINTR;
}

/* Reads what is there into an empty buffer, without blocking: fd's
 * flags are shared with the parent shell and stay as they are. */
static void serial_in_fill(struct serial_in *s, int wait_ms)
{
	if (s->eof || s->count)
		return;
	if (s->interactive && !input_waiting(s->fd, wait_ms))
		return;
	ssize_t n = read(s->fd, s->buf, sizeof(s->buf));
	if (n > 0) {
		s->head = 0;
		s->count = (size_t)n;
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0)
		log_warn("serial", "input: %s; the line goes quiet",
			 strerror(errno));
	s->eof = true;
}

/* Arms the tick for what comes next: the next byte one character time
 * from now, or the next look at interactive input; nothing after end of
 * file or while the UART does not take bytes (its ready callback
 * rearms). */
static void serial_in_schedule(struct serial_in *s)
{
	uint64_t now = clock_now_ns(s->clock);

	if (s->count && uart_line_ready(s->uart))
		timer_arm(&s->tick, now + uart_char_time_ns(s->uart));
	else if (!s->count && !s->eof)
		timer_arm(&s->tick, now + SERIAL_IN_POLL_NS);
	else
		timer_disarm(&s->tick);
}

static void serial_in_tick(void *opaque)
{
	struct serial_in *s = opaque;

	serial_in_fill(s, 0);
	if (s->count && uart_line_ready(s->uart)) {
		uart_line_receive(s->uart, s->buf[s->head]);
		s->head++;
		s->count--;
		serial_in_fill(s, 0);
	}
	serial_in_schedule(s);
}

/* The UART may take a byte now: resume delivery if it waited. */
static void serial_in_line_ready(void *opaque)
{
	struct serial_in *s = opaque;

	if (s->count && !s->tick.armed)
		serial_in_schedule(s);
}

struct serial_in *serial_in_create(int fd, struct uart *u, struct clock *clk,
				   char *err, size_t errlen)
{
	struct stat st;
	struct serial_in *s;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "serial input: %s", strerror(errno));
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "serial input: out of memory");
		return NULL;
	}
	s->fd = fd;
	s->interactive = !S_ISREG(st.st_mode);
	s->uart = u;
	s->clock = clk;
	timer_init(&s->tick, clk, serial_in_tick, s);
	uart_set_line_source(u, serial_in_line_ready, s);
	serial_in_fill(s, 0);
	serial_in_schedule(s);
	return s;
}

void serial_in_destroy(struct serial_in *s)
{
	if (!s)
		return;
	timer_disarm(&s->tick);
	uart_set_line_source(s->uart, NULL, NULL);
	free(s);
}

void serial_in_idle(struct serial_in *s, uint64_t gap_ns)
{
	if (!s || !s->interactive || s->eof || s->count)
		return;
	uint64_t ms = (gap_ns + 999999) / 1000000;
	if (ms > SERIAL_IN_MAX_WAIT_MS)
		ms = SERIAL_IN_MAX_WAIT_MS;
	serial_in_fill(s, (int)ms);
	if (s->count)
		serial_in_schedule(s);
}
