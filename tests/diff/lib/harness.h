/* What the differential tests against the host CPU share: a region of
 * read-write-execute memory at a fixed address where a stub runs the
 * bytes under test natively (a fault is caught and turned into its
 * vector), the same region mapped by page tables at the same linear
 * addresses for the simulated CPU, one step of the simulator, and the
 * tests' random numbers and command line.
 *
 * A stub's context block is RFLAGS followed by the 16 GPRs in encoding
 * order (DIFF_CTX_SIZE bytes); diff_emit_load_context and
 * diff_emit_store_context move all of them but RSP with POP and PUSH, and
 * RSP through its slot. */
#ifndef TESTS_DIFF_LIB_HARNESS_H
#define TESTS_DIFF_LIB_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/model.h"

#define DIFF_CTX_SIZE (17 * 8)

/* Where diff_sim_exec could not run the bytes: never a host outcome. */
#define DIFF_NO_HANDLER 99      /* decoded, but no handler */
#define DIFF_BAD_LENGTH 100     /* decoded to another length */

/* Maps the region [base, base + size) on the host and in the simulator's
 * RAM and installs the fault handlers; prog names the test in messages.
 * Exits with status 2 when that cannot be done. */
void diff_setup(const char *prog, uint64_t base, uint64_t size);

/* ---- Native side ---- */

extern uint8_t *diff_region;
extern uint64_t diff_region_base;

/* The host address of the region address addr. */
static inline uint8_t *diff_at(uint64_t addr)
{
	return diff_region + (addr - diff_region_base);
}

/* What a native fault left behind, from the signal context: the vector
 * (the kernel's trap number), the GPRs in encoding order, RFLAGS, and
 * the FXSAVE image of the x87/SSE state. */
struct diff_fault {
	int vector;
	uint64_t gpr[16];
	uint64_t flags;
	uint8_t fx[512];
};
extern struct diff_fault diff_fault;

/* Calls the stub at entry: -1 when it returns, else the vector of the
 * fault it raised (diff_fault holds the rest). */
int diff_native_call(uint64_t entry);

struct diff_emit {
	uint8_t *p;
};

void diff_e8(struct diff_emit *e, unsigned b);
void diff_e32(struct diff_emit *e, uint64_t v);
void diff_ebytes(struct diff_emit *e, const void *bytes, unsigned n);
/* push rbx, rbp, r12-r15; mov [host_rsp], rsp */
void diff_emit_prologue(struct diff_emit *e, uint64_t host_rsp);
/* mov rsp, [host_rsp]; pop r15-r12, rbp, rbx; cld; ret */
void diff_emit_epilogue(struct diff_emit *e, uint64_t host_rsp);
/* RFLAGS and the GPRs from the context block at ctx (RSP last). */
void diff_emit_load_context(struct diff_emit *e, uint64_t ctx);
/* The GPRs and RFLAGS to the context block at ctx; RSP ends inside it. */
void diff_emit_store_context(struct diff_emit *e, uint64_t ctx);

/* Fills a context block / reads one back. */
void diff_context_put(uint64_t ctx, uint64_t flags, const uint64_t gpr[16]);
void diff_context_get(uint64_t ctx, uint64_t *flags, uint64_t gpr[16]);

/* ---- Simulated side: RAM on a bus without devices ---- */

#define DIFF_RAM_SIZE 0x400000u
#define DIFF_REGION_PA 0x200000u    /* where the region lies in RAM */

extern uint8_t *diff_ram;

/* The simulator's view of the region address addr. */
static inline uint8_t *diff_sim_at(uint64_t addr)
{
	return diff_ram + DIFF_REGION_PA + (addr - diff_region_base);
}

/* A CPU on the test bus (model NULL: the default model). */
struct cpu *diff_sim_cpu(const struct cpu_model *model, unsigned apic_id);

/* Puts c in 64-bit mode at CPL 3 on the region's page tables, with the
 * given CR0 and CR4 (PG, PE and PAE among them), a 64-bit code segment
 * with selector cs and flat data segments with selector ds. */
void diff_sim_user64(struct cpu *c, uint64_t cr0, uint64_t cr4, uint16_t cs,
		     uint16_t ds);

/* Decodes len bytes as one instruction at rip and runs its handler:
 * returns -1, the vector of the fault it raised, DIFF_BAD_LENGTH or
 * DIFF_NO_HANDLER. id (if not NULL) gets the decoded form, or -1. */
int diff_sim_exec(struct cpu *c, const uint8_t *bytes, unsigned len,
		  uint64_t rip, int *id);

/* Notes that the simulator ran form id; diff_forms_covered counts the
 * forms noted. */
void diff_cover(int id);
unsigned diff_forms_covered(void);

/* ---- Random numbers: xorshift64*, the same sequence on every host ---- */

void diff_seed(uint64_t s);
uint64_t diff_rnd(void);
unsigned diff_rndn(unsigned n);

/* ---- Encoding a memory operand ---- */

/* A displacement for a ModRM memory operand, mostly within a byte (then
 * disp8 three times in four), else within 4 KiB: returns its size in
 * bytes (1 or 4). */
unsigned diff_rnd_disp(int64_t *disp);

/* How [base + index * 2^scale + disp] is encoded: ModRM.rm (4 when a SIB
 * byte follows, as for any index and for base RSP or R12), the SIB byte,
 * and the REX.X and REX.B bits the registers need. */
struct diff_mem_enc {
	unsigned rm;
	bool has_sib;
	unsigned sib;
	unsigned rex;
};

struct diff_mem_enc diff_encode_mem(unsigned base, bool use_index,
				    unsigned index, unsigned scale);

/* ---- Command line and report ---- */

struct diff_args {
	uint64_t cases, seed, print;
	bool verbose;
	const char *extra;      /* one more "--NAME N" option, or NULL */
	uint64_t extra_value;
};

/* Parses [--cases N] [--seed S] [--print N] [--verbose] (and extra)
 * into a, whose fields hold the defaults; false after printing the
 * usage. */
bool diff_parse_args(struct diff_args *a, int argc, char **argv);

extern const char *const diff_reg_names[16];

/* Prints the instruction bytes as " xx xx ...". */
void diff_print_bytes(const uint8_t *b, unsigned n);

/* Prints the SUMMARY line; returns the exit status. */
int diff_summary(const char *what, unsigned forms, uint64_t cases,
		 uint64_t mismatches);

/* One case of a test whose forms are the rows of a table: generates it,
 * runs it on both sides and returns NULL when they agree, else why not
 * (after printing the case if print is set). *row gets the case's row,
 * *host_fault the host's vector or -1. */
typedef const char *diff_case_fn(bool print, size_t *row, int *host_fault);

/* Runs a->cases cases (at most a->print mismatches printed), then with
 * --verbose the cases and host faults of each row, named by row_name,
 * then the SUMMARY line with the forms diff_cover noted; returns the
 * exit status. */
int diff_run(const char *what, const struct diff_args *a, size_t rows,
	     const char *(*row_name)(size_t row), diff_case_fn *one);

#endif
