/* SSE4.2 string and text compares: PCMPESTRI PCMPESTRM PCMPISTRI
 * PCMPISTRM (SDM Vol. 2B 4.1, "Imm8 Control Byte Operation for
 * PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM"). Their 16-byte memory
 * operand need not be aligned (SDM Vol. 2A 2.4, exception type 4 note). */
#include "cpu/sse.h"

/* imm8 fields. */
#define STR_WORDS 0x01u     /* bit 0: words, else bytes */
#define STR_SIGNED 0x02u    /* bit 1: signed elements */
#define STR_AGG(imm) (((imm) >> 2) & 3)
#define STR_POL(imm) (((imm) >> 4) & 3)
#define STR_MSB 0x40u       /* bit 6: most significant index / byte mask */

enum { AGG_EQUAL_ANY, AGG_RANGES, AGG_EQUAL_EACH, AGG_EQUAL_ORDERED };

static int32_t str_elem(const union vreg *v, unsigned k, unsigned imm)
{
	if (imm & STR_WORDS)
		return imm & STR_SIGNED ? (int16_t)v->w[k] : v->w[k];
	return imm & STR_SIGNED ? (int8_t)v->b[k] : v->b[k];
}

/* Length of an implicit string: the index of its first null element. */
static unsigned str_implicit_len(const union vreg *v, unsigned n,
				 unsigned imm)
{
	for (unsigned k = 0; k < n; k++)
		if (str_elem(v, k, imm) == 0)
			return k;
	return n;
}

/* Length of an explicit string: |rAX| or |rDX| (64-bit with REX.W),
 * saturated to the element count. */
static unsigned str_explicit_len(const struct cpu *c, const struct insn *i,
				 unsigned r, unsigned n)
{
	int64_t v = (i->prefixes & PFX_REXW) ? (int64_t)c->gpr[r] :
		    (int32_t)c->gpr[r];
	uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	return a > n ? n : (unsigned)a;
}

/* The comparison of element i of the first operand (the register) with
 * element j of the second, with the SDM's rules for invalid elements
 * (those at or past a string's length). */
static bool str_bool(unsigned agg, const union vreg *a, unsigned i,
		     unsigned la, const union vreg *b, unsigned j, unsigned lb,
		     unsigned imm)
{
	bool va = i < la, vb = j < lb;
	if (!va || !vb) {
		switch (agg) {
		case AGG_EQUAL_EACH: return !va && !vb;
		case AGG_EQUAL_ORDERED: return !va;
		default: return false;
		}
	}
	int32_t x = str_elem(a, i, imm), y = str_elem(b, j, imm);
	if (agg == AGG_RANGES)
		return i & 1 ? x >= y : x <= y;
	return x == y;
}

/* IntRes2 of the SDM: the aggregated, polarity-adjusted result bits. */
static unsigned str_compare(const union vreg *a, unsigned la,
			    const union vreg *b, unsigned lb, unsigned n,
			    unsigned imm)
{
	unsigned agg = STR_AGG(imm), res = 0;
	for (unsigned j = 0; j < n; j++) {
		bool r = false;
		switch (agg) {
		case AGG_EQUAL_ANY:
			for (unsigned i = 0; i < n && !r; i++)
				r = str_bool(agg, a, i, la, b, j, lb, imm);
			break;
		case AGG_RANGES:
			for (unsigned i = 0; i + 1 < n && !r; i += 2)
				r = str_bool(agg, a, i, la, b, j, lb, imm) &&
				    str_bool(agg, a, i + 1, la, b, j, lb, imm);
			break;
		case AGG_EQUAL_EACH:
			r = str_bool(agg, a, j, la, b, j, lb, imm);
			break;
		default:
			r = true;
			for (unsigned i = 0; i + j < n && r; i++)
				r = str_bool(agg, a, i, la, b, i + j, lb, imm);
			break;
		}
		res |= (unsigned)r << j;
	}
	unsigned all = (1u << n) - 1;
	switch (STR_POL(imm)) {
	case 1: return ~res & all;
	case 3: return res ^ (((1u << lb) - 1) & all);
	default: return res;
	}
}

enum str_kind { STR_EXPLICIT = 1, STR_INDEX = 2 };

static inline __attribute__((always_inline)) void
pcmpstr(struct cpu *c, const struct insn *i, bool mem, unsigned kind)
{
	union vreg t;
	sse_enter(c, i);
	const union vreg *b = xmm_src(c, i, mem, &t, XMM_BYTES, false);
	const union vreg *a = &c->v[i->reg];
	unsigned imm = (unsigned)i->imm & 0xff;
	unsigned n = imm & STR_WORDS ? 8 : 16;
	unsigned la, lb;
	if (kind & STR_EXPLICIT) {
		la = str_explicit_len(c, i, REG_RAX, n);
		lb = str_explicit_len(c, i, REG_RDX, n);
	} else {
		la = str_implicit_len(a, n, imm);
		lb = str_implicit_len(b, n, imm);
	}
	unsigned res = str_compare(a, la, b, lb, n, imm);
	if (kind & STR_INDEX) {
		unsigned idx = n;
		if (res)
			idx = imm & STR_MSB ? 31 - (unsigned)__builtin_clz(res) :
					      (unsigned)__builtin_ctz(res);
		c->gpr[REG_RCX] = idx;
	} else {
		union vreg m = { .q = { 0, 0 } };
		if (!(imm & STR_MSB))
			m.q[0] = res;
		else if (n == 16)
			for (unsigned k = 0; k < 16; k++)
				m.b[k] = (res >> k) & 1 ? 0xff : 0;
		else
			for (unsigned k = 0; k < 8; k++)
				m.w[k] = (res >> k) & 1 ? 0xffff : 0;
		c->v[0].q[0] = m.q[0];
		c->v[0].q[1] = m.q[1];
	}
	flags_set_arith(c, (res ? FLAG_CF : 0) | (lb < n ? FLAG_ZF : 0) |
			   (la < n ? FLAG_SF : 0) | (res & 1 ? FLAG_OF : 0));
}

SSE_FORM(PCMPESTRM_VdqWdqIb, pcmpstr, STR_EXPLICIT)
SSE_FORM(PCMPESTRI_VdqWdqIb, pcmpstr, STR_EXPLICIT | STR_INDEX)
SSE_FORM(PCMPISTRM_VdqWdqIb, pcmpstr, 0)
SSE_FORM(PCMPISTRI_VdqWdqIb, pcmpstr, STR_INDEX)
