/* The guests of the execution fuzzer: from a seed, a machine shape (RAM,
 * CPUs, quantum, block cache) and a RAM image of pseudo-random bytes with
 * some structures planted in it, so that random code runs in every CPU
 * mode instead of dying in real mode at its first fault:
 *   - a GDT, an IDT whose every vector points into random code, TSSs and
 *     identity page tables covering the 4-GiB space (devices included);
 *   - a trampoline, run in flat 32-bit protected mode, that loads them
 *     and enters the seed's mode (real, vm86, 32-bit with or without
 *     paging, PAE, 64-bit, compatibility; ring 0 or 3) at the entry;
 *   - short "chains" of device-minded code (port and MMIO accesses to
 *     every device, MSR writes, CR changes, timers, IPIs) at the entry
 *     and at the interrupt handlers, before random bytes take over.
 * Same seed, same bytes. */
#ifndef TESTS_FUZZ_FUZZ_GUEST_H
#define TESTS_FUZZ_FUZZ_GUEST_H

#include <stdbool.h>
#include <stdint.h>

enum fuzz_mode {
	FUZZ_REAL,      /* real mode, IVT at 0 */
	FUZZ_VM86,      /* virtual-8086 under a 32-bit TSS and IDT */
	FUZZ_PROT32,    /* 32-bit protected mode, paging off */
	FUZZ_PSE32,     /* 32-bit paging with 4-MiB pages */
	FUZZ_PAE,       /* PAE paging with 2-MiB pages */
	FUZZ_LONG64,    /* IA-32e, 64-bit code */
	FUZZ_COMPAT,    /* IA-32e, 32-bit code (compatibility mode) */
	FUZZ_MODE_COUNT,
};

struct fuzz_plan {
	uint64_t seed;
	uint64_t ram_bytes;
	unsigned ncpus;
	uint64_t quantum;
	bool block_cache;
	enum fuzz_mode mode;
	bool user;            /* entered at CPL 3 (not real or vm86) */
	bool keep_exit_ports; /* leave "out imm8" to the exit and reset
				 ports in the random bytes */
	bool start_ap;        /* CPU 1 gets a SIPI to random real-mode code */
	uint8_t ap_vector;
	uint64_t gpr[16];     /* initial general registers */
	/* Filled in by fuzz_guest_build(). */
	uint64_t tramp_rip;   /* where the BSP starts, flat 32-bit mode */
	uint64_t entry;       /* physical address of the first random code */
};

const char *fuzz_mode_name(enum fuzz_mode m);

/* The machine's shape and the guest's mode for a seed. */
void fuzz_plan_make(struct fuzz_plan *p, uint64_t seed);

/* Fills ram (p->ram_bytes, at least 1 MiB) with the seed's guest and
 * sets p->tramp_rip and p->entry. With probe set, the code at the entry
 * is instead fuzz_probe_status()'s sequence, so a test can check that
 * the trampoline reaches the mode it claims. */
void fuzz_guest_build(struct fuzz_plan *p, uint8_t *ram, bool probe);

/* The debug-exit status the probe code ends with in the plan's mode:
 * it reads the default operand size (16, 32) and REX (64). */
int fuzz_probe_status(const struct fuzz_plan *p);

#endif
