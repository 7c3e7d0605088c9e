/* Differential test of the MMX and SSE-SSE4.2 instructions against the
 * host CPU. Each case encodes one form of tests/diff/sse_forms.h with
 * random registers, x87/MMX state, MXCSR (every rounding mode, DAZ and
 * FTZ on and off, exceptions masked and unmasked) and memory, values
 * drawn from the hard cases of each element type (zeros, infinities,
 * QNaNs and SNaNs with payloads, denormals, the largest and smallest
 * normals, integer-indefinite and conversion boundaries); it runs the
 * bytes natively (64-bit, in an RWX page, the state loaded with FXRSTOR
 * and read back with FXSAVE) and in the simulator (decode_insn, then the
 * handler on a CPU in 64-bit mode at CPL 3 with paging mapping the same
 * addresses), and compares every GPR, the arithmetic flags, XMM0-15, the
 * MMX/x87 registers with their exponents, FSW, the tag word, MXCSR and
 * the scratch memory. A fault (#UD, #GP, #AC, #MF, #XM) must happen on
 * both sides and leave the state unchanged but for the MXCSR flags an
 * #XM records. CR0.AM is set on both sides (Linux runs user space so),
 * and EFLAGS.AC in some cases.
 *
 *   sse_diff [--cases N] [--seed S] [--print N] [--ac N] [--verbose]
 *
 * --ac N runs one case in N with EFLAGS.AC = 1 (16 by default).
 *
 * Prints "SUMMARY: sse diff: N forms covered, M cases run, K mismatches"
 * and exits non-zero on any mismatch. */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/regs.h"
#include "cpu/state.h"
#include "tests/diff/lib/harness.h"
#include "tests/diff/sse_forms.h"

/* ---- The region (tests/diff/lib/harness.h): code, contexts, data. */

#define REGION 0x30000000ull
#define REGION_SIZE 0x10000ull
#define CODE (REGION + 0x0000)
#define CTX_IN (REGION + 0x1000)    /* rflags, then 16 GPRs */
#define CTX_OUT (REGION + 0x1100)
#define HOST_RSP (REGION + 0x1200)
#define FX_IN (REGION + 0x1400)     /* FXSAVE images, 512 bytes each */
#define FX_OUT (REGION + 0x1600)
#define FX_HOST (REGION + 0x1800)
#define SCR (REGION + 0x4000)       /* scratch memory, compared */
#define SCR_SIZE 0x1000u
#define SCR_STACK (SCR + 0xf00)

#define ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)
#define CMP_FLAGS (ARITH | FLAG_DF | FLAG_AC)

/* FXSAVE image offsets (SDM Vol. 2A FXSAVE, 64-bit format). */
#define FX_FCW 0
#define FX_FSW 2
#define FX_FTW 4
#define FX_MXCSR 24
#define FX_ST 32
#define FX_XMM 160

/* Everything compared, in one layout for both sides. */
struct state {
	uint64_t gpr[16];
	uint64_t flags;
	uint16_t fsw;
	uint8_t ftw;          /* abridged: bit i = physical register i valid */
	uint32_t mxcsr;
	uint64_t mm[8];       /* physical registers: significand */
	uint16_t se[8];       /* and sign/exponent */
	uint8_t xmm[16][16];
	uint8_t scr[SCR_SIZE];
};

struct outcome {
	struct state s;
	int fault;            /* vector, or -1 */
};

/* fxsave64 / fxrstor64 [abs32] */
static void emit_fx(struct diff_emit *e, bool restore, uint64_t addr)
{
	diff_ebytes(e, restore ? "\x48\x0f\xae\x0c\x25" : "\x48\x0f\xae\x04\x25",
		    5);
	diff_e32(e, addr);
}

/* The stub: save the host's FP state, load the case's state (FXRSTOR,
 * flags, GPRs), run the instruction, store the state back (GPRs, flags,
 * FXSAVE), restore the host's. */
static void native_build(const uint8_t *insn, unsigned len)
{
	struct diff_emit e = { diff_at(CODE) };
	diff_emit_prologue(&e, HOST_RSP);
	emit_fx(&e, false, FX_HOST);
	emit_fx(&e, true, FX_IN);
	diff_emit_load_context(&e, CTX_IN);
	diff_ebytes(&e, insn, len);
	diff_emit_store_context(&e, CTX_OUT);
	emit_fx(&e, false, FX_OUT);
	diff_ebytes(&e, "\x6a\x02\x9d", 3);        /* push 2; popfq: AC off */
	emit_fx(&e, true, FX_HOST);
	diff_emit_epilogue(&e, HOST_RSP);
}

/* The compared state from an FXSAVE image. */
static void state_from_fx(struct state *s, const uint8_t *fx)
{
	uint16_t fsw;
	memcpy(&fsw, fx + FX_FSW, 2);
	s->fsw = fsw;
	s->ftw = fx[FX_FTW];
	memcpy(&s->mxcsr, fx + FX_MXCSR, 4);
	unsigned top = (fsw >> 11) & 7;
	for (unsigned p = 0; p < 8; p++) {
		const uint8_t *st = fx + FX_ST + 16 * ((p - top) & 7);
		memcpy(&s->mm[p], st, 8);
		memcpy(&s->se[p], st + 8, 2);
	}
	memcpy(s->xmm, fx + FX_XMM, sizeof(s->xmm));
}

static void native_run(const uint8_t *insn, unsigned len,
		       const struct state *in, const uint8_t *fx_in,
		       struct outcome *out)
{
	native_build(insn, len);
	diff_context_put(CTX_IN, in->flags, in->gpr);
	memset(diff_at(CTX_OUT), 0, DIFF_CTX_SIZE);
	memcpy(diff_at(FX_IN), fx_in, 512);
	memcpy(diff_at(SCR), in->scr, SCR_SIZE);
	out->fault = diff_native_call(CODE);
	if (out->fault < 0) {
		diff_context_get(CTX_OUT, &out->s.flags, out->s.gpr);
		state_from_fx(&out->s, diff_at(FX_OUT));
	} else {
		/* The handler ran with a fresh FP state: take the host's
		 * back. */
		__asm__ volatile("fxrstor64 %0"
				 : : "m"(*(uint8_t(*)[512])diff_at(FX_HOST)));
		memcpy(out->s.gpr, diff_fault.gpr, sizeof(out->s.gpr));
		out->s.flags = diff_fault.flags;
		state_from_fx(&out->s, diff_fault.fx);
	}
	memcpy(out->s.scr, diff_at(SCR), SCR_SIZE);
}

/* ---- Simulated side: the region's pages mapped at the same linear
 * addresses. */

static struct cpu *cpu;

static void sim_setup(void)
{
	cpu = diff_sim_cpu(NULL, 0);
	/* The OS enables SSE and #XM, as Linux does; CR0 as Linux has it
	 * (MP, NE, AM). */
	diff_sim_user64(cpu, CR0_PG | CR0_AM | CR0_NE | CR0_ET | CR0_MP |
			CR0_PE, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT, 0x33, 0x2b);
}

static void sim_state_out(const struct cpu *c, struct state *s)
{
	memcpy(s->gpr, c->gpr, sizeof(s->gpr));
	s->flags = flags_read(c);
	s->fsw = c->x87.fsw;
	s->ftw = 0;
	for (unsigned p = 0; p < 8; p++) {
		if (((c->x87.ftw >> (2 * p)) & 3) != 3)
			s->ftw |= (uint8_t)(1u << p);
		s->mm[p] = c->x87.r[p].signif;
		s->se[p] = c->x87.r[p].sign_exp;
	}
	s->mxcsr = c->mxcsr;
	for (unsigned r = 0; r < 16; r++)
		memcpy(s->xmm[r], c->v[r].b, 16);
	memcpy(s->scr, diff_sim_at(SCR), SCR_SIZE);
}

static void sim_run(const uint8_t *insn, unsigned len, const struct state *in,
		    const uint8_t *fx_in, struct outcome *out, int *id)
{
	struct cpu *c = cpu;
	memcpy(diff_sim_at(SCR), in->scr, SCR_SIZE);
	memcpy(c->gpr, in->gpr, sizeof(c->gpr));
	c->rflags = 2;
	flags_write(c, in->flags, ~0ull);
	memcpy(&c->x87.fcw, fx_in + FX_FCW, 2);
	c->x87.fsw = in->fsw;
	c->x87.ftw = 0;
	for (unsigned p = 0; p < 8; p++) {
		if (!((in->ftw >> p) & 1))
			c->x87.ftw |= (uint16_t)(3u << (2 * p));
		c->x87.r[p].signif = in->mm[p];
		c->x87.r[p].sign_exp = in->se[p];
	}
	c->mxcsr = in->mxcsr;
	for (unsigned r = 0; r < 16; r++)
		memcpy(c->v[r].b, in->xmm[r], 16);
	out->fault = diff_sim_exec(c, insn, len, CODE + 0x100, id);
	sim_state_out(c, &out->s);
}

/* ---- Values. */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t int_value(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull,
		0x8000000000000000ull, ~0ull, 0x0101010101010101ull,
		0x8080808080808080ull, 0x7f7f7f7f7f7f7f7full,
		0x8000800080008000ull, 0x7fff7fff7fff7fffull,
	};
	switch (diff_rndn(5)) {
	case 0: return edge[diff_rndn(COUNT(edge))];
	case 1: return diff_rnd() >> diff_rndn(64);
	case 2: return diff_rnd() & 0x00ff00ff00ff00ffull;
	default: return diff_rnd();
	}
}

static const uint32_t hard32[] = {
	0x00000000, 0x80000000, 0x7f800000, 0xff800000, /* zeros, infinities */
	0x7fc00000, 0xffc00000, 0x7fc12345, 0xffe54321, /* QNaNs */
	0x7f800001, 0x7fa00000, 0xffbfffff, 0x7f9abcde, /* SNaNs */
	0x00000001, 0x807fffff, 0x00400000, 0x80012345, /* denormals */
	0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, /* largest, smallest */
	0x3f800000, 0xbf800000, 0x3f000000, 0x40000000, /* 1, -1, 0.5, 2 */
	0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001, /* +-2^31 */
	0x5f000000, 0xdf000000, 0x5effffff, 0x3fc00000, /* +-2^63, 1.5 */
	0x3f400000, 0x40200000, 0xbfc00000, 0x00800001, /* halves */
	0x33800000, 0x0c000000, 0x72800000, 0x7f000000,
};

static const uint64_t hard64[] = {
	0, 0x8000000000000000ull, 0x7ff0000000000000ull,
	0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
	0x7ff8123456789abcull, 0xfffcba9876543210ull, 0x7ff0000000000001ull,
	0x7ff4000000000000ull, 0xfff7ffffffffffffull, 0x0000000000000001ull,
	0x800fffffffffffffull, 0x0008000000000000ull, 0x7fefffffffffffffull,
	0xffefffffffffffffull, 0x0010000000000000ull, 0x8010000000000000ull,
	0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3fe0000000000000ull,
	0x41e0000000000000ull, 0xc1e0000000000000ull, 0x41dfffffffffffffull,
	0x41dfffffffe00000ull, 0xc1e0000000100000ull, 0x43e0000000000000ull,
	0xc3e0000000000000ull, 0x43dfffffffffffffull, 0x3ff8000000000000ull,
	0x4004000000000000ull, 0xbff8000000000000ull, 0x3690000000000000ull,
	0x47efffffe0000000ull, 0x380fffffe0000000ull, 0x36a0000000000000ull,
	0x47f0000000000000ull, 0x3810000000000000ull, 0x36b0000000000000ull,
};

static uint32_t f32_value(void)
{
	switch (diff_rndn(5)) {
	case 0: case 1: return hard32[diff_rndn(COUNT(hard32))];
	case 2: /* normals of nearby magnitudes, so sums round */
		return (uint32_t)(diff_rnd() & 0x807fffff) |
		       (uint32_t)(112 + diff_rndn(32)) << 23;
	case 3: return (uint32_t)diff_rnd() & (diff_rndn(2) ? 0x807fffffu : ~0u);
	default: return (uint32_t)diff_rnd();
	}
}

static uint64_t f64_value(void)
{
	switch (diff_rndn(5)) {
	case 0: case 1: return hard64[diff_rndn(COUNT(hard64))];
	case 2:
		return (diff_rnd() & 0x800fffffffffffffull) |
		       (uint64_t)(1008 + diff_rndn(32)) << 52;
	case 3: return diff_rnd() & (diff_rndn(2) ? 0x800fffffffffffffull : ~0ull);
	default: return diff_rnd();
	}
}

/* Fills n bytes with values of the form's element type. */
static void fill(uint8_t *p, unsigned n, unsigned val)
{
	for (unsigned k = 0; k < n; k += 8) {
		uint64_t v;
		if (val == VAL_F32)
			v = f32_value() | (uint64_t)f32_value() << 32;
		else if (val == VAL_F64)
			v = f64_value();
		else
			v = int_value();
		memcpy(p + k, &v, n - k < 8 ? n - k : 8);
	}
}

/* Text-like bytes for the string compares: a small alphabet with
 * nulls, so that matches, ranges and ends of strings happen. */
static void fill_text(uint8_t *p, unsigned n)
{
	static const uint8_t alpha[] = { 0, 'a', 'b', 'c', 'z', 0x80, 0xff,
					 'A' };
	for (unsigned k = 0; k < n; k++)
		p[k] = diff_rndn(4) ? alpha[diff_rndn(COUNT(alpha))] : (uint8_t)diff_rnd();
	if (diff_rndn(4) == 0)
		memset(p + diff_rndn(n), 0, 1);
}

/* ---- The encoder. */

struct testcase {
	const struct sform *f;
	bool mem;
	uint8_t b[16];
	unsigned n;
	struct state in;
	uint8_t fx[512] __attribute__((aligned(16)));
};

#define N_FORMS COUNT(sforms)

/* A GPR for an operand: not RSP, not in avoid. */
static unsigned pick_gpr(uint32_t avoid)
{
	for (;;) {
		unsigned r = diff_rndn(16);
		if (r != REG_RSP && !((avoid >> r) & 1))
			return r;
	}
}

static void gen_state(struct testcase *t)
{
	const struct sform *f = t->f;
	struct state *s = &t->in;
	for (unsigned r = 0; r < 16; r++)
		s->gpr[r] = int_value();
	s->gpr[REG_RSP] = SCR_STACK;
	s->flags = 2 | (diff_rnd() & ARITH);
	bool strs = f->map == 3 && (f->op & 0xf0) == 0x60;
	for (unsigned r = 0; r < 16; r++) {
		if (strs)
			fill_text(s->xmm[r], 16);
		else
			fill(s->xmm[r], 16, f->val);
	}
	for (unsigned k = 0; k < SCR_SIZE; k += 16) {
		if (strs)
			fill_text(s->scr + k, 16);
		else
			fill(s->scr + k, 16, f->val);
	}
	/* x87/MMX: registers with random exponents, TOP and tags random
	 * half the time; an unmasked x87 exception pending (ES) in a few
	 * cases, for #MF. */
	uint16_t fcw = 0x037f, fsw = 0;
	for (unsigned p = 0; p < 8; p++) {
		s->mm[p] = int_value();
		s->se[p] = (uint16_t)diff_rnd();
	}
	s->ftw = 0xff;
	if (diff_rndn(2)) {
		fsw = (uint16_t)((diff_rndn(8) << 11) | (diff_rnd() & 0x4700));
		s->ftw = (uint8_t)diff_rnd();
	}
	if (diff_rndn(40) == 0) {
		fcw = 0x037e;
		fsw |= 0x8081; /* B, ES, IE */
	}
	s->fsw = fsw;
	/* MXCSR: every rounding mode, DAZ, FTZ; masks all set mostly. */
	uint32_t mx = (uint32_t)diff_rndn(4) << 13;
	if (diff_rndn(2))
		mx |= 1u << 6;
	if (diff_rndn(2))
		mx |= 1u << 15;
	mx |= diff_rndn(4) ? 0x3fu << 7 : ((uint32_t)diff_rnd() & 0x3f) << 7;
	if (diff_rndn(2))
		mx |= (uint32_t)diff_rnd() & 0x3f;
	s->mxcsr = mx;
	/* The FXRSTOR image. */
	memset(t->fx, 0, sizeof(t->fx));
	memcpy(t->fx + FX_FCW, &fcw, 2);
	memcpy(t->fx + FX_FSW, &fsw, 2);
	t->fx[FX_FTW] = s->ftw;
	memcpy(t->fx + FX_MXCSR, &mx, 4);
	unsigned top = (fsw >> 11) & 7;
	for (unsigned p = 0; p < 8; p++) {
		uint8_t *st = t->fx + FX_ST + 16 * ((p - top) & 7);
		memcpy(st, &s->mm[p], 8);
		memcpy(st + 8, &s->se[p], 2);
	}
	memcpy(t->fx + FX_XMM, s->xmm, sizeof(s->xmm));
}

/* One case in ac_rate runs with EFLAGS.AC = 1 (--ac N). */
static unsigned ac_rate = 16;

static void gen_case(struct testcase *t)
{
	const struct sform *f = &sforms[diff_rndn(N_FORMS)];
	t->f = f;
	t->mem = (f->flags & SM) && (!(f->flags & SR) || diff_rndn(2));
	gen_state(t);
	struct state *s = &t->in;

	bool w = (f->flags & F_W) ? diff_rndn(2) : diff_rndn(8) == 0;
	unsigned rex = w ? 8 : 0;
	t->n = 0;
	if (f->flags & F_OPSZ && diff_rndn(3) == 0)
		t->b[t->n++] = 0x66;
	if (f->pfx)
		t->b[t->n++] = f->pfx;

	/* Registers: implicit ones are kept out of operands and addresses. */
	uint32_t avoid = 1u << REG_RSP;
	if (f->flags & F_ESTR) {
		avoid |= 1u << REG_RAX | 1u << REG_RDX | 1u << REG_RCX;
		for (unsigned r = 0; r < 2; r++) {
			int64_t len = diff_rndn(4) ? (int)diff_rndn(41) - 20 :
				      (int64_t)int_value();
			s->gpr[r == 0 ? REG_RAX : REG_RDX] =
				diff_rndn(4) ? (uint64_t)len :
				(uint64_t)len ^ (diff_rnd() << 32);
		}
	}
	if (f->map == 3 && (f->op & 0xf0) == 0x60)
		avoid |= 1u << REG_RCX;
	if (f->flags & F_MASKMOV) {
		avoid |= 1u << REG_RDI;
		s->gpr[REG_RDI] = SCR + 0x100 + diff_rndn(0xd00);
	}
	unsigned reg = 0, rmr = 0;
	if (f->reg == OPK_X)
		reg = diff_rndn(16);
	else if (f->reg == OPK_M)
		reg = diff_rndn(16);          /* REX.R is ignored for MMX */
	else if (f->reg == OPK_G)
		reg = pick_gpr(avoid);
	else
		reg = (unsigned)f->reg;
	if (f->reg == OPK_G)
		avoid |= 1u << reg;
	if (!t->mem) {
		if (f->rm == OPK_G)
			rmr = (f->flags & F_BYTE) && diff_rndn(2) ? diff_rndn(8) :
			      pick_gpr(avoid);
		else
			rmr = diff_rndn(16);
	}

	unsigned modrm_rm = rmr & 7, mod = 3, sib = 0, disp_bytes = 0;
	bool has_sib = false;
	int64_t disp = 0;
	if (t->mem) {
		unsigned off = 0x100 + diff_rndn(0xd00);
		if (diff_rndn(8))
			off &= (f->flags & F_A16) ? ~15u : diff_rndn(2) ? ~15u : ~0u;
		uint64_t target = SCR + off;
		uint32_t abase = avoid | 1u << REG_RAX | 1u << REG_RCX |
				 1u << REG_RDX | 1u << REG_RDI;
		unsigned base = pick_gpr(abase);
		bool use_index = diff_rndn(3) == 0;
		unsigned idx = use_index ? pick_gpr(abase | 1u << base) : 0;
		unsigned scale = diff_rndn(4);
		uint64_t idx_val = use_index ? diff_rndn(16) : 0;
		disp_bytes = diff_rnd_disp(&disp);
		mod = disp_bytes == 1 ? 1 : 2;
		s->gpr[base] = target - (uint64_t)disp - (idx_val << scale);
		if (use_index)
			s->gpr[idx] = idx_val;
		struct diff_mem_enc me = diff_encode_mem(base, use_index, idx,
							 scale);
		modrm_rm = me.rm;
		has_sib = me.has_sib;
		sib = me.sib;
		rex |= me.rex;
	} else if (rmr > 7) {
		rex |= 1;
	}
	if (f->reg < 0 && reg > 7)
		rex |= 4;
	bool byte_legacy = (f->flags & F_BYTE) && !t->mem && rmr < 8 && !rex &&
			   diff_rndn(2);
	if (rex || ((f->flags & F_BYTE) && !byte_legacy && diff_rndn(2)))
		t->b[t->n++] = (uint8_t)(0x40 | rex);
	t->b[t->n++] = 0x0f;
	if (f->map == 2)
		t->b[t->n++] = 0x38;
	else if (f->map == 3)
		t->b[t->n++] = 0x3a;
	t->b[t->n++] = f->op;
	if (!(f->flags & F_NOMODRM)) {
		t->b[t->n++] = (uint8_t)(mod << 6 | (reg & 7) << 3 | modrm_rm);
		if (has_sib)
			t->b[t->n++] = (uint8_t)sib;
		for (unsigned k = 0; k < disp_bytes; k++)
			t->b[t->n++] = (uint8_t)((uint64_t)disp >> (8 * k));
	}
	if (f->imm) {
		unsigned imm = (unsigned)diff_rnd() & 0xff;
		if ((f->flags & F_CMP) && diff_rndn(4))
			imm &= 7;
		if ((f->flags & F_ROUND) && diff_rndn(4))
			imm &= 15;
		if (f->map == 1 && f->op >= 0x71 && f->op <= 0x73 && diff_rndn(2))
			imm = diff_rndn(70);
		t->b[t->n++] = (uint8_t)imm;
	}
	/* #AC: EFLAGS.AC with CR0.AM at CPL 3, in a few cases. */
	if (diff_rndn(ac_rate) == 0)
		s->flags |= FLAG_AC;
}

/* ---- Comparison and reporting. */

/* RCPPS and friends: the SDM bounds the relative error by 1.5 * 2^-12;
 * two results within it are within 3 * 2^-12 of each other. Special
 * results must be equal. */
static bool approx_equal(uint32_t a, uint32_t b)
{
	if (a == b)
		return true;
	if ((a ^ b) >> 31)
		return false;
	unsigned ea = (a >> 23) & 0xff, eb = (b >> 23) & 0xff;
	if (ea == 0 || eb == 0 || ea == 0xff || eb == 0xff)
		return false;
	float x, y;
	memcpy(&x, &a, 4);
	memcpy(&y, &b, 4);
	return fabsf(x - y) <= 3.0f * 0x1p-12f * fabsf(x);
}

static bool same_xmm(const struct testcase *t, const struct state *a,
		     const struct state *b)
{
	for (unsigned r = 0; r < 16; r++) {
		if (!memcmp(a->xmm[r], b->xmm[r], 16))
			continue;
		if (!(t->f->flags & F_APPROX))
			return false;
		for (unsigned k = 0; k < 16; k += 4) {
			uint32_t x, y;
			memcpy(&x, a->xmm[r] + k, 4);
			memcpy(&y, b->xmm[r] + k, 4);
			if (!approx_equal(x, y))
				return false;
		}
	}
	return true;
}

/* A fault leaves the state as it was but for what the host CPU changes
 * before it: skip_mxcsr for the flags an #XM records, skip_x87 for the
 * x87-to-MMX transition (FSW.TOP, tag word) that an instruction with an
 * MMX operand may make before its fault. */
static const char *state_diff(const struct testcase *t, const struct state *a,
			      const struct state *b, bool skip_mxcsr,
			      bool skip_x87)
{
	for (unsigned r = 0; r < 16; r++)
		if (a->gpr[r] != b->gpr[r])
			return "GPR";
	if ((a->flags ^ b->flags) & CMP_FLAGS)
		return "RFLAGS";
	if (!same_xmm(t, a, b))
		return "XMM";
	for (unsigned p = 0; p < 8; p++)
		if (a->mm[p] != b->mm[p] || a->se[p] != b->se[p])
			return "MMX/x87 register";
	if (!skip_x87 && a->fsw != b->fsw)
		return "FSW";
	if (!skip_x87 && a->ftw != b->ftw)
		return "tag word";
	if (!skip_mxcsr && a->mxcsr != b->mxcsr)
		return "MXCSR";
	if (memcmp(a->scr, b->scr, SCR_SIZE))
		return "memory";
	return NULL;
}

static void print_state(const char *who, const struct state *o,
			const struct state *ref)
{
	printf("    %-6s flags=%03" PRIx64 " mxcsr=%08x fsw=%04x ftw=%02x", who,
	       o->flags & CMP_FLAGS, o->mxcsr, o->fsw, o->ftw);
	for (unsigned r = 0; r < 16; r++)
		if (o->gpr[r] != ref->gpr[r])
			printf(" %s=%" PRIx64, diff_reg_names[r], o->gpr[r]);
	printf("\n");
	for (unsigned r = 0; r < 16; r++)
		if (memcmp(o->xmm[r], ref->xmm[r], 16)) {
			uint64_t q[2];
			memcpy(q, o->xmm[r], 16);
			printf("    %-6s xmm%u=%016" PRIx64 "_%016" PRIx64 "\n", who,
			       r, q[1], q[0]);
		}
	for (unsigned p = 0; p < 8; p++)
		if (o->mm[p] != ref->mm[p] || o->se[p] != ref->se[p])
			printf("    %-6s r%u=%04x_%016" PRIx64 "\n", who, p,
			       o->se[p], o->mm[p]);
	for (unsigned k = 0; k < SCR_SIZE; k++)
		if (o->scr[k] != ref->scr[k]) {
			printf("    %-6s memory differs first at scratch+0x%x\n",
			       who, k);
			break;
		}
}

static void print_case(const struct testcase *t, const struct outcome *n,
		       const struct outcome *s, const char *why)
{
	printf("MISMATCH %s (%s): %s: bytes", t->f->name,
	       t->mem ? "mem" : "reg", why);
	diff_print_bytes(t->b, t->n);
	printf("\n    faults: host %d, sim %d\n", n->fault, s->fault);
	printf("    input  flags=%03" PRIx64 " mxcsr=%08x fsw=%04x ftw=%02x "
	       "rax=%" PRIx64 " rdx=%" PRIx64 " rdi=%" PRIx64 "\n",
	       t->in.flags & CMP_FLAGS, t->in.mxcsr, t->in.fsw, t->in.ftw,
	       t->in.gpr[REG_RAX], t->in.gpr[REG_RDX], t->in.gpr[REG_RDI]);
	print_state("host", &n->s, &t->in);
	print_state("sim", &s->s, &t->in);
	for (unsigned r = 0; r < 16; r++) {
		uint64_t q[2];
		memcpy(q, t->in.xmm[r], 16);
		printf("    input xmm%u=%016" PRIx64 "_%016" PRIx64 "%s", r, q[1],
		       q[0], r & 1 ? "\n" : "");
	}
	if (s->fault >= 0 && s->fault < 32)
		printf("    sim reason: %s\n", cpu->fault.reason);
}

static const char *form_name(size_t row)
{
	return sforms[row].name;
}

static const char *one_case(bool print, size_t *row, int *host_fault)
{
	static struct testcase t;
	static struct outcome nat, sim;
	gen_case(&t);
	native_run(t.b, t.n, &t.in, t.fx, &nat);
	int id;
	sim_run(t.b, t.n, &t.in, t.fx, &sim, &id);
	if (sim.fault != DIFF_BAD_LENGTH && sim.fault != DIFF_NO_HANDLER)
		diff_cover(id);
	*row = (size_t)(t.f - sforms);
	*host_fault = nat.fault;
	const char *why = NULL;
	if (nat.fault != sim.fault)
		why = "faults differ";
	else if ((why = state_diff(&t, &nat.s, &sim.s, false, false)))
		;
	else if (nat.fault >= 0 &&
		 state_diff(&t, &t.in, &nat.s, nat.fault == EXC_XM,
			    t.f->reg == OPK_M || t.f->rm == OPK_M))
		why = "a fault changed the state";
	if (why && print)
		print_case(&t, &nat, &sim, why);
	return why;
}

int main(int argc, char **argv)
{
	struct diff_args args = { .cases = 260000, .seed = 0x55e5eed5ull,
				  .print = 20, .extra = "ac",
				  .extra_value = ac_rate };
	if (!diff_parse_args(&args, argc, argv))
		return 2;
	ac_rate = (unsigned)args.extra_value ?: 1;
	diff_seed(args.seed ? args.seed : 1);
	diff_setup("sse_diff", REGION, REGION_SIZE);
	sim_setup();
	return diff_run("sse", &args, N_FORMS, form_name, one_case);
}
