/* The minimal PC: RAM, COM1, the debug ports and a multiboot kernel, run
 * by a round-robin loop over the CPUs. */
#include "platform/machine.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/debugport.h"
#include "platform/multiboot.h"
#include "platform/uart.h"
#include "util/log.h"

struct machine {
	struct machine_config cfg;
	struct ram *ram;
	struct iomap *io;
	struct code_cache *cc;
	struct bus bus;

	unsigned ncpus;
	struct cpu *cpu[MACHINE_MAX_CPUS];
	/* A CPU that can never run again (halted with nothing to wake it);
	 * the run ends when all are. */
	bool stuck[MACHINE_MAX_CPUS];

	FILE *serial_out;
	bool serial_owned;
	struct uart *com1;
	struct debugport *debugport;

	/* Set by devices and the bus while a CPU runs; looked at after each
	 * cpu_run(). */
	enum machine_end end;
	int status;
	char shutdown_why[256];
	bool shutdown_pending;
	volatile sig_atomic_t stop_requested;

	struct machine_result result;
};

void machine_config_init(struct machine_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_bytes = MACHINE_DEFAULT_RAM;
	cfg->serial = MACHINE_SERIAL_STDIO;
	cfg->debugcon = MACHINE_DEBUGCON_STDERR;
	cfg->block_cache = true;
	cfg->ncpus = 1;
	cfg->quantum = MACHINE_QUANTUM;
}

/* --- The bus the CPUs see. --- */

static uint8_t *bus_ram_page(void *ctx, uint64_t pa)
{
	struct machine *m = ctx;

	return ram_page(m->ram, pa);
}

static uint64_t bus_mmio_read(void *ctx, uint64_t pa, unsigned size)
{
	struct machine *m = ctx;

	return iomap_read(m->io, IOMAP_MMIO, pa, size);
}

static void bus_mmio_write(void *ctx, uint64_t pa, unsigned size,
			   uint64_t val)
{
	struct machine *m = ctx;

	iomap_write(m->io, IOMAP_MMIO, pa, size, val);
}

static uint32_t bus_port_in(void *ctx, uint16_t port, unsigned size)
{
	struct machine *m = ctx;

	return (uint32_t)iomap_read(m->io, IOMAP_PORT, port, size);
}

static void bus_port_out(void *ctx, uint16_t port, unsigned size,
			 uint32_t val)
{
	struct machine *m = ctx;

	iomap_write(m->io, IOMAP_PORT, port, size, val);
}

/* No interrupt controller yet: nothing is ever pending. */
static int bus_intr_ack(void *ctx)
{
	(void)ctx;
	return -1;
}

static void machine_stop_cpus(struct machine *m)
{
	for (unsigned i = 0; i < m->ncpus; i++)
		cpu_request_stop(m->cpu[i]);
}

/* A PC resets on shutdown; like QEMU with -no-reboot, this machine ends
 * the run instead, so a test sees the triple fault. */
static void bus_shutdown(void *ctx, const char *why)
{
	struct machine *m = ctx;

	if (!m->shutdown_pending)
		snprintf(m->shutdown_why, sizeof(m->shutdown_why), "%s",
			 why ? why : "");
	m->shutdown_pending = true;
	machine_stop_cpus(m);
}

static const struct bus_ops machine_bus_ops = {
	.ram_page = bus_ram_page,
	.mmio_read = bus_mmio_read,
	.mmio_write = bus_mmio_write,
	.port_in = bus_port_in,
	.port_out = bus_port_out,
	.intr_ack = bus_intr_ack,
	.shutdown = bus_shutdown,
};

static void machine_debug_exit(void *ctx, int status)
{
	struct machine *m = ctx;

	if (m->end != MACHINE_END_NONE)
		return;
	m->end = MACHINE_END_DEBUG_EXIT;
	m->status = status;
	machine_stop_cpus(m);
}

/* --- Building. --- */

static int machine_open_serial(struct machine *m, char *err, size_t errlen)
{
	switch (m->cfg.serial) {
	case MACHINE_SERIAL_NONE:
		m->serial_out = NULL;
		return 0;
	case MACHINE_SERIAL_STDIO:
		m->serial_out = stdout;
		return 0;
	case MACHINE_SERIAL_FILE:
		m->serial_out = fopen(m->cfg.serial_path, "w");
		if (!m->serial_out) {
			snprintf(err, errlen, "-serial: cannot open '%s': %s",
				 m->cfg.serial_path, strerror(errno));
			return -1;
		}
		m->serial_owned = true;
		return 0;
	}
	snprintf(err, errlen, "-serial: unknown kind %d", m->cfg.serial);
	return -1;
}

static FILE *machine_debugcon_stream(struct machine *m)
{
	switch (m->cfg.debugcon) {
	case MACHINE_DEBUGCON_STDERR:
		return stderr;
	case MACHINE_DEBUGCON_SERIAL:
		return m->serial_out;
	case MACHINE_DEBUGCON_NONE:
		break;
	}
	return NULL;
}

static int machine_add_devices(struct machine *m, char *err, size_t errlen)
{
	m->com1 = uart_create(m->io, UART_COM1_BASE, "com1", m->serial_out,
			      err, errlen);
	if (!m->com1)
		return -1;
	m->debugport = debugport_create(m->io, machine_debugcon_stream(m),
					machine_debug_exit, m, err, errlen);
	if (!m->debugport)
		return -1;
	return 0;
}

static int machine_add_cpus(struct machine *m, char *err, size_t errlen)
{
	for (unsigned i = 0; i < m->cfg.ncpus; i++) {
		struct cpu *c = cpu_create(&m->bus, m->cc, NULL, i);

		if (!c) {
			snprintf(err, errlen, "cannot create CPU %u", i);
			return -1;
		}
		m->cpu[m->ncpus++] = c;
		cpu_reset(c);
		cpu_set_block_cache(c, m->cfg.block_cache);
	}
	return 0;
}

struct machine *machine_create(const struct machine_config *cfg, char *err,
			       size_t errlen)
{
	struct multiboot_config mb = {
		.kernel = cfg->kernel,
		.append = cfg->append,
		.initrd = cfg->initrd,
		.loader_name = "vmxsim",
	};
	struct multiboot_boot boot;
	struct machine *m;

	if (!cfg->kernel) {
		snprintf(err, errlen, "no kernel given; use -kernel FILE");
		return NULL;
	}
	if (cfg->ram_bytes < MACHINE_MIN_RAM) {
		snprintf(err, errlen, "-m: at least 1 MiB of RAM is needed");
		return NULL;
	}
	if (cfg->ncpus != 1) {
		/* Application processors need INIT/SIPI delivery, which
		 * comes with the local APIC. */
		snprintf(err, errlen, "only one CPU is supported so far");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->cfg = *cfg;
	if (m->cfg.quantum == 0)
		m->cfg.quantum = MACHINE_QUANTUM;
	m->bus.ops = &machine_bus_ops;
	m->bus.ctx = m;

	m->ram = ram_create(cfg->ram_bytes, err, errlen);
	if (!m->ram)
		goto fail;
	m->io = iomap_create();
	/* The code cache tracks every physical page that can hold RAM. */
	m->cc = code_cache_create(ram_top(m->ram));
	if (!m->io || !m->cc) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* The kernel first: bad input is reported before any file is
	 * created. */
	if (multiboot_load(m->ram, m->cc, &mb, &boot, err, errlen) != 0)
		goto fail;
	if (machine_open_serial(m, err, errlen) != 0 ||
	    machine_add_devices(m, err, errlen) != 0 ||
	    machine_add_cpus(m, err, errlen) != 0)
		goto fail;
	/* The bootstrap processor starts the kernel; the others would wait
	 * for a startup IPI. */
	multiboot_enter(m->cpu[0], &boot);

	if (log_enabled(LOG_DEBUG)) {
		log_debug("machine", "%llu KiB RAM (low end 0x%llx), %u CPU(s), "
			  "block cache %s",
			  (unsigned long long)(ram_size(m->ram) >> 10),
			  (unsigned long long)ram_low_end(m->ram), m->ncpus,
			  cfg->block_cache ? "on" : "off");
		iomap_print(m->io, stderr);
	}
	return m;

fail:
	machine_destroy(m);
	return NULL;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->ncpus; i++)
		cpu_destroy(m->cpu[i]);
	uart_destroy(m->com1);
	debugport_destroy(m->debugport);
	if (m->serial_owned)
		fclose(m->serial_out);
	else if (m->serial_out)
		fflush(m->serial_out);
	if (m->cc)
		code_cache_destroy(m->cc);
	iomap_destroy(m->io);
	ram_destroy(m->ram);
	free(m);
}

/* --- Running. --- */

static const char *reason_of(const struct cpu *c)
{
	const char *r = cpu_last_reason(c);

	return r && r[0] ? r : "none recorded";
}

/* This machine has no interrupt controller or timer, so nothing can wake
 * a halted CPU. */
static bool machine_has_interrupt_sources(const struct machine *m)
{
	(void)m;
	return false;
}

static void machine_end_run(struct machine *m, enum machine_end end,
			    unsigned cpu, int status)
{
	m->end = end;
	m->status = status;
	m->result.cpu = cpu;
}

/* Looks at why CPU i stopped and what the devices asked meanwhile. */
static void machine_cpu_stopped(struct machine *m, unsigned i,
				enum cpu_stop why)
{
	struct cpu *c = m->cpu[i];
	struct machine_result *r = &m->result;

	if (m->end != MACHINE_END_NONE) {
		r->cpu = i;
		return;
	}
	if (why == CPU_STOP_SHUTDOWN || m->shutdown_pending) {
		const char *reason = cpu_last_reason(c);

		if (!reason || !reason[0])
			reason = m->shutdown_why[0] ? m->shutdown_why :
				 "none recorded";
		machine_end_run(m, MACHINE_END_SHUTDOWN, i,
				MACHINE_STATUS_SHUTDOWN);
		snprintf(r->message, sizeof(r->message), "guest shut down "
			 "(triple fault) on CPU %u at rip 0x%llx: %s", i,
			 (unsigned long long)cpu_get_rip(c), reason);
		return;
	}
	if (why != CPU_STOP_HALTED)
		return;

	/* RFLAGS.IF is bit 9 (SDM Vol. 1 3.4.3). */
	if (!(cpu_get_rflags(c) & (1u << 9))) {
		m->stuck[i] = true;
		snprintf(r->message, sizeof(r->message), "guest halted with "
			 "interrupts disabled on CPU %u at rip 0x%llx; last "
			 "reason: %s", i, (unsigned long long)cpu_get_rip(c),
			 reason_of(c));
	} else if (!machine_has_interrupt_sources(m)) {
		m->stuck[i] = true;
		snprintf(r->message, sizeof(r->message), "guest halted on CPU "
			 "%u at rip 0x%llx waiting for an interrupt, but this "
			 "machine has no interrupt source; last reason: %s", i,
			 (unsigned long long)cpu_get_rip(c), reason_of(c));
	}
	for (unsigned j = 0; j < m->ncpus; j++)
		if (!m->stuck[j])
			return;
	machine_end_run(m, MACHINE_END_HALTED, i, MACHINE_STATUS_HALTED);
}

int machine_run(struct machine *m, struct machine_result *res)
{
	memset(&m->result, 0, sizeof(m->result));
	while (m->end == MACHINE_END_NONE) {
		if (m->stop_requested) {
			machine_end_run(m, MACHINE_END_STOPPED, 0, 0);
			snprintf(m->result.message, sizeof(m->result.message),
				 "stopped at the user's request");
			break;
		}
		for (unsigned i = 0; i < m->ncpus; i++) {
			if (m->stuck[i])
				continue;
			machine_cpu_stopped(m, i,
					    cpu_run(m->cpu[i], m->cfg.quantum));
			if (m->end != MACHINE_END_NONE)
				break;
		}
	}
	uart_flush(m->com1);
	if (m->end == MACHINE_END_DEBUG_EXIT)
		m->result.message[0] = '\0';
	m->result.end = m->end;
	m->result.status = m->status;
	if (res)
		*res = m->result;
	log_info("machine", "run ended after %llu instructions, status %d",
		 (unsigned long long)machine_icount(m), m->status);
	return m->status;
}

void machine_request_stop(struct machine *m)
{
	m->stop_requested = 1;
}

uint64_t machine_icount(const struct machine *m)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < m->ncpus; i++)
		n += cpu_icount(m->cpu[i]);
	return n;
}

unsigned machine_ncpus(const struct machine *m)
{
	return m->ncpus;
}

struct cpu *machine_cpu(struct machine *m, unsigned i)
{
	return i < m->ncpus ? m->cpu[i] : NULL;
}

struct iomap *machine_iomap(struct machine *m)
{
	return m->io;
}

struct ram *machine_ram(struct machine *m)
{
	return m->ram;
}
