/* Differential test of the unprivileged general-purpose instructions
 * against the host CPU. Each case encodes one instruction form with random
 * registers, flags and memory, runs the bytes natively (in an RWX page at a
 * fixed address, 64-bit or, for the legacy-only forms, in a 32-bit code
 * segment reached by a far call) and in the simulator (decode_insn, then
 * the handler on a CPU in 64-bit mode with paging mapping the same
 * addresses), and compares every register, the arithmetic flags, DF and
 * the scratch memory. Faults (#DE, #GP) must happen on both sides and
 * leave the state unchanged. Undefined flags are compared too: the host
 * is the oracle.
 *
 *   alu_diff [--cases N] [--seed S] [--print N] [--verbose]
 *
 * --print N shows the first N mismatches (20 by default); --verbose lists
 * cases and host faults per form.
 *
 * Prints "SUMMARY: alu diff: N forms covered, M cases run, K mismatches"
 * and exits non-zero on any mismatch. */
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "cpu/cpu.h"
#include "cpu/fault.h"
#include "cpu/decode.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mem.h"
#include "cpu/state.h"
#include "tests/diff/alu_forms.h"

/* ---- Native side: one fixed region shared by code, context and data. */

#define REGION 0x10000000ull
#define REGION_SIZE 0x10000ull
#define CODE64 (REGION + 0x0000)
#define CODE32 (REGION + 0x0800)
#define CTX_IN (REGION + 0x1000)    /* rflags, then 16 GPRs */
#define CTX_OUT (REGION + 0x1100)
#define HOST_RSP (REGION + 0x1200)
#define FARPTR (REGION + 0x1208)
#define MARK (REGION + 0x1210)      /* set by a taken branch */
#define STACK32_TOP (REGION + 0x3000)
#define SCR (REGION + 0x4000)       /* scratch memory, compared */
#define SCR_SIZE 0x1000u
#define SCR_STACK (SCR + 0xe00)     /* stack tests push below this */

#define USER32_CS 0x23
#define ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

struct regs {
	uint64_t gpr[16];
	uint64_t flags;
};

struct outcome {
	struct regs r;
	int fault;                  /* vector, or -1 */
	bool taken;                 /* branch forms */
	uint8_t scr[SCR_SIZE];
};

static uint8_t *region;
static sigjmp_buf native_env;
static volatile int native_vector;
static volatile uint64_t native_fault_gpr[16], native_fault_flags;

static void on_signal(int sig, siginfo_t *si, void *uc_)
{
	(void)si;
	ucontext_t *uc = uc_;
	greg_t *g = uc->uc_mcontext.gregs;
	/* glibc's gregs layout (its REG_* names clash with ours). */
	static const int order[16] = { 13, 14, 12, 11, 15, 10, 9, 8,
				       0, 1, 2, 3, 4, 5, 6, 7 };
	enum { GREG_EFL = 17, GREG_TRAPNO = 20 };
	for (int r = 0; r < 16; r++)
		native_fault_gpr[r] = (uint64_t)g[order[r]];
	native_fault_flags = (uint64_t)g[GREG_EFL];
	native_vector = sig == SIGFPE ? EXC_DE : (int)g[GREG_TRAPNO];
	siglongjmp(native_env, 1);
}

static void native_setup(void)
{
	region = mmap((void *)REGION, REGION_SIZE,
		      PROT_READ | PROT_WRITE | PROT_EXEC,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (region != (uint8_t *)REGION) {
		perror("alu_diff: mmap of the test region");
		exit(2);
	}
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
	uint32_t off = (uint32_t)CODE32;
	uint16_t sel = USER32_CS;
	memcpy(region + (FARPTR - REGION), &off, 4);
	memcpy(region + (FARPTR - REGION) + 4, &sel, 2);
}

struct emit {
	uint8_t *p;
};

static void e8(struct emit *e, unsigned b)
{
	*e->p++ = (uint8_t)b;
}

static void e32(struct emit *e, uint64_t v)
{
	uint32_t x = (uint32_t)v;
	memcpy(e->p, &x, 4);
	e->p += 4;
}

static void ebytes(struct emit *e, const char *s, unsigned n)
{
	memcpy(e->p, s, n);
	e->p += n;
}

static uint64_t *ctx(uint64_t addr)
{
	return (uint64_t *)(region + (addr - REGION));
}

/* push rbx rbp r12-r15; mov [HOST_RSP], rsp */
static void emit_prologue(struct emit *e)
{
	ebytes(e, "\x53\x55\x41\x54\x41\x55\x41\x56\x41\x57", 10);
	ebytes(e, "\x48\x89\x24\x25", 4);
	e32(e, HOST_RSP);
}

/* mov rsp, [HOST_RSP]; pop r15-r12 rbp rbx; ret */
static void emit_epilogue(struct emit *e)
{
	ebytes(e, "\x48\x8b\x24\x25", 4);
	e32(e, HOST_RSP);
	ebytes(e, "\x41\x5f\x41\x5e\x41\x5d\x41\x5c\x5d\x5b\xc3", 11);
}

/* Builds the 64-bit stub around the instruction: load flags and GPRs
 * from CTX_IN, run it, store them to CTX_OUT. A branch under test jumps
 * over a short jump to a store that marks it taken. */
static void native_build64(const uint8_t *insn, unsigned len, bool branch)
{
	struct emit e = { region + (CODE64 - REGION) };
	emit_prologue(&e);
	ebytes(&e, "\x48\xc7\xc4", 3);
	e32(&e, CTX_IN);
	e8(&e, 0x9d);                              /* popfq */
	ebytes(&e, "\x58\x59\x5a\x5b", 4);         /* rax rcx rdx rbx */
	ebytes(&e, "\x48\x8d\x64\x24\x08", 5);     /* skip rsp */
	ebytes(&e, "\x5d\x5e\x5f", 3);
	for (unsigned r = 0; r < 8; r++) {
		e8(&e, 0x41);
		e8(&e, 0x58 + r);
	}
	ebytes(&e, "\x48\x8b\x24\x25", 4);
	e32(&e, CTX_IN + 8 * 5);
	memcpy(e.p, insn, len);
	e.p += len;
	if (branch) {
		ebytes(&e, "\xeb\x08", 2);
		ebytes(&e, "\xc6\x04\x25", 3);
		e32(&e, MARK);
		e8(&e, 1);
	}
	ebytes(&e, "\x48\x89\x24\x25", 4);
	e32(&e, CTX_OUT + 8 * 5);
	ebytes(&e, "\x48\xc7\xc4", 3);
	e32(&e, CTX_OUT + 8 * 17);
	for (int r = 7; r >= 0; r--) {
		e8(&e, 0x41);
		e8(&e, 0x50 + r);
	}
	ebytes(&e, "\x57\x56\x55", 3);
	ebytes(&e, "\x48\x8d\x64\x24\xf8", 5);     /* skip rsp */
	ebytes(&e, "\x53\x52\x51\x50\x9c\xfc", 6); /* ...pushfq; cld */
	emit_epilogue(&e);
}

/* The 32-bit variant: a far call through FARPTR to CODE32, which loads
 * EFLAGS and the eight 32-bit registers but ESP, runs the instruction,
 * stores them and returns with RETF. */
static void native_build32(const uint8_t *insn, unsigned len)
{
	static const uint8_t modrm[8] = { 0x05, 0x0d, 0x15, 0x1d, 0,
					  0x2d, 0x35, 0x3d };
	struct emit e = { region + (CODE64 - REGION) };
	emit_prologue(&e);
	ebytes(&e, "\x48\xc7\xc4", 3);
	e32(&e, STACK32_TOP);
	ebytes(&e, "\xff\x1c\x25", 3);             /* lcall [FARPTR] */
	e32(&e, FARPTR);
	emit_epilogue(&e);

	e.p = region + (CODE32 - REGION);
	/* A 64-bit process may run with null DS and ES, which fault in
	 * a 32-bit segment: load the flat user data selector (SS's). */
	ebytes(&e, "\x8c\xd0\x8e\xd8\x8e\xc0", 6); /* mov eax,ss; ds,es */
	ebytes(&e, "\xff\x35", 2);                 /* push dword [CTX_IN] */
	e32(&e, CTX_IN);
	e8(&e, 0x9d);                              /* popfd */
	for (unsigned r = 0; r < 8; r++) {
		if (r == REG_RSP)
			continue;
		e8(&e, 0x8b);
		e8(&e, modrm[r]);
		e32(&e, CTX_IN + 8 * (r + 1));
	}
	memcpy(e.p, insn, len);
	e.p += len;
	for (unsigned r = 0; r < 8; r++) {
		if (r == REG_RSP)
			continue;
		e8(&e, 0x89);
		e8(&e, modrm[r]);
		e32(&e, CTX_OUT + 8 * (r + 1));
	}
	e8(&e, 0x9c);                              /* pushfd */
	ebytes(&e, "\x8f\x05", 2);                 /* pop dword [CTX_OUT] */
	e32(&e, CTX_OUT);
	ebytes(&e, "\xfc\xcb", 2);                 /* cld; retf */
}

static void native_run(const uint8_t *insn, unsigned len, bool mode32,
		       bool branch, const struct regs *in,
		       const uint8_t *scr_in, struct outcome *out)
{
	if (mode32)
		native_build32(insn, len);
	else
		native_build64(insn, len, branch);
	uint64_t *ci = ctx(CTX_IN), *co = ctx(CTX_OUT);
	ci[0] = in->flags;
	memcpy(ci + 1, in->gpr, sizeof(in->gpr));
	memset(co, 0, 17 * 8);
	*ctx(MARK) = 0;
	memcpy(region + (SCR - REGION), scr_in, SCR_SIZE);
	out->fault = -1;
	if (sigsetjmp(native_env, 1) == 0) {
		((void (*)(void))(uintptr_t)CODE64)();
		out->r.flags = co[0];
		memcpy(out->r.gpr, co + 1, sizeof(out->r.gpr));
		if (mode32)
			out->r.gpr[REG_RSP] = in->gpr[REG_RSP];
	} else {
		out->fault = native_vector;
		memcpy(out->r.gpr, (const void *)native_fault_gpr,
		       sizeof(out->r.gpr));
		out->r.flags = native_fault_flags;
		if (mode32)
			out->r.gpr[REG_RSP] = in->gpr[REG_RSP];
	}
	out->taken = *(volatile uint8_t *)ctx(MARK) != 0;
	memcpy(out->scr, region + (SCR - REGION), SCR_SIZE);
}

/* ---- Simulated side: a CPU on a small RAM bus. The region's pages are
 * mapped by 4-KiB page tables at the same linear addresses. */

#define RAM_SIZE 0x400000u
#define PT_BASE 0x1000u             /* PML4, PDPT, PD, PT */
#define REGION_PA 0x200000u

static uint8_t *ram;

static uint8_t *bus_ram_page(void *ctx_, uint64_t pa)
{
	(void)ctx_;
	return pa < RAM_SIZE ? ram + (pa & ~0xfffull) : NULL;
}

static uint64_t bus_mmio_read(void *ctx_, uint64_t pa, unsigned size)
{
	(void)ctx_;
	(void)pa;
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static void bus_mmio_write(void *ctx_, uint64_t pa, unsigned size,
			   uint64_t v)
{
	(void)ctx_, (void)pa, (void)size, (void)v;
}

static uint32_t bus_port_in(void *ctx_, uint16_t port, unsigned size)
{
	(void)ctx_, (void)port, (void)size;
	return ~0u;
}

static void bus_port_out(void *ctx_, uint16_t port, unsigned size,
			 uint32_t v)
{
	(void)ctx_, (void)port, (void)size, (void)v;
}

static int bus_intr_ack(void *ctx_)
{
	(void)ctx_;
	return -1;
}

static void bus_shutdown(void *ctx_, const char *why)
{
	(void)ctx_;
	fprintf(stderr, "alu_diff: simulated CPU shut down: %s\n", why);
}

static const struct bus_ops test_bus_ops = {
	.ram_page = bus_ram_page,
	.mmio_read = bus_mmio_read,
	.mmio_write = bus_mmio_write,
	.port_in = bus_port_in,
	.port_out = bus_port_out,
	.intr_ack = bus_intr_ack,
	.shutdown = bus_shutdown,
};
static const struct bus test_bus = { &test_bus_ops, NULL };

static struct cpu *cpu64, *cpu32;

static void put64(uint64_t pa, uint64_t v)
{
	memcpy(ram + pa, &v, 8);
}

static void sim_setup(void)
{
	ram = aligned_alloc(4096, RAM_SIZE);
	memset(ram, 0, RAM_SIZE);
	struct code_cache *cc = code_cache_create(RAM_SIZE);
	cpu64 = cpu_create(&test_bus, cc, NULL, 0);
	cpu32 = cpu_create(&test_bus, cc, NULL, 1);
	if (!cc || !cpu64 || !cpu32) {
		fprintf(stderr, "alu_diff: cannot create the CPUs\n");
		exit(2);
	}
	/* Identity of layout: linear REGION + x -> physical REGION_PA + x,
	 * user-accessible and writable. */
	const uint64_t u = 7; /* P, R/W, U/S */
	put64(PT_BASE, (PT_BASE + 0x1000) | u);
	put64(PT_BASE + 0x1000 + 8 * ((REGION >> 30) & 511),
	      (PT_BASE + 0x2000) | u);
	put64(PT_BASE + 0x2000 + 8 * ((REGION >> 21) & 511),
	      (PT_BASE + 0x3000) | u);
	for (unsigned k = 0; k < REGION_SIZE / 4096; k++)
		put64(PT_BASE + 0x3000 + 8 * (((REGION >> 12) & 511) + k),
		      (REGION_PA + 4096ull * k) | u);

	struct cpu *c = cpu64;
	c->cr3 = PT_BASE;
	c->cr4 = 1u << 5;                          /* PAE */
	c->efer = (1u << 8) | (1u << 10);          /* LME, LMA */
	c->cr0 = 0x80000011u;                      /* PG, ET, PE */
	c->seg[SEG_CS] = (struct seg){ 0, 0xffffffff,
		0xfb | SEG_ATTR_L | SEG_ATTR_G, 0x33 };
	for (int s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			c->seg[s] = (struct seg){ 0, 0xffffffff,
				0xf3 | SEG_ATTR_DB | SEG_ATTR_G, 0x2b };
	c->cpl = 3;
	tlb_flush_all(c);
	cpu_enter_flat_protected_mode(cpu32);
}

static void sim_run(const uint8_t *insn, unsigned len, bool mode32,
		    const struct regs *in, const uint8_t *scr_in,
		    struct outcome *out, int *id, uint64_t rip)
{
	struct cpu *c = mode32 ? cpu32 : cpu64;
	struct insn i;
	memset(&i, 0, sizeof(i));
	out->fault = -1;
	out->taken = false;
	memcpy(ram + REGION_PA + (SCR - REGION), scr_in, SCR_SIZE);
	memcpy(c->gpr, in->gpr, sizeof(c->gpr));
	c->rflags = 2;
	flags_write(c, in->flags, ~0ull);
	int n = decode_insn(&i, insn, len, mode32 ? 4 : 8);
	*id = n > 0 ? i.id : -1;
	if (n != (int)len || !i.fn) {
		out->fault = 100; /* decoder disagreement, never a match */
	} else {
		jmp_buf env;
		c->rip = rip;
		c->next_rip = rip + len;
		c->fault_env = &env;
		if (setjmp(env) == 0)
			i.fn(c, &i);
		else
			out->fault = c->fault.vector;
		c->fault_env = NULL;
		out->taken = c->next_rip != rip + len;
	}
	memcpy(out->r.gpr, c->gpr, sizeof(c->gpr));
	out->r.flags = flags_read(c);
	memcpy(out->scr, ram + REGION_PA + (SCR - REGION), SCR_SIZE);
}

/* ---- The encoder (forms in tests/diff/alu_forms.h). */

#define N_FORMS (sizeof(forms) / sizeof(forms[0]))

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng * 0x2545f4914f6cdd1dull;
}

static unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* A register value with the edge cases of every width well represented. */
static uint64_t rnd_value(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull,
		0x8000000000000000ull, ~0ull, 9, 10, 0x99, 0x0f, 0xf0,
	};
	switch (rndn(6)) {
	case 0: return edge[rndn(sizeof(edge) / sizeof(edge[0]))];
	case 1: return rnd() >> rndn(64);
	case 2: return (rnd() & ~0xffull) | edge[rndn(sizeof(edge) / 8)];
	default: return rnd();
	}
}

struct enc {
	uint8_t b[16];
	unsigned n;
};

static void put(struct enc *e, uint64_t v, unsigned bytes)
{
	for (unsigned k = 0; k < bytes; k++)
		e->b[e->n++] = (uint8_t)(v >> (8 * k));
}

struct testcase {
	const struct form *f;
	unsigned width;     /* bytes */
	bool mem;
	struct enc e;
	struct regs in;
	uint8_t scr[SCR_SIZE];
};

/* Random register number, not RSP, not in avoid (a mask). */
static unsigned pick_reg(unsigned limit, uint32_t avoid)
{
	for (;;) {
		unsigned r = rndn(limit);
		if (r != REG_RSP && !((avoid >> r) & 1))
			return r;
	}
}

/* The full register an 8-bit register number writes (AH..BH -> 0..3). */
static unsigned reg8_home(unsigned r, bool legacy)
{
	return legacy && r >= 4 && r < 8 ? r - 4 : r;
}

static void gen_case(struct testcase *t)
{
	const struct form *f = &forms[rndn(N_FORMS)];
	unsigned wbits[4], nw = 0;
	for (unsigned k = 0; k < 4; k++)
		if (f->widths & (1u << k))
			wbits[nw++] = 1u << k;
	unsigned w = wbits[rndn(nw)];
	bool mem = (f->kind & K_M) && (!(f->kind & K_R) || rndn(2));
	struct regs *in = &t->in;
	struct enc *e = &t->e;
	t->f = f;
	t->width = w;
	t->mem = mem;
	e->n = 0;

	for (unsigned k = 0; k < SCR_SIZE; k += 8) {
		uint64_t v = rnd_value();
		memcpy(t->scr + k, &v, 8);
	}
	for (unsigned r = 0; r < 16; r++)
		in->gpr[r] = rnd_value();
	in->gpr[REG_RSP] = SCR_STACK - 8 * rndn(16);
	in->flags = 2 | (rnd() & ARITH);
	if ((f->kind & K_DF) && rndn(2))
		in->flags |= FLAG_DF;

	/* Prefixes: 66 for 16-bit (before a mandatory F3/F2), 67 sometimes
	 * for memory and string forms. */
	bool a32 = ((f->kind & (K_STR | K_MOFFS | K_LOOP)) || (mem && !(f->kind &
		    (K_STACK | K_BTMEM)))) && rndn(4) == 0;
	bool legacy8 = w == 1 && rndn(2);
	unsigned rex = 0;
	if (w == 2 && !(f->kind & K_32))
		e->b[e->n++] = 0x66;
	if (f->pfx)
		e->b[e->n++] = f->pfx;
	if (a32)
		e->b[e->n++] = 0x67;
	unsigned rep = 0;
	if (f->kind & K_STR) {
		rep = rndn(3);          /* none, F3, F2 */
		if (rep)
			e->b[e->n++] = rep == 1 ? 0xf3 : 0xf2;
	}
	if (w == 8 && !(f->kind & (K_STACK | K_BR)))
		rex |= 8;

	/* Operands. */
	unsigned g = 0, rmr = 0;
	uint32_t avoid = f->imp;
	if (f->enc == ENC_G) {
		g = legacy8 ? rndn(8) : pick_reg(16, 0);
		if (legacy8 && g == REG_RSP)
			g = 4; /* AH is fine: only SPL is excluded */
		avoid |= 1u << reg8_home(g, legacy8) | 1u << g;
	}
	if (f->enc == ENC_Z) {
		rmr = legacy8 ? rndn(8) : pick_reg(16, 0);
		if ((f->kind & K_STACK) && rndn(8) == 0)
			rmr = REG_RSP;  /* push rsp / pop rsp */
	}
	if (!mem && f->enc != ENC_NONE && f->enc != ENC_Z)
		rmr = legacy8 ? rndn(8) : pick_reg(16, 0);

	/* Values that make a form interesting, set before the address
	 * registers so that those keep their pointers. */
	if ((f->kind & K_CNT) && rndn(4) != 0)
		in->gpr[REG_RCX] = (in->gpr[REG_RCX] & ~0xffull) |
				   rndn(rndn(2) ? 2 * w * 8 + 2 : 256);
	if ((f->kind & K_DIV) && rndn(4) != 0) {
		/* A dividend whose upper half is a small value or the sign
		 * of the lower half mostly avoids quotient overflow. */
		bool neg = rndn(2);
		if (w == 1)
			in->gpr[REG_RAX] = (in->gpr[REG_RAX] & ~0xff00ull) |
					   (neg ? 0xff00 : 0);
		else
			in->gpr[REG_RDX] = neg ? ~0ull : 0;
	}
	if (f->kind & K_STR) {
		in->gpr[REG_RSI] = SCR + 0x100 + rndn(0x400);
		in->gpr[REG_RDI] = SCR + 0x700 + rndn(0x400);
		if (rep)
			in->gpr[REG_RCX] = rndn(10);
		if (a32) {
			in->gpr[REG_RSI] |= rnd() << 32;
			in->gpr[REG_RDI] |= rnd() << 32;
			in->gpr[REG_RCX] |= rnd() << 32;
		}
		if (rndn(4) == 0 && (f->op[0] == 0xa6 || f->op[0] == 0xa7))
			memcpy(t->scr + (in->gpr[REG_RDI] - SCR) % SCR_SIZE,
			       t->scr + (in->gpr[REG_RSI] - SCR) % SCR_SIZE, 16);
	}
	if (f->kind & K_XLAT)
		in->gpr[REG_RBX] = SCR + rndn(0xd00);
	if (f->kind & K_LOOP)
		in->gpr[REG_RCX] = rndn(2) ? rndn(3) : rnd_value();
	if (f->kind & K_STACK) {
		in->gpr[REG_RBP] = SCR + 0xa00 + 8 * rndn(32);
		if (rndn(4) == 0)
			in->gpr[REG_RSP] -= rndn(8);
	}
	if ((f->kind & K_BTMEM) && mem)
		in->gpr[g] = (uint64_t)(int64_t)((int)rndn(4096) - 2048);

	/* ModRM memory operand: base (+ index) + displacement at a target
	 * inside the scratch area. */
	unsigned modrm_rm = rmr & 7, mod = 3, sib = 0, disp_bytes = 0;
	bool has_sib = false;
	int64_t disp = 0;
	if (mem) {
		uint64_t target = SCR + 0x100 + rndn(0xb00);
		if (f->kind & K_BTMEM)
			target = SCR + 0x400 + rndn(0x600);
		if (f->kind & K_A16)
			target = rndn(8) ? target & ~15ull : target;
		unsigned lim = legacy8 ? 8 : 16;
		bool rsp_base = (f->kind & K_STACK) && rndn(3) == 0;
		unsigned base = rsp_base ? REG_RSP : pick_reg(lim, avoid);
		bool use_index = !rsp_base && rndn(3) == 0;
		unsigned idx = use_index ? pick_reg(lim, avoid | 1u << base) : 0;
		unsigned scale = rndn(4);
		uint64_t idx_val = use_index ? rndn(16) : 0;
		disp = rndn(2) ? (int)rndn(256) - 128 : (int)rndn(0x2000) - 0x1000;
		disp_bytes = (disp >= -128 && disp < 128 && rndn(4)) ? 1 : 4;
		mod = disp_bytes == 1 ? 1 : 2;
		if (rsp_base) {
			/* POP Ev computes the address with the incremented
			 * rSP (SDM Vol. 2B POP). */
			uint64_t sp = in->gpr[REG_RSP];
			if (f->op[0] == 0x8f)
				sp += w;
			disp = (int64_t)(target - sp) % 128;
			disp_bytes = 1;
			mod = 1;
		} else {
			in->gpr[base] = target - (uint64_t)disp - (idx_val << scale);
			if (use_index)
				in->gpr[idx] = idx_val;
			if (a32)
				in->gpr[base] = (in->gpr[base] & 0xffffffffu) |
						rnd() << 32;
		}
		if (use_index || (base & 7) == 4) {
			has_sib = true;
			modrm_rm = 4;
			sib = scale << 6 | (use_index ? idx & 7 : 4) << 3 |
			      (base & 7);
			if (!use_index)
				sib &= 0x3f;
			if (use_index && idx > 7)
				rex |= 2;
		} else {
			modrm_rm = base & 7;
		}
		if (base > 7)
			rex |= 1;
	} else if (f->enc != ENC_NONE && rmr > 7) {
		rex |= 1;
	}
	if (f->enc == ENC_G && g > 7)
		rex |= 4;
	if (w == 1 && !legacy8)
		rex |= 0x10; /* force a REX prefix: SPL..DIL, R8B.. */
	if (rex)
		e->b[e->n++] = 0x40 | (rex & 15);

	for (unsigned k = 0; k < f->nop; k++) {
		uint8_t op = f->op[k];
		if (k + 1 == f->nop) {
			if (f->enc == ENC_Z)
				op |= rmr & 7;
			if (!strncmp(f->name, "cmovcc", 6) ||
			    !strncmp(f->name, "setcc", 5) ||
			    !strncmp(f->name, "jcc", 3))
				op |= rndn(16);
		}
		e->b[e->n++] = op;
	}
	if (f->enc >= ENC_G) {
		unsigned reg = f->enc == ENC_G ? g & 7 : (unsigned)f->enc;
		if (!strncmp(f->name, "setcc", 5))
			reg = rndn(8);
		e->b[e->n++] = (uint8_t)(mod << 6 | reg << 3 | modrm_rm);
		if (has_sib)
			e->b[e->n++] = (uint8_t)sib;
		if (mem)
			put(e, (uint64_t)disp, disp_bytes);
	}
	if (f->kind & K_MOFFS)
		put(e, SCR + rndn(0xf00), a32 ? 4 : 8);
	if (f->kind & K_BR)
		put(e, 2, f->op[0] == 0x0f ? 4 : 1);
	switch (f->imm) {
	case I_B: {
		uint64_t v = rnd_value();
		if (f->kind & K_CNT && rndn(2))
			v = rndn(2 * w * 8 + 2);
		if (f->kind & K_32 && rndn(4) == 0)
			v = rndn(3) ? 10 : 0;
		put(e, v, 1);
		break;
	}
	case I_W: put(e, rnd_value(), 2); break;
	case I_Z: put(e, rnd_value(), w == 2 ? 2 : 4); break;
	case I_V: put(e, rnd_value(), w); break;
	case I_WB:
		put(e, rndn(2) ? rndn(64) : rnd(), 2);
		put(e, rndn(4) ? rndn(6) : rnd(), 1);
		break;
	default: break;
	}
}

/* ---- Comparison and reporting. */

static uint64_t cmp_mask(const struct testcase *t)
{
	(void)t;
	return ARITH | FLAG_DF;
}

/* Memory below the stack pointer that a faulting instruction may have
 * written: the host's ENTER stores its pushes before the check of the
 * final rSP faults; the simulator checks first (every store is probed
 * before the first one). Nothing there is architecturally live. */
static bool below_sp_dont_care(const struct testcase *t,
			       const struct outcome *o, unsigned k)
{
	uint64_t a = SCR + k, sp = t->in.gpr[REG_RSP];
	return o->fault >= 0 && (t->f->kind & K_STACK) && a < sp &&
	       a >= sp - 0x200;
}

static bool same_memory(const struct testcase *t, const struct outcome *a,
			const uint8_t *b)
{
	for (unsigned k = 0; k < SCR_SIZE; k++)
		if (a->scr[k] != b[k] && !below_sp_dont_care(t, a, k))
			return false;
	return true;
}

static bool same(const struct testcase *t, const struct outcome *n,
		 const struct outcome *s)
{
	bool m32 = t->f->kind & K_32;
	uint64_t gmask = m32 ? 0xffffffffu : ~0ull;
	if (n->fault != s->fault)
		return false;
	if (((n->r.flags ^ s->r.flags) & cmp_mask(t)) != 0)
		return false;
	for (unsigned r = 0; r < 16; r++) {
		if (m32 && (r >= 8 || r == REG_RSP))
			continue;
		if ((n->r.gpr[r] ^ s->r.gpr[r]) & gmask)
			return false;
	}
	if ((t->f->kind & K_BR) && n->taken != s->taken)
		return false;
	return same_memory(t, n, s->scr);
}

/* A fault must leave the state as it was: registers, flags, memory. */
static bool unchanged(const struct testcase *t, const struct outcome *o)
{
	bool m32 = t->f->kind & K_32;
	uint64_t gmask = m32 ? 0xffffffffu : ~0ull;
	if (o->fault < 0)
		return true;
	if (((o->r.flags ^ t->in.flags) & cmp_mask(t)) != 0)
		return false;
	for (unsigned r = 0; r < (m32 ? 8u : 16u); r++)
		if ((o->r.gpr[r] ^ t->in.gpr[r]) & gmask)
			return false;
	return same_memory(t, o, t->scr);
}

static const char *const reg_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static void print_outcome(const char *who, const struct testcase *t,
			  const struct outcome *o, const struct outcome *other)
{
	printf("    %-6s fault=%d flags=%03" PRIx64 "%s", who, o->fault,
	       o->r.flags & cmp_mask(t),
	       (t->f->kind & K_BR) ? (o->taken ? " taken" : " not-taken") : "");
	for (unsigned r = 0; r < 16; r++)
		if (o->r.gpr[r] != other->r.gpr[r] ||
		    o->r.gpr[r] != t->in.gpr[r])
			printf(" %s=%" PRIx64, reg_names[r], o->r.gpr[r]);
	printf("\n");
	for (unsigned k = 0; k < SCR_SIZE; k++)
		if (o->scr[k] != other->scr[k]) {
			printf("    %-6s memory differs first at scratch+0x%x: "
			       "%02x\n", who, k, o->scr[k]);
			break;
		}
}

static void print_case(const struct testcase *t, const struct outcome *n,
		       const struct outcome *s, const char *reason)
{
	printf("MISMATCH %s (%u-bit, %s)%s%s: bytes", t->f->name, t->width * 8,
	       t->mem ? "mem" : "reg", reason ? ": " : "",
	       reason ? reason : "");
	for (unsigned k = 0; k < t->e.n; k++)
		printf(" %02x", t->e.b[k]);
	printf("\n    input  flags=%03" PRIx64, t->in.flags & cmp_mask(t));
	for (unsigned r = 0; r < 16; r++)
		printf(" %s=%" PRIx64, reg_names[r], t->in.gpr[r]);
	printf("\n");
	print_outcome("host", t, n, s);
	print_outcome("sim", t, s, n);
	if (s->fault >= 0 && s->fault < 32)
		printf("    sim reason: %s\n",
		       (t->f->kind & K_32) ? cpu32->fault.reason
					   : cpu64->fault.reason);
}

int main(int argc, char **argv)
{
	uint64_t cases = 200000, seed = 0x5eed1234abcdull;
	bool verbose = false;
	uint64_t max_print = 20;
	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--cases") && k + 1 < argc)
			cases = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--seed") && k + 1 < argc)
			seed = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--print") && k + 1 < argc)
			max_print = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--verbose"))
			verbose = true;
		else {
			fprintf(stderr, "usage: %s [--cases N] [--seed S] "
				"[--print N] [--verbose]\n", argv[0]);
			return 2;
		}
	}
	rng = seed ? seed : 1;
	if (!impl_ADD_EbGb.fn[0][0]) {
		/* cpu/insn_table.c's weak all-NULL defaults were linked
		 * instead of the group files' tables. */
		fprintf(stderr, "alu_diff: the instruction handlers are not "
			"linked in (weak defaults won; link the library with "
			"--whole-archive)\n");
		return 2;
	}
	native_setup();
	sim_setup();

	static struct testcase t;
	static struct outcome nat, sim;
	static bool covered[INSN_COUNT];
	static uint64_t row_runs[N_FORMS], row_faults[N_FORMS];
	uint64_t mismatches = 0;
	for (uint64_t k = 0; k < cases; k++) {
		gen_case(&t);
		bool m32 = t.f->kind & K_32;
		uint64_t rip = (m32 ? CODE32 : CODE64) + 0x100;
		native_run(t.e.b, t.e.n, m32, t.f->kind & K_BR, &t.in, t.scr,
			   &nat);
		int id;
		sim_run(t.e.b, t.e.n, m32, &t.in, t.scr, &sim, &id, rip);
		if (id >= 0 && id < INSN_COUNT)
			covered[id] = true;
		size_t row = (size_t)(t.f - forms);
		row_runs[row]++;
		if (nat.fault >= 0)
			row_faults[row]++;
		const char *why = NULL;
		if (!same(&t, &nat, &sim))
			why = "outcomes differ";
		else if (!unchanged(&t, &nat) || !unchanged(&t, &sim))
			why = "a fault changed the state";
		if (why) {
			if (mismatches < max_print)
				print_case(&t, &nat, &sim, why);
			mismatches++;
		}
	}
	unsigned nforms = 0;
	for (unsigned k = 0; k < INSN_COUNT; k++)
		nforms += covered[k];
	if (verbose)
		for (size_t r = 0; r < N_FORMS; r++)
			printf("  %-18s %8" PRIu64 " cases %6" PRIu64
			       " faults\n", forms[r].name, row_runs[r],
			       row_faults[r]);
	printf("SUMMARY: alu diff: %u forms covered, %" PRIu64
	       " cases run, %" PRIu64 " mismatches\n", nforms, cases,
	       mismatches);
	return mismatches ? 1 : 0;
}
