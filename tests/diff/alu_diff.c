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
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/regs.h"
#include "cpu/state.h"
#include "tests/diff/alu_forms.h"
#include "tests/diff/lib/harness.h"

/* ---- The region (tests/diff/lib/harness.h): code, contexts, data. */

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

/* Builds the 64-bit stub around the instruction: load flags and GPRs
 * from CTX_IN, run it, store them to CTX_OUT. A branch under test jumps
 * over a short jump to a store that marks it taken. */
static void native_build64(const uint8_t *insn, unsigned len, bool branch)
{
	struct diff_emit e = { diff_at(CODE64) };
	diff_emit_prologue(&e, HOST_RSP);
	diff_emit_load_context(&e, CTX_IN);
	diff_ebytes(&e, insn, len);
	if (branch) {
		diff_ebytes(&e, "\xeb\x08", 2);
		diff_ebytes(&e, "\xc6\x04\x25", 3);
		diff_e32(&e, MARK);
		diff_e8(&e, 1);
	}
	diff_emit_store_context(&e, CTX_OUT);
	diff_emit_epilogue(&e, HOST_RSP);
}

/* The 32-bit variant: a far call through FARPTR to CODE32, which loads
 * EFLAGS and the eight 32-bit registers but ESP, runs the instruction,
 * stores them and returns with RETF. */
static void native_build32(const uint8_t *insn, unsigned len)
{
	static const uint8_t modrm[8] = { 0x05, 0x0d, 0x15, 0x1d, 0,
					  0x2d, 0x35, 0x3d };
	struct diff_emit e = { diff_at(CODE64) };
	diff_emit_prologue(&e, HOST_RSP);
	diff_ebytes(&e, "\x48\xc7\xc4", 3);             /* mov rsp, imm32 */
	diff_e32(&e, STACK32_TOP);
	diff_ebytes(&e, "\xff\x1c\x25", 3);             /* lcall [FARPTR] */
	diff_e32(&e, FARPTR);
	diff_emit_epilogue(&e, HOST_RSP);

	e.p = diff_at(CODE32);
	/* A 64-bit process may run with null DS and ES, which fault in
	 * a 32-bit segment: load the flat user data selector (SS's). */
	diff_ebytes(&e, "\x8c\xd0\x8e\xd8\x8e\xc0", 6); /* mov eax,ss; ds,es */
	diff_ebytes(&e, "\xff\x35", 2);                 /* push dword [CTX_IN] */
	diff_e32(&e, CTX_IN);
	diff_e8(&e, 0x9d);                              /* popfd */
	for (unsigned r = 0; r < 8; r++) {
		if (r == REG_RSP)
			continue;
		diff_e8(&e, 0x8b);
		diff_e8(&e, modrm[r]);
		diff_e32(&e, CTX_IN + 8 * (r + 1));
	}
	diff_ebytes(&e, insn, len);
	for (unsigned r = 0; r < 8; r++) {
		if (r == REG_RSP)
			continue;
		diff_e8(&e, 0x89);
		diff_e8(&e, modrm[r]);
		diff_e32(&e, CTX_OUT + 8 * (r + 1));
	}
	diff_e8(&e, 0x9c);                              /* pushfd */
	diff_ebytes(&e, "\x8f\x05", 2);                 /* pop dword [CTX_OUT] */
	diff_e32(&e, CTX_OUT);
	diff_ebytes(&e, "\xfc\xcb", 2);                 /* cld; retf */
}

static void native_setup(void)
{
	uint32_t off = (uint32_t)CODE32;
	uint16_t sel = USER32_CS;
	memcpy(diff_at(FARPTR), &off, 4);
	memcpy(diff_at(FARPTR) + 4, &sel, 2);
}

static void native_run(const uint8_t *insn, unsigned len, bool mode32,
		       bool branch, const struct regs *in,
		       const uint8_t *scr_in, struct outcome *out)
{
	if (mode32)
		native_build32(insn, len);
	else
		native_build64(insn, len, branch);
	diff_context_put(CTX_IN, in->flags, in->gpr);
	memset(diff_at(CTX_OUT), 0, DIFF_CTX_SIZE);
	*diff_at(MARK) = 0;
	memcpy(diff_at(SCR), scr_in, SCR_SIZE);
	out->fault = diff_native_call(CODE64);
	if (out->fault < 0) {
		diff_context_get(CTX_OUT, &out->r.flags, out->r.gpr);
	} else {
		memcpy(out->r.gpr, diff_fault.gpr, sizeof(out->r.gpr));
		out->r.flags = diff_fault.flags;
	}
	if (mode32)
		out->r.gpr[REG_RSP] = in->gpr[REG_RSP];
	out->taken = *(volatile uint8_t *)diff_at(MARK) != 0;
	memcpy(out->scr, diff_at(SCR), SCR_SIZE);
}

/* ---- Simulated side: the region's pages mapped at the same linear
 * addresses, for a CPU in 64-bit mode and one in 32-bit protected mode. */

static struct cpu *cpu64, *cpu32;

static void sim_setup(void)
{
	cpu64 = diff_sim_cpu(NULL, 0);
	cpu32 = diff_sim_cpu(NULL, 1);
	diff_sim_user64(cpu64, CR0_PG | CR0_ET | CR0_PE, CR4_PAE, 0x33, 0x2b);
	cpu_enter_flat_protected_mode(cpu32);
}

static void sim_run(const uint8_t *insn, unsigned len, bool mode32,
		    const struct regs *in, const uint8_t *scr_in,
		    struct outcome *out, int *id, uint64_t rip)
{
	struct cpu *c = mode32 ? cpu32 : cpu64;
	memcpy(diff_sim_at(SCR), scr_in, SCR_SIZE);
	memcpy(c->gpr, in->gpr, sizeof(c->gpr));
	c->rflags = 2;
	flags_write(c, in->flags, ~0ull);
	out->fault = diff_sim_exec(c, insn, len, rip, id);
	out->taken = c->next_rip != rip + len;
	memcpy(out->r.gpr, c->gpr, sizeof(c->gpr));
	out->r.flags = flags_read(c);
	memcpy(out->scr, diff_sim_at(SCR), SCR_SIZE);
}

/* ---- The encoder (forms in tests/diff/alu_forms.h). */

#define N_FORMS (sizeof(forms) / sizeof(forms[0]))

/* A register value with the edge cases of every width well represented. */
static uint64_t rnd_value(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull,
		0x8000000000000000ull, ~0ull, 9, 10, 0x99, 0x0f, 0xf0,
	};
	switch (diff_rndn(6)) {
	case 0: return edge[diff_rndn(sizeof(edge) / sizeof(edge[0]))];
	case 1: return diff_rnd() >> diff_rndn(64);
	case 2: return (diff_rnd() & ~0xffull) | edge[diff_rndn(sizeof(edge) / 8)];
	default: return diff_rnd();
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
		unsigned r = diff_rndn(limit);
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
	const struct form *f = &forms[diff_rndn(N_FORMS)];
	unsigned wbits[4], nw = 0;
	for (unsigned k = 0; k < 4; k++)
		if (f->widths & (1u << k))
			wbits[nw++] = 1u << k;
	unsigned w = wbits[diff_rndn(nw)];
	bool mem = (f->kind & K_M) && (!(f->kind & K_R) || diff_rndn(2));
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
	in->gpr[REG_RSP] = SCR_STACK - 8 * diff_rndn(16);
	in->flags = 2 | (diff_rnd() & ARITH);
	if ((f->kind & K_DF) && diff_rndn(2))
		in->flags |= FLAG_DF;

	/* Prefixes: 66 for 16-bit (before a mandatory F3/F2), 67 sometimes
	 * for memory and string forms. */
	bool a32 = ((f->kind & (K_STR | K_MOFFS | K_LOOP)) || (mem && !(f->kind &
		    (K_STACK | K_BTMEM)))) && diff_rndn(4) == 0;
	bool legacy8 = w == 1 && diff_rndn(2);
	unsigned rex = 0;
	if (w == 2 && !(f->kind & K_32))
		e->b[e->n++] = 0x66;
	if (f->pfx)
		e->b[e->n++] = f->pfx;
	if (a32)
		e->b[e->n++] = 0x67;
	unsigned rep = 0;
	if (f->kind & K_STR) {
		rep = diff_rndn(3);          /* none, F3, F2 */
		if (rep)
			e->b[e->n++] = rep == 1 ? 0xf3 : 0xf2;
	}
	if (w == 8 && !(f->kind & (K_STACK | K_BR)))
		rex |= 8;

	/* Operands. */
	unsigned g = 0, rmr = 0;
	uint32_t avoid = f->imp;
	if (f->enc == ENC_G) {
		g = legacy8 ? diff_rndn(8) : pick_reg(16, 0);
		if (legacy8 && g == REG_RSP)
			g = 4; /* AH is fine: only SPL is excluded */
		avoid |= 1u << reg8_home(g, legacy8) | 1u << g;
	}
	if (f->enc == ENC_Z) {
		rmr = legacy8 ? diff_rndn(8) : pick_reg(16, 0);
		if ((f->kind & K_STACK) && diff_rndn(8) == 0)
			rmr = REG_RSP;  /* push rsp / pop rsp */
	}
	if (!mem && f->enc != ENC_NONE && f->enc != ENC_Z)
		rmr = legacy8 ? diff_rndn(8) : pick_reg(16, 0);

	/* Values that make a form interesting, set before the address
	 * registers so that those keep their pointers. */
	if ((f->kind & K_CNT) && diff_rndn(4) != 0)
		in->gpr[REG_RCX] = (in->gpr[REG_RCX] & ~0xffull) |
				   diff_rndn(diff_rndn(2) ? 2 * w * 8 + 2 : 256);
	if ((f->kind & K_DIV) && diff_rndn(4) != 0) {
		/* A dividend whose upper half is a small value or the sign
		 * of the lower half mostly avoids quotient overflow. */
		bool neg = diff_rndn(2);
		if (w == 1)
			in->gpr[REG_RAX] = (in->gpr[REG_RAX] & ~0xff00ull) |
					   (neg ? 0xff00 : 0);
		else
			in->gpr[REG_RDX] = neg ? ~0ull : 0;
	}
	if (f->kind & K_STR) {
		in->gpr[REG_RSI] = SCR + 0x100 + diff_rndn(0x400);
		in->gpr[REG_RDI] = SCR + 0x700 + diff_rndn(0x400);
		if (rep)
			in->gpr[REG_RCX] = diff_rndn(10);
		if (a32) {
			in->gpr[REG_RSI] |= diff_rnd() << 32;
			in->gpr[REG_RDI] |= diff_rnd() << 32;
			in->gpr[REG_RCX] |= diff_rnd() << 32;
		}
		if (diff_rndn(4) == 0 && (f->op[0] == 0xa6 || f->op[0] == 0xa7))
			memcpy(t->scr + (in->gpr[REG_RDI] - SCR) % SCR_SIZE,
			       t->scr + (in->gpr[REG_RSI] - SCR) % SCR_SIZE, 16);
	}
	if (f->kind & K_XLAT)
		in->gpr[REG_RBX] = SCR + diff_rndn(0xd00);
	if (f->kind & K_LOOP)
		in->gpr[REG_RCX] = diff_rndn(2) ? diff_rndn(3) : rnd_value();
	if (f->kind & K_STACK) {
		in->gpr[REG_RBP] = SCR + 0xa00 + 8 * diff_rndn(32);
		if (diff_rndn(4) == 0)
			in->gpr[REG_RSP] -= diff_rndn(8);
	}
	if ((f->kind & K_BTMEM) && mem)
		in->gpr[g] = (uint64_t)(int64_t)((int)diff_rndn(4096) - 2048);

	/* ModRM memory operand: base (+ index) + displacement at a target
	 * inside the scratch area. */
	unsigned modrm_rm = rmr & 7, mod = 3, sib = 0, disp_bytes = 0;
	bool has_sib = false;
	int64_t disp = 0;
	if (mem) {
		uint64_t target = SCR + 0x100 + diff_rndn(0xb00);
		if (f->kind & K_BTMEM)
			target = SCR + 0x400 + diff_rndn(0x600);
		if (f->kind & K_A16)
			target = diff_rndn(8) ? target & ~15ull : target;
		unsigned lim = legacy8 ? 8 : 16;
		bool rsp_base = (f->kind & K_STACK) && diff_rndn(3) == 0;
		unsigned base = rsp_base ? REG_RSP : pick_reg(lim, avoid);
		bool use_index = !rsp_base && diff_rndn(3) == 0;
		unsigned idx = use_index ? pick_reg(lim, avoid | 1u << base) : 0;
		unsigned scale = diff_rndn(4);
		uint64_t idx_val = use_index ? diff_rndn(16) : 0;
		disp_bytes = diff_rnd_disp(&disp);
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
						diff_rnd() << 32;
		}
		/* Without an index the SIB byte's scale is 0. */
		struct diff_mem_enc me = diff_encode_mem(base, use_index, idx,
							 use_index ? scale : 0);
		modrm_rm = me.rm;
		has_sib = me.has_sib;
		sib = me.sib;
		rex |= me.rex;
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
				op |= diff_rndn(16);
		}
		e->b[e->n++] = op;
	}
	if (f->enc >= ENC_G) {
		unsigned reg = f->enc == ENC_G ? g & 7 : (unsigned)f->enc;
		if (!strncmp(f->name, "setcc", 5))
			reg = diff_rndn(8);
		e->b[e->n++] = (uint8_t)(mod << 6 | reg << 3 | modrm_rm);
		if (has_sib)
			e->b[e->n++] = (uint8_t)sib;
		if (mem)
			put(e, (uint64_t)disp, disp_bytes);
	}
	if (f->kind & K_MOFFS)
		put(e, SCR + diff_rndn(0xf00), a32 ? 4 : 8);
	if (f->kind & K_BR)
		put(e, 2, f->op[0] == 0x0f ? 4 : 1);
	switch (f->imm) {
	case I_B: {
		uint64_t v = rnd_value();
		if (f->kind & K_CNT && diff_rndn(2))
			v = diff_rndn(2 * w * 8 + 2);
		if (f->kind & K_32 && diff_rndn(4) == 0)
			v = diff_rndn(3) ? 10 : 0;
		put(e, v, 1);
		break;
	}
	case I_W: put(e, rnd_value(), 2); break;
	case I_Z: put(e, rnd_value(), w == 2 ? 2 : 4); break;
	case I_V: put(e, rnd_value(), w); break;
	case I_WB:
		put(e, diff_rndn(2) ? diff_rndn(64) : diff_rnd(), 2);
		put(e, diff_rndn(4) ? diff_rndn(6) : diff_rnd(), 1);
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

static void print_outcome(const char *who, const struct testcase *t,
			  const struct outcome *o, const struct outcome *other)
{
	printf("    %-6s fault=%d flags=%03" PRIx64 "%s", who, o->fault,
	       o->r.flags & cmp_mask(t),
	       (t->f->kind & K_BR) ? (o->taken ? " taken" : " not-taken") : "");
	for (unsigned r = 0; r < 16; r++)
		if (o->r.gpr[r] != other->r.gpr[r] ||
		    o->r.gpr[r] != t->in.gpr[r])
			printf(" %s=%" PRIx64, diff_reg_names[r], o->r.gpr[r]);
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
	diff_print_bytes(t->e.b, t->e.n);
	printf("\n    input  flags=%03" PRIx64, t->in.flags & cmp_mask(t));
	for (unsigned r = 0; r < 16; r++)
		printf(" %s=%" PRIx64, diff_reg_names[r], t->in.gpr[r]);
	printf("\n");
	print_outcome("host", t, n, s);
	print_outcome("sim", t, s, n);
	if (s->fault >= 0 && s->fault < 32)
		printf("    sim reason: %s\n",
		       (t->f->kind & K_32) ? cpu32->fault.reason
					   : cpu64->fault.reason);
}

static const char *form_name(size_t row)
{
	return forms[row].name;
}

static const char *one_case(bool print, size_t *row, int *host_fault)
{
	static struct testcase t;
	static struct outcome nat, sim;
	gen_case(&t);
	bool m32 = t.f->kind & K_32;
	uint64_t rip = (m32 ? CODE32 : CODE64) + 0x100;
	native_run(t.e.b, t.e.n, m32, t.f->kind & K_BR, &t.in, t.scr, &nat);
	int id;
	sim_run(t.e.b, t.e.n, m32, &t.in, t.scr, &sim, &id, rip);
	diff_cover(id);
	*row = (size_t)(t.f - forms);
	*host_fault = nat.fault;
	const char *why = NULL;
	if (!same(&t, &nat, &sim))
		why = "outcomes differ";
	else if (!unchanged(&t, &nat) || !unchanged(&t, &sim))
		why = "a fault changed the state";
	if (why && print)
		print_case(&t, &nat, &sim, why);
	return why;
}

int main(int argc, char **argv)
{
	struct diff_args args = { .cases = 200000, .seed = 0x5eed1234abcdull,
				  .print = 20 };
	if (!diff_parse_args(&args, argc, argv))
		return 2;
	diff_seed(args.seed ? args.seed : 1);
	diff_setup("alu_diff", REGION, REGION_SIZE);
	native_setup();
	sim_setup();
	return diff_run("alu", &args, N_FORMS, form_name, one_case);
}
