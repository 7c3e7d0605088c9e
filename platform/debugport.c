/* Port 0xe9 debug console and port 0xf4 debug-exit device. */
#include "platform/debugport.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/log.h"

struct debugport {
	FILE *console;
	bool console_is_tty;
	void (*on_exit)(void *ctx, int status);
	void *ctx;
};

static uint64_t debugcon_read(void *opaque, uint64_t offset, unsigned size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return DEBUGCON_PORT;
}

static void debugcon_write(void *opaque, uint64_t offset, unsigned size,
			   uint64_t val)
{
	struct debugport *d = opaque;
	uint8_t byte = (uint8_t)val;

	(void)offset;
	(void)size;
	if (!d->console)
		return;
	fputc(byte, d->console);
	if (d->console_is_tty || byte == '\n')
		fflush(d->console);
}

static void debug_exit_write(void *opaque, uint64_t offset, unsigned size,
			     uint64_t val)
{
	struct debugport *d = opaque;
	/* The value is as wide as the access; the status is the same
	 * expression QEMU's isa-debug-exit passes to exit(). */
	uint32_t v = (uint32_t)val;
	int status = (int)((v << 1) | 1);

	(void)offset;
	log_info("debugport", "guest wrote 0x%x (%u bytes) to the exit port: "
		 "status %d", v, size, status & 0xff);
	if (d->console)
		fflush(d->console);
	d->on_exit(d->ctx, status);
}

static const struct iomap_ops debugcon_ops = {
	.read = debugcon_read,
	.write = debugcon_write,
};

static const struct iomap_ops debug_exit_ops = {
	.write = debug_exit_write,
};

struct debugport *debugport_create(struct iomap *io, FILE *console,
				   void (*on_exit)(void *ctx, int status),
				   void *ctx, char *err, size_t errlen)
{
	struct debugport *d = calloc(1, sizeof(*d));

	if (!d) {
		snprintf(err, errlen, "debugport: out of memory");
		return NULL;
	}
	d->console = console;
	d->console_is_tty = console && isatty(fileno(console));
	d->on_exit = on_exit;
	d->ctx = ctx;
	if (iomap_register(io, IOMAP_PORT, DEBUGCON_PORT, 1, IOMAP_SIZE_1,
			   "debugcon", &debugcon_ops, d, err, errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, DEBUG_EXIT_PORT, DEBUG_EXIT_LEN,
			   IOMAP_SIZE_1 | IOMAP_SIZE_2 | IOMAP_SIZE_4,
			   "debug-exit", &debug_exit_ops, d, err,
			   errlen) != 0) {
		free(d);
		return NULL;
	}
	return d;
}

void debugport_destroy(struct debugport *d)
{
	if (!d)
		return;
	if (d->console)
		fflush(d->console);
	free(d);
}
