#include "tests/diff/lib/harness.h"

#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "cpu/decode.h"
#include "cpu/insn.h"
#include "cpu/mem.h"
#include "cpu/state.h"

static const char *prog = "diff";

/* ---- Native side ---- */

uint8_t *diff_region;
uint64_t diff_region_base;
static uint64_t region_size;
struct diff_fault diff_fault;
static sigjmp_buf native_env;

static void on_signal(int sig, siginfo_t *si, void *uc_)
{
	(void)sig, (void)si;
	/* The kernel leaves EFLAGS.AC as the faulting code had it: clear
	 * it before this handler makes any misaligned access. */
	__asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" ::: "cc",
			 "memory");
	ucontext_t *uc = uc_;
	greg_t *g = uc->uc_mcontext.gregs;
	/* glibc's gregs layout (its REG_* names clash with ours). */
	static const int order[16] = { 13, 14, 12, 11, 15, 10, 9, 8,
				       0, 1, 2, 3, 4, 5, 6, 7 };
	enum { GREG_EFL = 17, GREG_TRAPNO = 20 };
	for (int r = 0; r < 16; r++)
		diff_fault.gpr[r] = (uint64_t)g[order[r]];
	diff_fault.flags = (uint64_t)g[GREG_EFL];
	memcpy(diff_fault.fx, uc->uc_mcontext.fpregs, sizeof(diff_fault.fx));
	/* Linux puts the exception's vector in the trap number for every
	 * fault that becomes one of these signals (#DE and #MF and #XM:
	 * SIGFPE; #UD: SIGILL; #GP: SIGSEGV; #AC: SIGBUS). */
	diff_fault.vector = (int)g[GREG_TRAPNO];
	siglongjmp(native_env, 1);
}

static void native_setup(uint64_t base, uint64_t size)
{
	diff_region = mmap((void *)base, size, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			   -1, 0);
	if (diff_region != (uint8_t *)base) {
		fprintf(stderr, "%s: mmap of the test region: ", prog);
		perror(NULL);
		exit(2);
	}
	diff_region_base = base;
	region_size = size;
	/* The stubs run on stacks of their own: faults are handled on
	 * this one. */
	static uint8_t altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
}

int diff_native_call(uint64_t entry)
{
	if (sigsetjmp(native_env, 1) == 0) {
		((void (*)(void))(uintptr_t)entry)();
		return -1;
	}
	return diff_fault.vector;
}

void diff_e8(struct diff_emit *e, unsigned b)
{
	*e->p++ = (uint8_t)b;
}

void diff_e32(struct diff_emit *e, uint64_t v)
{
	uint32_t x = (uint32_t)v;
	memcpy(e->p, &x, 4);
	e->p += 4;
}

void diff_ebytes(struct diff_emit *e, const void *bytes, unsigned n)
{
	memcpy(e->p, bytes, n);
	e->p += n;
}

void diff_emit_prologue(struct diff_emit *e, uint64_t host_rsp)
{
	diff_ebytes(e, "\x53\x55\x41\x54\x41\x55\x41\x56\x41\x57", 10);
	diff_ebytes(e, "\x48\x89\x24\x25", 4);
	diff_e32(e, host_rsp);
}

/* The System V ABI wants DF clear on return. */
void diff_emit_epilogue(struct diff_emit *e, uint64_t host_rsp)
{
	diff_ebytes(e, "\x48\x8b\x24\x25", 4);
	diff_e32(e, host_rsp);
	diff_ebytes(e, "\x41\x5f\x41\x5e\x41\x5d\x41\x5c\x5d\x5b\xfc\xc3", 12);
}

void diff_emit_load_context(struct diff_emit *e, uint64_t ctx)
{
	diff_ebytes(e, "\x48\xc7\xc4", 3);                 /* mov rsp, ctx */
	diff_e32(e, ctx);
	diff_e8(e, 0x9d);                                  /* popfq */
	diff_ebytes(e, "\x58\x59\x5a\x5b", 4);             /* rax rcx rdx rbx */
	diff_ebytes(e, "\x48\x8d\x64\x24\x08", 5);         /* skip rsp */
	diff_ebytes(e, "\x5d\x5e\x5f", 3);                 /* rbp rsi rdi */
	for (unsigned r = 0; r < 8; r++) {                 /* r8-r15 */
		diff_e8(e, 0x41);
		diff_e8(e, 0x58 + r);
	}
	diff_ebytes(e, "\x48\x8b\x24\x25", 4);             /* mov rsp, [slot] */
	diff_e32(e, ctx + 8 * (1 + REG_RSP));
}

void diff_emit_store_context(struct diff_emit *e, uint64_t ctx)
{
	diff_ebytes(e, "\x48\x89\x24\x25", 4);             /* mov [slot], rsp */
	diff_e32(e, ctx + 8 * (1 + REG_RSP));
	diff_ebytes(e, "\x48\xc7\xc4", 3);                 /* mov rsp, end */
	diff_e32(e, ctx + DIFF_CTX_SIZE);
	for (int r = 7; r >= 0; r--) {                     /* r15-r8 */
		diff_e8(e, 0x41);
		diff_e8(e, 0x50 + (unsigned)r);
	}
	diff_ebytes(e, "\x57\x56\x55", 3);                 /* rdi rsi rbp */
	diff_ebytes(e, "\x48\x8d\x64\x24\xf8", 5);         /* skip rsp */
	diff_ebytes(e, "\x53\x52\x51\x50\x9c", 5);         /* ... rax; pushfq */
}

void diff_context_put(uint64_t ctx, uint64_t flags, const uint64_t gpr[16])
{
	uint8_t *p = diff_at(ctx);
	memcpy(p, &flags, 8);
	memcpy(p + 8, gpr, 16 * 8);
}

void diff_context_get(uint64_t ctx, uint64_t *flags, uint64_t gpr[16])
{
	const uint8_t *p = diff_at(ctx);
	memcpy(flags, p, 8);
	memcpy(gpr, p + 8, 16 * 8);
}

/* ---- Simulated side ---- */

#define PT_BASE 0x1000u             /* PML4, PDPT, PD, PT */

uint8_t *diff_ram;
static struct code_cache *code_cache;

static uint8_t *bus_ram_page(void *ctx, uint64_t pa)
{
	(void)ctx;
	return pa < DIFF_RAM_SIZE ? diff_ram + (pa & ~0xfffull) : NULL;
}

static uint64_t bus_mmio_read(void *ctx, uint64_t pa, unsigned size)
{
	(void)ctx, (void)pa;
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static void bus_mmio_write(void *ctx, uint64_t pa, unsigned size, uint64_t v)
{
	(void)ctx, (void)pa, (void)size, (void)v;
}

static uint32_t bus_port_in(void *ctx, uint16_t port, unsigned size)
{
	(void)ctx, (void)port, (void)size;
	return ~0u;
}

static void bus_port_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	(void)ctx, (void)port, (void)size, (void)v;
}

static int bus_intr_ack(void *ctx)
{
	(void)ctx;
	return -1;
}

static void bus_shutdown(void *ctx, const char *why)
{
	(void)ctx;
	fprintf(stderr, "%s: simulated CPU shut down: %s\n", prog, why);
}

static const struct bus_ops test_bus_ops = {
	.ram_page = bus_ram_page, .mmio_read = bus_mmio_read,
	.mmio_write = bus_mmio_write, .port_in = bus_port_in,
	.port_out = bus_port_out, .intr_ack = bus_intr_ack,
	.shutdown = bus_shutdown,
};
static const struct bus test_bus = { &test_bus_ops, NULL };

static void put64(uint64_t pa, uint64_t v)
{
	memcpy(diff_ram + pa, &v, 8);
}

/* 4-KiB pages map linear base + x to physical DIFF_REGION_PA + x, user
 * and writable. */
static void sim_setup(uint64_t base, uint64_t size)
{
	diff_ram = aligned_alloc(4096, DIFF_RAM_SIZE);
	code_cache = code_cache_create(DIFF_RAM_SIZE);
	if (!diff_ram || !code_cache) {
		fprintf(stderr, "%s: cannot create the simulated machine\n",
			prog);
		exit(2);
	}
	memset(diff_ram, 0, DIFF_RAM_SIZE);
	const uint64_t u = 7; /* P, R/W, U/S */
	put64(PT_BASE, (PT_BASE + 0x1000) | u);
	put64(PT_BASE + 0x1000 + 8 * ((base >> 30) & 511),
	      (PT_BASE + 0x2000) | u);
	put64(PT_BASE + 0x2000 + 8 * ((base >> 21) & 511),
	      (PT_BASE + 0x3000) | u);
	for (unsigned k = 0; k < size / 4096; k++)
		put64(PT_BASE + 0x3000 + 8 * (((base >> 12) & 511) + k),
		      (DIFF_REGION_PA + 4096ull * k) | u);
}

struct cpu *diff_sim_cpu(const struct cpu_model *model, unsigned apic_id)
{
	struct cpu *c = cpu_create(&test_bus, code_cache, model, apic_id);
	if (!c) {
		fprintf(stderr, "%s: cannot create the CPU\n", prog);
		exit(2);
	}
	return c;
}

void diff_sim_user64(struct cpu *c, uint64_t cr0, uint64_t cr4, uint16_t cs,
		     uint16_t ds)
{
	c->cr3 = PT_BASE;
	c->cr4 = cr4;
	c->efer = (1u << 8) | (1u << 10);          /* LME, LMA */
	c->cr0 = cr0;
	c->seg[SEG_CS] = (struct seg){ 0, 0xffffffff,
		0xfb | SEG_ATTR_L | SEG_ATTR_G, cs };
	for (int s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			c->seg[s] = (struct seg){ 0, 0xffffffff,
				0xf3 | SEG_ATTR_DB | SEG_ATTR_G, ds };
	c->cpl = 3;
	tlb_flush_all(c);
}

int diff_sim_exec(struct cpu *c, const uint8_t *bytes, unsigned len,
		  uint64_t rip, int *id)
{
	struct insn i;
	memset(&i, 0, sizeof(i));
	c->rip = rip;
	c->next_rip = rip + len;
	int n = decode_insn(&i, bytes, len, cpu_code_size(c));
	if (id)
		*id = n > 0 ? i.id : -1;
	if (n != (int)len)
		return DIFF_BAD_LENGTH;
	if (!i.fn)
		return DIFF_NO_HANDLER;
	jmp_buf env;
	int fault = -1;
	c->fault_env = &env;
	if (setjmp(env) == 0)
		i.fn(c, &i);
	else
		fault = c->fault.vector;
	c->fault_env = NULL;
	return fault;
}

static bool covered[INSN_COUNT];

void diff_cover(int id)
{
	if (id >= 0 && id < INSN_COUNT)
		covered[id] = true;
}

unsigned diff_forms_covered(void)
{
	unsigned n = 0;
	for (unsigned k = 0; k < INSN_COUNT; k++)
		n += covered[k];
	return n;
}

void diff_setup(const char *name, uint64_t base, uint64_t size)
{
	prog = name;
	if (!impl_ADD_EbGb.fn[0][0]) {
		/* cpu/insn_table.c's weak all-NULL defaults were linked
		 * instead of the group files' tables. */
		fprintf(stderr, "%s: the instruction handlers are not linked "
			"in (weak defaults won; link the library with "
			"--whole-archive)\n", prog);
		exit(2);
	}
	native_setup(base, size);
	sim_setup(base, size);
}

/* ---- Random numbers ---- */

static uint64_t rng = 1;

void diff_seed(uint64_t s)
{
	rng = s;
}

uint64_t diff_rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng * 0x2545f4914f6cdd1dull;
}

unsigned diff_rndn(unsigned n)
{
	return (unsigned)(diff_rnd() % n);
}

/* ---- Encoding a memory operand ---- */

unsigned diff_rnd_disp(int64_t *disp)
{
	*disp = diff_rndn(2) ? (int)diff_rndn(256) - 128 :
		(int)diff_rndn(0x2000) - 0x1000;
	return *disp >= -128 && *disp < 128 && diff_rndn(4) ? 1 : 4;
}

struct diff_mem_enc diff_encode_mem(unsigned base, bool use_index,
				    unsigned index, unsigned scale)
{
	struct diff_mem_enc m = { base & 7, false, 0, 0 };
	if (use_index || (base & 7) == 4) {
		m.has_sib = true;
		m.rm = 4;
		m.sib = scale << 6 | (use_index ? index & 7 : 4) << 3 |
			(base & 7);
		if (use_index && index > 7)
			m.rex |= 2;
	}
	if (base > 7)
		m.rex |= 1;
	return m;
}

/* ---- Command line and report ---- */

bool diff_parse_args(struct diff_args *a, int argc, char **argv)
{
	for (int k = 1; k < argc; k++) {
		bool value = k + 1 < argc;
		if (!strcmp(argv[k], "--cases") && value)
			a->cases = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--seed") && value)
			a->seed = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--print") && value)
			a->print = strtoull(argv[++k], NULL, 0);
		else if (a->extra && !strncmp(argv[k], "--", 2) &&
			 !strcmp(argv[k] + 2, a->extra) && value)
			a->extra_value = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--verbose"))
			a->verbose = true;
		else {
			fprintf(stderr, "usage: %s [--cases N] [--seed S] "
				"[--print N]%s%s%s [--verbose]\n", argv[0],
				a->extra ? " [--" : "", a->extra ? a->extra : "",
				a->extra ? " N]" : "");
			return false;
		}
	}
	return true;
}

const char *const diff_reg_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

void diff_print_bytes(const uint8_t *b, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		printf(" %02x", b[k]);
}

int diff_summary(const char *what, unsigned forms, uint64_t cases,
		 uint64_t mismatches)
{
	printf("SUMMARY: %s diff: %u forms covered, %" PRIu64 " cases run, %"
	       PRIu64 " mismatches\n", what, forms, cases, mismatches);
	return mismatches ? 1 : 0;
}

int diff_run(const char *what, const struct diff_args *a, size_t rows,
	     const char *(*row_name)(size_t row), diff_case_fn *one)
{
	uint64_t *runs = calloc(rows, sizeof(*runs));
	uint64_t *faults = calloc(rows, sizeof(*faults));
	if (!runs || !faults) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 2;
	}
	uint64_t mismatches = 0;
	for (uint64_t k = 0; k < a->cases; k++) {
		size_t row;
		int host_fault;
		if (one(mismatches < a->print, &row, &host_fault))
			mismatches++;
		runs[row]++;
		if (host_fault >= 0)
			faults[row]++;
	}
	if (a->verbose)
		for (size_t r = 0; r < rows; r++)
			printf("  %-18s %8" PRIu64 " cases %6" PRIu64
			       " faults\n", row_name(r), runs[r], faults[r]);
	free(runs);
	free(faults);
	return diff_summary(what, diff_forms_covered(), a->cases, mismatches);
}
