/* MMX and SSE shifts: PSLLx PSRLx PSRAx by a register, memory or imm8
 * count, the whole-register byte shifts PSLLDQ PSRLDQ, and PALIGNR
 * (SDM Vol. 2B). A count is the source's whole low quadword (or the
 * imm8): logical shifts by more than the element width give 0,
 * arithmetic ones fill with the sign. */
#include "cpu/sse.h"

enum shift { SH_LL, SH_RL, SH_RA };

static inline __attribute__((always_inline)) void
shift_elems(union vreg *d, unsigned bytes, unsigned esize, enum shift op,
	    uint64_t count)
{
	unsigned bits = esize * 8;
	for (unsigned k = 0; k < bytes / esize; k++) {
		uint64_t v = 0;
		memcpy(&v, d->b + k * esize, esize);
		if (op == SH_RA) {
			int64_t sv = (int64_t)(v << (64 - bits)) >> (64 - bits);
			v = (uint64_t)(sv >> (count >= bits ? bits - 1 : count));
		} else if (count >= bits) {
			v = 0;
		} else {
			v = op == SH_LL ? v << count : v >> count;
		}
		memcpy(d->b + k * esize, &v, esize);
	}
}

/* By the source operand: MMX (Pq, Qq) and XMM (Vx, Wx, whose memory
 * operand is 16 aligned bytes of which the low 8 count). */
static inline __attribute__((always_inline)) void
shift_mmx(struct cpu *c, const struct insn *i, bool mem, unsigned esize,
	  enum shift op)
{
	union vreg d;
	mmx_enter(c, i);
	uint64_t count = mmx_src(c, i, mem);
	d.q[0] = mmx_get(c, i->reg);
	shift_elems(&d, MMX_BYTES, esize, op, count);
	mmx_put(c, i->reg, d.q[0]);
	mmx_commit(c);
}

static inline __attribute__((always_inline)) void
shift_xmm(struct cpu *c, const struct insn *i, bool mem, unsigned esize,
	  enum shift op)
{
	union vreg t;
	sse_enter(c, i);
	uint64_t count = xmm_src(c, i, mem, &t, XMM_BYTES, true)->q[0];
	shift_elems(&c->v[i->reg], XMM_BYTES, esize, op, count);
}

/* By imm8, on the ModRM.rm register (groups 12-14). */
static inline __attribute__((always_inline)) void
shift_mmx_imm(struct cpu *c, const struct insn *i, bool mem, unsigned esize,
	      enum shift op)
{
	(void)mem;
	union vreg d;
	mmx_enter(c, i);
	d.q[0] = mmx_get(c, i->rm);
	shift_elems(&d, MMX_BYTES, esize, op, i->imm & 0xff);
	mmx_put(c, i->rm, d.q[0]);
	mmx_commit(c);
}

static inline __attribute__((always_inline)) void
shift_xmm_imm(struct cpu *c, const struct insn *i, bool mem, unsigned esize,
	      enum shift op)
{
	(void)mem;
	sse_enter(c, i);
	shift_elems(&c->v[i->rm], XMM_BYTES, esize, op, i->imm & 0xff);
}

#define SHIFT_FORMS(name, esize, op)                                       \
	SSE_FORM(name##_PqQq, shift_mmx, esize, op)                        \
	SSE_FORM(name##_VxWx, shift_xmm, esize, op)                        \
	SSE_FORM_R(name##_NqIb, shift_mmx_imm, esize, op)                  \
	SSE_FORM_R(name##_UxIb, shift_xmm_imm, esize, op)

SHIFT_FORMS(PSRLW, 2, SH_RL)
SHIFT_FORMS(PSRLD, 4, SH_RL)
SHIFT_FORMS(PSRLQ, 8, SH_RL)
SHIFT_FORMS(PSRAW, 2, SH_RA)
SHIFT_FORMS(PSRAD, 4, SH_RA)
SHIFT_FORMS(PSLLW, 2, SH_LL)
SHIFT_FORMS(PSLLD, 4, SH_LL)
SHIFT_FORMS(PSLLQ, 8, SH_LL)

/* PSRLDQ / PSLLDQ: the whole XMM register by imm8 bytes (per 128-bit
 * lane); 16 or more clears it. */
static inline __attribute__((always_inline)) void
shift_bytes(struct cpu *c, const struct insn *i, bool mem, bool left)
{
	(void)mem;
	sse_enter(c, i);
	union vreg *d = &c->v[i->rm];
	unsigned n = i->imm & 0xff;
	uint8_t r[XMM_BYTES];
	for (unsigned k = 0; k < XMM_BYTES; k++) {
		unsigned from = left ? k - n : k + n;
		r[k] = (left ? k >= n : k + n < XMM_BYTES) ? d->b[from] : 0;
	}
	memcpy(d->b, r, XMM_BYTES);
}

SSE_FORM_R(PSRLDQ_UxIb, shift_bytes, false)
SSE_FORM_R(PSLLDQ_UxIb, shift_bytes, true)

/* PALIGNR: destination:source as one value of twice the width, shifted
 * right by imm8 bytes; the low half is the result. */
static void op_palignr(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	uint8_t cat[2 * XMM_BYTES], r[XMM_BYTES];
	unsigned n = imm & 0xff;
	memcpy(cat, s->b, bytes);
	memcpy(cat + bytes, d->b, bytes);
	for (unsigned k = 0; k < bytes; k++)
		r[k] = k + n < 2 * bytes ? cat[k + n] : 0;
	memcpy(d->b, r, bytes);
}

SSE_FORM(PALIGNR_PqQqIb, mmx_op, op_palignr)
SSE_FORM(PALIGNR_VxWxIb, xmm_op, op_palignr, XMM_BYTES, true)
