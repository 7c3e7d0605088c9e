/* The PC: RAM, the devices, the CPUs with their local APICs and the I/O
 * APIC, and the scheduler that runs the CPUs on one host thread.
 *
 * Scheduling (DESIGN "Run loop", platform/clock.h): the CPUs take turns
 * in APIC ID order, each for a slice of at most -quantum retired
 * instructions; a slice ends early at the clock's next timer deadline so
 * that the timer fires at the instruction where it is due, and a device
 * access that arms an earlier timer shortens the running slice. CPUs in
 * HLT or wait-for-SIPI are skipped; when no CPU can run, the clock jumps
 * to the next deadline. Nothing depends on host time, so the same inputs
 * give the same run. */
#include "platform/machine.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/apicbus.h"
#include "platform/clock.h"
#include "platform/debugport.h"
#include "platform/ioapic.h"
#include "platform/lapic.h"
#include "platform/pc_layout.h"
#include "platform/pc.h"
#include "platform/serial_in.h"
#include "platform/pic.h"
#include "platform/boot.h"
#include "platform/uart.h"
#include "util/log.h"

struct machine {
	struct machine_config cfg;
	struct ram *ram;
	struct iomap *io;
	struct code_cache *cc;
	struct bus bus;

	/* Virtual time, the board's interrupt lines, the APICs. */
	struct clock *clock;
	struct irq_bus irq;
	struct apic_bus *apic_bus;
	struct ioapic *ioapic;

	unsigned ncpus;
	struct cpu *cpu[MACHINE_MAX_CPUS];
	struct lapic *lapic[MACHINE_MAX_CPUS];
	/* The CPU in cpu_run(), whose APIC the bus's accesses reach, or -1;
	 * and the deadline its slice was sized to end at. */
	int current;
	uint64_t slice_deadline;

	FILE *serial_out;
	bool serial_owned;
	struct pc *pc;          /* the legacy devices (platform/pc.h) */
	struct uart *com1;      /* the PC's COM1 */
	struct serial_in *serial_in; /* COM1's input, or NULL */
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
	cfg->serial_in_fd = -1;
	cfg->debugcon = MACHINE_DEBUGCON_STDERR;
	cfg->block_cache = true;
	cfg->ncpus = 1;
	cfg->quantum = MACHINE_QUANTUM;
	cfg->model = NULL;
}

/* --- The bus the CPUs see. --- */

/* The running CPU's local APIC, or NULL between slices. */
static struct lapic *current_lapic(const struct machine *m)
{
	return m->current >= 0 ? m->lapic[m->current] : NULL;
}

/* A device access may have armed a timer that is due before the running
 * slice would end: the slice then ends there. */
static void machine_check_deadline(struct machine *m)
{
	if (m->current < 0)
		return;
	uint64_t dl = clock_next_deadline(m->clock);
	if (dl < m->slice_deadline) {
		m->slice_deadline = dl;
		cpu_limit_budget(m->cpu[m->current],
				 clock_insns_until(m->clock, dl));
	}
}

/* The xAPIC page hides whatever lies under it, RAM included, from the
 * CPU whose APIC it is (SDM Vol. 3A 10.4.1). */
static uint8_t *bus_ram_page(void *ctx, uint64_t pa)
{
	struct machine *m = ctx;
	struct lapic *l = current_lapic(m);

	if (l && lapic_claims(l, pa))
		return NULL;
	return ram_page(m->ram, pa);
}

static uint64_t bus_mmio_read(void *ctx, uint64_t pa, unsigned size)
{
	struct machine *m = ctx;
	struct lapic *l = current_lapic(m);
	uint64_t v;

	if (l && lapic_claims(l, pa))
		v = lapic_mmio_read(l, pa & 0xfff, size);
	else
		v = iomap_read(m->io, IOMAP_MMIO, pa, size);
	machine_check_deadline(m);
	return v;
}

static void bus_mmio_write(void *ctx, uint64_t pa, unsigned size,
			   uint64_t val)
{
	struct machine *m = ctx;
	struct lapic *l = current_lapic(m);

	if (l && lapic_claims(l, pa))
		lapic_mmio_write(l, pa & 0xfff, size, val);
	else
		iomap_write(m->io, IOMAP_MMIO, pa, size, val);
	machine_check_deadline(m);
}

static uint32_t bus_port_in(void *ctx, uint16_t port, unsigned size)
{
	struct machine *m = ctx;
	uint32_t v = (uint32_t)iomap_read(m->io, IOMAP_PORT, port, size);

	machine_check_deadline(m);
	return v;
}

static void bus_port_out(void *ctx, uint16_t port, unsigned size,
			 uint32_t val)
{
	struct machine *m = ctx;

	iomap_write(m->io, IOMAP_PORT, port, size, val);
	machine_check_deadline(m);
}

/* INTA: the running CPU asks its local APIC. */
static int bus_intr_ack(void *ctx)
{
	struct machine *m = ctx;
	struct lapic *l = current_lapic(m);

	return l ? lapic_acknowledge(l) : -1;
}

static uint64_t bus_now_ns(void *ctx)
{
	struct machine *m = ctx;

	return clock_now_ns(m->clock);
}

static struct lapic *lapic_of(struct machine *m, unsigned apic_id)
{
	return apic_id < m->ncpus ? m->lapic[apic_id] : NULL;
}

static bool bus_apic_msr_read(void *ctx, unsigned apic_id, uint32_t index,
			      uint64_t *val, char *why, size_t whylen)
{
	struct machine *m = ctx;
	struct lapic *l = lapic_of(m, apic_id);

	if (!l) {
		snprintf(why, whylen, "CPU %u has no local APIC", apic_id);
		return false;
	}
	return lapic_msr_read(l, index, val, why, whylen);
}

static bool bus_apic_msr_write(void *ctx, unsigned apic_id, uint32_t index,
			       uint64_t val, char *why, size_t whylen)
{
	struct machine *m = ctx;
	struct lapic *l = lapic_of(m, apic_id);

	if (!l) {
		snprintf(why, whylen, "CPU %u has no local APIC", apic_id);
		return false;
	}
	bool ok = lapic_msr_write(l, index, val, why, whylen);
	machine_check_deadline(m);
	return ok;
}

static void bus_apic_base_changed(void *ctx, unsigned apic_id, uint64_t val)
{
	struct machine *m = ctx;
	struct lapic *l = lapic_of(m, apic_id);

	if (l)
		lapic_set_base(l, val);
}

static uint8_t bus_tpr_read(void *ctx, unsigned apic_id)
{
	struct machine *m = ctx;
	struct lapic *l = lapic_of(m, apic_id);

	return l ? lapic_tpr(l) : 0;
}

static void bus_tpr_write(void *ctx, unsigned apic_id, uint8_t tpr)
{
	struct machine *m = ctx;
	struct lapic *l = lapic_of(m, apic_id);

	if (l)
		lapic_set_tpr(l, tpr);
}

/* FERR# from the running CPU: IRQ 13 on a PC. */
static void bus_ferr(void *ctx, bool level)
{
	struct machine *m = ctx;

	if (m->pc)
		pc_set_ferr(m->pc, level);
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
	.now_ns = bus_now_ns,
	.apic_msr_read = bus_apic_msr_read,
	.apic_msr_write = bus_apic_msr_write,
	.apic_base_changed = bus_apic_base_changed,
	.tpr_read = bus_tpr_read,
	.tpr_write = bus_tpr_write,
	.ferr = bus_ferr,
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

static void machine_power_off(void *ctx, const char *why)
{
	struct machine *m = ctx;

	(void)why;
	if (m->end != MACHINE_END_NONE)
		return;
	m->end = MACHINE_END_POWER_OFF;
	m->status = 0;
	machine_stop_cpus(m);
}

static void machine_reset(void *ctx, const char *why)
{
	struct machine *m = ctx;

	if (m->end != MACHINE_END_NONE)
		return;
	m->end = MACHINE_END_RESET;
	m->status = 0;
	snprintf(m->result.message, sizeof(m->result.message), "guest reset "
		 "the machine (%s); the run ends there", why);
	machine_stop_cpus(m);
}

/* The PC's devices (platform/pc.h), its 8259 pair on the local APICs'
 * LINT0, and the debug ports. */
static int machine_add_devices(struct machine *m, char *err, size_t errlen)
{
	struct pc_config pc = {
		.io = m->io,
		.clock = m->clock,
		.irqs = &m->irq,
		.ram = m->ram,
		.cpus = m->cpu,
		.ncpus = m->ncpus,
		.com1_out = m->serial_out,
		.power_off = machine_power_off,
		.reset = machine_reset,
		.ctx = m,
	};

	m->pc = pc_create(&pc, err, errlen);
	if (!m->pc)
		return -1;
	machine_connect_pic(m, pc_pic(m->pc));
	m->com1 = pc_com1(m->pc);
	if (m->cfg.serial_in_fd >= 0) {
		m->serial_in = serial_in_create(m->cfg.serial_in_fd, m->com1,
						m->clock, err, errlen);
		if (!m->serial_in)
			return -1;
	}
	m->debugport = debugport_create(m->io, machine_debugcon_stream(m),
					machine_debug_exit, m, err, errlen);
	if (!m->debugport)
		return -1;
	return 0;
}

/* The I/O APIC on the board's interrupt lines, and the bus the local
 * APICs will join. Its version (11H, no EOI register) decides whether the
 * local APICs offer EOI-broadcast suppression (platform/lapic.h). */
static int machine_add_apics(struct machine *m, char *err, size_t errlen)
{
	m->apic_bus = apicbus_create();
	if (!m->apic_bus) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->ioapic = ioapic_create(m->io, PC_IOAPIC_BASE, IOAPIC_VERSION_82093AA,
				  PC_IOAPIC_ID, m->apic_bus, err, errlen);
	if (!m->ioapic)
		return -1;
	if (!irq_bus_attach(&m->irq, ioapic_isa_sink(m->ioapic))) {
		snprintf(err, errlen, "no room on the interrupt lines for the "
			 "I/O APIC");
		return -1;
	}
	return 0;
}

/* What firmware leaves in the BSP's APIC on a PC (virtual-wire mode, MP
 * specification 1.4 3.6.2.2): software-enabled, LINT0 as ExtINT so that
 * the 8259 reaches the CPU, LINT1 as NMI. */
static void machine_virtual_wire(struct lapic *l)
{
	lapic_mmio_write(l, LAPIC_SVR, 4, LAPIC_SVR_ENABLE | 0xff);
	lapic_mmio_write(l, LAPIC_LVT_LINT0, 4, APIC_DM_EXTINT << APIC_DM_SHIFT);
	lapic_mmio_write(l, LAPIC_LVT_LINT1, 4, APIC_DM_NMI << APIC_DM_SHIFT);
}

/* CPU i has APIC ID i; CPU 0 is the BSP, the others wait for a SIPI
 * (cpu_reset()). */
static int machine_add_cpus(struct machine *m, char *err, size_t errlen)
{
	for (unsigned i = 0; i < m->cfg.ncpus; i++) {
		struct cpu *c = cpu_create(&m->bus, m->cc, m->cfg.model, i);

		if (!c) {
			snprintf(err, errlen, "cannot create CPU %u", i);
			return -1;
		}
		m->cpu[m->ncpus++] = c;
		cpu_reset(c);
		cpu_set_block_cache(c, m->cfg.block_cache);

		const struct cpu_model *model = m->cfg.model ? m->cfg.model :
						model_default();
		struct lapic_config lc = {
			.apic_id = i,
			.x2apic = model_has(model, FEAT_X2APIC),
			.tsc_deadline = model_has(model, FEAT_TSC_DEADLINE),
			.eoi_suppression =
				ioapic_has_eoi_register(m->ioapic),
		};
		m->lapic[i] = lapic_create(&lc, c, m->apic_bus, m->clock);
		if (!m->lapic[i]) {
			snprintf(err, errlen, "cannot create the local APIC of "
				 "CPU %u", i);
			return -1;
		}
	}
	machine_virtual_wire(m->lapic[0]);
	return 0;
}

static void machine_pic_output(void *opaque, bool level)
{
	struct machine *m = opaque;

	for (unsigned i = 0; i < m->ncpus; i++)
		lapic_set_lint(m->lapic[i], 0, level);
}

static bool machine_pic_pending(void *opaque)
{
	return pic_has_interrupt(opaque);
}

static int machine_pic_ack(void *opaque)
{
	return pic_acknowledge(opaque);
}

void machine_connect_pic(struct machine *m, struct pic *pic)
{
	struct lapic_extint src = {
		machine_pic_pending, machine_pic_ack, pic,
	};

	for (unsigned i = 0; i < m->ncpus; i++)
		lapic_set_extint(m->lapic[i], &src);
	pic_set_output(pic, machine_pic_output, m);
}

struct machine *machine_create(const struct machine_config *cfg, char *err,
			       size_t errlen)
{
	struct boot_config bc = {
		.kernel = cfg->kernel,
		.append = cfg->append,
		.initrd = cfg->initrd,
		.ncpus = cfg->ncpus,
		.model = cfg->model,
	};
	struct boot boot;
	struct machine *m;

	if (!cfg->kernel && !cfg->no_kernel) {
		snprintf(err, errlen, "no kernel given; use -kernel FILE");
		return NULL;
	}
	if (cfg->ram_bytes < MACHINE_MIN_RAM) {
		snprintf(err, errlen, "-m: at least 1 MiB of RAM is needed");
		return NULL;
	}
	if (cfg->ncpus < 1 || cfg->ncpus > MACHINE_MAX_CPUS) {
		snprintf(err, errlen, "-smp: %u CPUs; between 1 and %u are "
			 "supported", cfg->ncpus, MACHINE_MAX_CPUS);
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
	m->current = -1;

	m->ram = ram_create(cfg->ram_bytes, err, errlen);
	if (!m->ram)
		goto fail;
	m->io = iomap_create();
	/* The code cache tracks every physical page that can hold RAM. */
	m->cc = code_cache_create(ram_top(m->ram));
	/* One clock for every CPU and device, at the model's rate. */
	m->clock = clock_create((m->cfg.model ? m->cfg.model :
				 model_default())->insns_per_sec);
	if (!m->io || !m->cc || !m->clock) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* The kernel first: bad input is reported before any file is
	 * created. */
	if (!cfg->no_kernel &&
	    boot_load(m->ram, m->cc, &bc, &boot, err, errlen) != 0)
		goto fail;
	/* The CPUs and their APICs before the devices, so that devices
	 * can be wired to them (machine_connect_pic()). */
	if (machine_open_serial(m, err, errlen) != 0 ||
	    machine_add_apics(m, err, errlen) != 0 ||
	    machine_add_cpus(m, err, errlen) != 0 ||
	    machine_add_devices(m, err, errlen) != 0)
		goto fail;
	/* The bootstrap processor starts the kernel; the others would wait
	 * for a startup IPI. */
	if (!cfg->no_kernel)
		boot_enter(m->cpu[0], &boot);

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
	for (unsigned i = 0; i < m->ncpus; i++) {
		lapic_destroy(m->lapic[i]);
		cpu_destroy(m->cpu[i]);
	}
	ioapic_destroy(m->ioapic);
	apicbus_destroy(m->apic_bus);
	serial_in_destroy(m->serial_in);
	pc_destroy(m->pc);
	debugport_destroy(m->debugport);
	if (m->serial_owned)
		fclose(m->serial_out);
	else if (m->serial_out)
		fflush(m->serial_out);
	if (m->cc)
		code_cache_destroy(m->cc);
	iomap_destroy(m->io);
	ram_destroy(m->ram);
	if (m->clock)
		clock_destroy(m->clock);
	free(m);
}

/* --- Running. --- */

static const char *reason_of(const struct cpu *c)
{
	const char *r = cpu_last_reason(c);

	return r && r[0] ? r : "none recorded";
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
	}
}

/* RFLAGS.IF is bit 9 (SDM Vol. 1 3.4.3). */
static bool interrupts_enabled(const struct cpu *c)
{
	return cpu_get_rflags(c) & (1u << 9);
}

/* No CPU can run. The run goes on only if a timer is armed and some CPU
 * halted with interrupts enabled, which a timer's interrupt can wake.
 * A CPU halted with interrupts disabled waits for an NMI or INIT, and
 * one in wait-for-SIPI for another CPU's SIPI: with every CPU like that,
 * nothing will ever run again. (A timer programmed to deliver an NMI
 * would be missed; no guest of ours relies on one.) */
static bool machine_can_wake(const struct machine *m)
{
	if (clock_next_deadline(m->clock) == UINT64_MAX)
		return false;
	for (unsigned i = 0; i < m->ncpus; i++)
		if (cpu_activity(m->cpu[i]) == CPU_HLT &&
		    interrupts_enabled(m->cpu[i]))
			return true;
	return false;
}

/* Ends the run with a line that says which CPU waits for what. */
static void machine_halted_forever(struct machine *m)
{
	struct machine_result *r = &m->result;
	unsigned i = 0;

	/* The first halted CPU, the BSP before the APs. */
	while (i + 1 < m->ncpus && cpu_activity(m->cpu[i]) != CPU_HLT)
		i++;
	struct cpu *c = m->cpu[i];
	machine_end_run(m, MACHINE_END_HALTED, i, MACHINE_STATUS_HALTED);
	if (cpu_activity(c) != CPU_HLT)
		snprintf(r->message, sizeof(r->message), "every CPU waits for "
			 "a SIPI that no CPU can send");
	else if (!interrupts_enabled(c))
		snprintf(r->message, sizeof(r->message), "guest halted with "
			 "interrupts disabled on CPU %u at rip 0x%llx; last "
			 "reason: %s", i, (unsigned long long)cpu_get_rip(c),
			 reason_of(c));
	else
		snprintf(r->message, sizeof(r->message), "guest halted on CPU "
			 "%u at rip 0x%llx waiting for an interrupt, but no "
			 "timer is armed and no device will interrupt; last "
			 "reason: %s", i, (unsigned long long)cpu_get_rip(c),
			 reason_of(c));
}

/* One slice of CPU i: at most a quantum, ending at the next deadline. */
static void machine_slice(struct machine *m, unsigned i)
{
	struct cpu *c = m->cpu[i];
	uint64_t budget = m->cfg.quantum;
	uint64_t dl = clock_next_deadline(m->clock);

	if (dl != UINT64_MAX) {
		uint64_t n = clock_insns_until(m->clock, dl);
		if (n < budget)
			budget = n;
	}
	m->slice_deadline = dl;
	m->current = (int)i;
	clock_begin_slice(m->clock, cpu_icount_counter(c));
	enum cpu_stop why = cpu_run(c, budget);
	clock_end_slice(m->clock);
	m->current = -1;
	clock_run_due(m->clock);
	machine_cpu_stopped(m, i, why);
}

int machine_run(struct machine *m, struct machine_result *res)
{
	memset(&m->result, 0, sizeof(m->result));
	while (m->end == MACHINE_END_NONE) {
		bool ran = false;

		for (unsigned i = 0; i < m->ncpus && m->end == MACHINE_END_NONE;
		     i++) {
			if (m->stop_requested)
				break;
			if (!cpu_runnable(m->cpu[i]))
				continue;
			machine_slice(m, i);
			ran = true;
		}
		if (m->end != MACHINE_END_NONE)
			break;
		if (m->stop_requested) {
			machine_end_run(m, MACHINE_END_STOPPED, 0, 0);
			snprintf(m->result.message, sizeof(m->result.message),
				 "stopped at the user's request");
			break;
		}
		if (ran)
			continue;
		/* Every CPU waits: time jumps to the next deadline. */
		if (!machine_can_wake(m)) {
			machine_halted_forever(m);
			break;
		}
		serial_in_idle(m->serial_in, clock_next_deadline(m->clock) -
						     clock_now_ns(m->clock));
		clock_advance_to(m->clock, clock_next_deadline(m->clock));
		clock_run_due(m->clock);
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

struct clock *machine_clock(struct machine *m)
{
	return m->clock;
}

struct irq_bus *machine_irq_bus(struct machine *m)
{
	return &m->irq;
}

struct apic_bus *machine_apic_bus(struct machine *m)
{
	return m->apic_bus;
}

struct lapic *machine_lapic(struct machine *m, unsigned i)
{
	return i < m->ncpus ? m->lapic[i] : NULL;
}

struct ioapic *machine_ioapic(struct machine *m)
{
	return m->ioapic;
}
