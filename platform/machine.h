/* The machine: guest RAM, the devices, the CPUs and the loop that runs
 * them. Built from a configuration (what the command line says) and run
 * until the guest ends the run. */
#ifndef PLATFORM_MACHINE_H
#define PLATFORM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/model.h"
#include "platform/iomap.h"
#include "platform/ram.h"

#define MACHINE_DEFAULT_RAM (128ull << 20)
#define MACHINE_MIN_RAM (1ull << 20)
/* APIC IDs 0-254: FFH is the xAPIC broadcast. */
#define MACHINE_MAX_CPUS 255
/* Instructions a CPU runs before the next CPU's turn (-quantum): 10 us of
 * guest time at the default 1e9 instructions per second. Short enough
 * that a CPU spinning on another (a lock, a call-function IPI, the AP
 * start-up handshake) wastes little, long enough that switching costs
 * nothing measurable. */
#define MACHINE_QUANTUM 10000

/* Exit statuses for runs the guest did not end through the exit port.
 * That port gives (v << 1) | 1, which is always odd. */
#define MACHINE_STATUS_HALTED 2    /* every CPU stopped for good */
#define MACHINE_STATUS_SHUTDOWN 3  /* triple fault */

enum machine_serial {
	MACHINE_SERIAL_NONE,   /* output discarded */
	MACHINE_SERIAL_STDIO,  /* host stdout */
	MACHINE_SERIAL_FILE,   /* serial_path, truncated */
};

/* Where port 0xe9 output goes. */
enum machine_debugcon {
	MACHINE_DEBUGCON_STDERR,
	MACHINE_DEBUGCON_SERIAL, /* wherever COM1 goes */
	MACHINE_DEBUGCON_NONE,
};

struct machine_config {
	uint64_t ram_bytes;
	const char *kernel;      /* multiboot kernel file */
	const char *append;      /* kernel arguments, or NULL */
	const char *initrd;      /* multiboot modules, QEMU syntax, or NULL */
	enum machine_serial serial;
	const char *serial_path; /* for MACHINE_SERIAL_FILE */
	int serial_in_fd;        /* COM1's input (platform/serial_in.h);
				    -1: none */
	enum machine_debugcon debugcon;
	bool block_cache;
	unsigned ncpus;          /* -smp: 1 .. MACHINE_MAX_CPUS */
	uint64_t quantum;        /* -quantum: instructions per slice */
	const struct cpu_model *model; /* -cpu; NULL: the default model */
	bool no_kernel;          /* build the machine without a kernel, to
				    list its devices (-info-devices) or to
				    set its CPUs and RAM up by hand before
				    running it (tests/fuzz/exec_fuzz.c) */
};

/* How a run ended. */
enum machine_end {
	MACHINE_END_NONE,       /* still running */
	MACHINE_END_DEBUG_EXIT, /* the guest wrote the debug-exit port */
	MACHINE_END_HALTED,     /* no CPU can ever run again */
	MACHINE_END_SHUTDOWN,   /* a CPU shut down (triple fault) */
	MACHINE_END_STOPPED,    /* machine_request_stop() */
	MACHINE_END_POWER_OFF,  /* the guest turned the machine off (ACPI S5,
				   "Shutdown" on port 0x8900): status 0 */
	MACHINE_END_RESET,      /* the guest reset the machine (0xcf9, 0x92,
				   the keyboard controller); as QEMU with
				   -no-reboot, the run ends with status 0 */
};

struct machine_result {
	enum machine_end end;
	int status;          /* exit status for the process */
	unsigned cpu;        /* the CPU that ended the run */
	/* One line for the user, without "vmxsim: ", or empty when the guest
	 * ended the run itself through the exit port. */
	char message[512];
};

struct machine;
struct apic_bus;
struct clock;
struct ioapic;
struct irq_bus;
struct lapic;
struct pic;

/* Defaults: 128 MiB, serial to stdout, port 0xe9 to stderr, block cache
 * on, one CPU. */
void machine_config_init(struct machine_config *cfg);

/* Builds the machine and loads the kernel. Returns NULL with a one-line
 * message in err on bad input (unreadable or malformed kernel, kernel
 * too big for the RAM, serial file that cannot be opened, ...). */
struct machine *machine_create(const struct machine_config *cfg, char *err,
			       size_t errlen);
void machine_destroy(struct machine *m);

/* Runs the CPUs, a quantum at a time, until the run ends (see
 * platform/machine.c for the scheduling). Returns the exit status and
 * fills res. */
int machine_run(struct machine *m, struct machine_result *res);

/* Ends the run at the next quantum boundary. Safe in a signal handler. */
void machine_request_stop(struct machine *m);

/* Retired instructions, all CPUs together. */
uint64_t machine_icount(const struct machine *m);

unsigned machine_ncpus(const struct machine *m);
struct cpu *machine_cpu(struct machine *m, unsigned i);
struct iomap *machine_iomap(struct machine *m);
struct ram *machine_ram(struct machine *m);
/* What devices are wired to: the virtual clock, the board's interrupt
 * lines (the I/O APIC is attached), the APICs. */
struct clock *machine_clock(struct machine *m);
struct irq_bus *machine_irq_bus(struct machine *m);
struct apic_bus *machine_apic_bus(struct machine *m);
struct lapic *machine_lapic(struct machine *m, unsigned i);
struct ioapic *machine_ioapic(struct machine *m);
/* Connects the 8259 pair's INT output to LINT0 of every local APIC and
 * makes it the source of ExtINT vectors (virtual-wire mode). */
void machine_connect_pic(struct machine *m, struct pic *pic);

#endif
