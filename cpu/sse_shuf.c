/* MMX and SSE rearrangements: unpack (interleave), pack with saturation,
 * the shuffles, the SSE4.1 blends and the PMOVSX/PMOVZX extensions (SDM
 * Vol. 2A/2B). Every operation builds its result apart, as source and
 * destination may be the same register. */
#include "cpu/sse.h"

/* PUNPCKLxx / PUNPCKHxx / UNPCKxPS/PD: elements of esize bytes from the
 * low (hi = 0) or high half of destination and source, alternating. */
static inline __attribute__((always_inline)) void
unpack(union vreg *d, const union vreg *s, unsigned bytes, unsigned esize,
       unsigned hi)
{
	union vreg r;
	unsigned n = bytes / esize / 2, base = hi ? bytes / 2 : 0;
	for (unsigned k = 0; k < n; k++) {
		memcpy(r.b + 2 * k * esize, d->b + base + k * esize, esize);
		memcpy(r.b + (2 * k + 1) * esize, s->b + base + k * esize, esize);
	}
	memcpy(d->b, r.b, bytes);
}

#define UNPACK(name, esize, hi)                                            \
	static void name(union vreg *d, const union vreg *s, unsigned bytes, \
			 unsigned imm)                                     \
	{                                                                  \
		(void)imm;                                                 \
		unpack(d, s, bytes, esize, hi);                            \
	}
UNPACK(op_punpcklbw, 1, 0)
UNPACK(op_punpcklwd, 2, 0)
UNPACK(op_punpckldq, 4, 0)
UNPACK(op_punpcklqdq, 8, 0)
UNPACK(op_punpckhbw, 1, 1)
UNPACK(op_punpckhwd, 2, 1)
UNPACK(op_punpckhdq, 4, 1)
UNPACK(op_punpckhqdq, 8, 1)

/* Packs: the destination's elements, then the source's, narrowed with
 * saturation. */
enum pack { PK_SSWB, PK_USWB, PK_SSDW, PK_USDW };

static inline __attribute__((always_inline)) void
pack(union vreg *d, const union vreg *s, unsigned bytes, enum pack op)
{
	union vreg r;
	bool words = op == PK_SSWB || op == PK_USWB;
	unsigned n = words ? bytes / 2 : bytes / 4; /* elements per operand */
	for (unsigned k = 0; k < 2 * n; k++) {
		const union vreg *src = k < n ? d : s;
		unsigned j = k < n ? k : k - n;
		int32_t v = words ? (int16_t)src->w[j] : (int32_t)src->d[j];
		switch (op) {
		case PK_SSWB: r.b[k] = (uint8_t)sat_s8(v); break;
		case PK_USWB: r.b[k] = sat_u8(v); break;
		case PK_SSDW: r.w[k] = (uint16_t)sat_s16(v); break;
		default: r.w[k] = sat_u16(v); break;
		}
	}
	memcpy(d->b, r.b, bytes);
}

#define PACK(name, op)                                                     \
	static void name(union vreg *d, const union vreg *s, unsigned bytes, \
			 unsigned imm)                                     \
	{                                                                  \
		(void)imm;                                                 \
		pack(d, s, bytes, op);                                     \
	}
PACK(op_packsswb, PK_SSWB)
PACK(op_packuswb, PK_USWB)
PACK(op_packssdw, PK_SSDW)
PACK(op_packusdw, PK_USDW)

/* The MMX PUNPCKLxx forms read only the low half: mm/m32 (SDM Vol. 2B
 * PUNPCKLBW). */
static inline __attribute__((always_inline)) void
mmx_unpack_low(struct cpu *c, const struct insn *i, bool mem, vec_op *op)
{
	union vreg d, s;
	mmx_enter(c, i);
	s.q[0] = mem ? memf_read(c, i->seg, insn_ea(c, i), 4) :
		       mmx_get(c, i->rm);
	d.q[0] = mmx_get(c, i->reg);
	op(&d, &s, MMX_BYTES, 0);
	mmx_put(c, i->reg, d.q[0]);
	mmx_commit(c);
}

SSE_FORM(PUNPCKLBW_PqQq, mmx_unpack_low, op_punpcklbw)
SSE_FORM(PUNPCKLWD_PqQq, mmx_unpack_low, op_punpcklwd)
SSE_FORM(PUNPCKLDQ_PqQq, mmx_unpack_low, op_punpckldq)
XMM_FORM(PUNPCKLBW_VxWx, op_punpcklbw)
XMM_FORM(PUNPCKLWD_VxWx, op_punpcklwd)
XMM_FORM(PUNPCKLDQ_VxWx, op_punpckldq)
VEC_FORMS(PUNPCKHBW, op_punpckhbw)
VEC_FORMS(PUNPCKHWD, op_punpckhwd)
VEC_FORMS(PUNPCKHDQ, op_punpckhdq)
VEC_FORMS(PACKSSWB, op_packsswb)
VEC_FORMS(PACKUSWB, op_packuswb)
VEC_FORMS(PACKSSDW, op_packssdw)
XMM_FORM(PUNPCKLQDQ_VxWx, op_punpcklqdq)
XMM_FORM(PUNPCKHQDQ_VxWx, op_punpckhqdq)
XMM_FORM(PACKUSDW_VxWx, op_packusdw)
XMM_FORM(UNPCKLPS_VpsWps, op_punpckldq)
XMM_FORM(UNPCKLPD_VpdWpd, op_punpcklqdq)
XMM_FORM(UNPCKHPS_VpsWps, op_punpckhdq)
XMM_FORM(UNPCKHPD_VpdWpd, op_punpckhqdq)

/* SHUFPS: two dwords of the destination, then two of the source, each
 * chosen by two bits of imm8. SHUFPD: one quadword of each by a bit. */
static void op_shufps(union vreg *d, const union vreg *s, unsigned bytes,
		      unsigned imm)
{
	(void)bytes;
	uint32_t r0 = d->d[imm & 3], r1 = d->d[(imm >> 2) & 3];
	uint32_t r2 = s->d[(imm >> 4) & 3], r3 = s->d[(imm >> 6) & 3];
	d->d[0] = r0;
	d->d[1] = r1;
	d->d[2] = r2;
	d->d[3] = r3;
}

static void op_shufpd(union vreg *d, const union vreg *s, unsigned bytes,
		      unsigned imm)
{
	(void)bytes;
	uint64_t r0 = d->q[imm & 1], r1 = s->q[(imm >> 1) & 1];
	d->q[0] = r0;
	d->q[1] = r1;
}

XMM_FORM(SHUFPS_VpsWpsIb, op_shufps)
XMM_FORM(SHUFPD_VpdWpdIb, op_shufpd)

/* PSHUFW / PSHUFD / PSHUFLW / PSHUFHW: the destination gets source
 * elements chosen by two bits of imm8 each; PSHUFLW and PSHUFHW shuffle
 * one quadword's words and copy the other. */
static void op_pshufw(union vreg *d, const union vreg *s, unsigned bytes,
		      unsigned imm)
{
	(void)bytes;
	union vreg r;
	for (unsigned k = 0; k < 4; k++)
		r.w[k] = s->w[(imm >> (2 * k)) & 3];
	d->q[0] = r.q[0];
}

static void op_pshufd(union vreg *d, const union vreg *s, unsigned bytes,
		      unsigned imm)
{
	(void)bytes;
	union vreg r;
	for (unsigned k = 0; k < 4; k++)
		r.d[k] = s->d[(imm >> (2 * k)) & 3];
	d->q[0] = r.q[0];
	d->q[1] = r.q[1];
}

static void op_pshuflw(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	(void)bytes;
	union vreg r;
	for (unsigned k = 0; k < 4; k++)
		r.w[k] = s->w[(imm >> (2 * k)) & 3];
	r.q[1] = s->q[1];
	d->q[0] = r.q[0];
	d->q[1] = r.q[1];
}

static void op_pshufhw(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	(void)bytes;
	union vreg r;
	r.q[0] = s->q[0];
	for (unsigned k = 0; k < 4; k++)
		r.w[4 + k] = s->w[4 + ((imm >> (2 * k)) & 3)];
	d->q[0] = r.q[0];
	d->q[1] = r.q[1];
}

SSE_FORM(PSHUFW_PqQqIb, mmx_op, op_pshufw)
XMM_FORM(PSHUFD_VxWxIb, op_pshufd)
XMM_FORM(PSHUFLW_VxWxIb, op_pshuflw)
XMM_FORM(PSHUFHW_VxWxIb, op_pshufhw)

/* PSHUFB: each destination byte is the destination byte the source byte
 * indexes (within the register), or 0 if that byte's bit 7 is set. */
static void op_pshufb(union vreg *d, const union vreg *s, unsigned bytes,
		      unsigned imm)
{
	(void)imm;
	union vreg r;
	for (unsigned k = 0; k < bytes; k++)
		r.b[k] = (s->b[k] & 0x80) ? 0 : d->b[s->b[k] & (bytes - 1)];
	memcpy(d->b, r.b, bytes);
}

VEC_FORMS(PSHUFB, op_pshufb)

/* Blends: where the selector (imm8 bit per element, or the sign bit of
 * XMM0's element) is set, the source's element replaces the
 * destination's. */
static inline __attribute__((always_inline)) void
blend(union vreg *d, const union vreg *s, unsigned bytes, unsigned esize,
      uint32_t mask)
{
	for (unsigned k = 0; k < bytes / esize; k++)
		if ((mask >> k) & 1)
			memcpy(d->b + k * esize, s->b + k * esize, esize);
}

static void op_blendps(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	blend(d, s, bytes, 4, imm);
}

static void op_blendpd(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	blend(d, s, bytes, 8, imm);
}

static void op_pblendw(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	blend(d, s, bytes, 2, imm);
}

XMM_FORM(BLENDPS_VxWxIb, op_blendps)
XMM_FORM(BLENDPD_VxWxIb, op_blendpd)
XMM_FORM(PBLENDW_VxWxIb, op_pblendw)

static inline __attribute__((always_inline)) void
blendv(struct cpu *c, const struct insn *i, bool mem, unsigned esize)
{
	union vreg t;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, XMM_BYTES, true);
	uint32_t mask = 0;
	for (unsigned k = 0; k < XMM_BYTES / esize; k++)
		mask |= (uint32_t)(c->v[0].b[k * esize + esize - 1] >> 7) << k;
	blend(&c->v[i->reg], s, XMM_BYTES, esize, mask);
}

SSE_FORM(PBLENDVB_VxWx, blendv, 1)
SSE_FORM(BLENDVPS_VxWx, blendv, 4)
SSE_FORM(BLENDVPD_VxWx, blendv, 8)

/* PMOVSX / PMOVZX: the low elements of the source (a register, or
 * exactly the bytes needed from memory, unaligned) widened from `from`
 * to `to` bytes. */
static inline __attribute__((always_inline)) void
pmovx(struct cpu *c, const struct insn *i, bool mem, unsigned from,
      unsigned to, bool sign)
{
	union vreg t;
	sse_enter(c, i);
	unsigned n = XMM_BYTES / to;
	const union vreg *s = xmm_src(c, i, mem, &t, n * from, false);
	union vreg r;
	for (unsigned k = 0; k < n; k++) {
		uint64_t v = 0;
		memcpy(&v, s->b + k * from, from);
		if (sign)
			v = (uint64_t)((int64_t)(v << (64 - 8 * from)) >>
				       (64 - 8 * from));
		memcpy(r.b + k * to, &v, to);
	}
	c->v[i->reg].q[0] = r.q[0];
	c->v[i->reg].q[1] = r.q[1];
}

SSE_FORM(PMOVSXBW_VxWq, pmovx, 1, 2, true)
SSE_FORM(PMOVSXBD_VxWd, pmovx, 1, 4, true)
SSE_FORM(PMOVSXBQ_VxWw, pmovx, 1, 8, true)
SSE_FORM(PMOVSXWD_VxWq, pmovx, 2, 4, true)
SSE_FORM(PMOVSXWQ_VxWd, pmovx, 2, 8, true)
SSE_FORM(PMOVSXDQ_VxWq, pmovx, 4, 8, true)
SSE_FORM(PMOVZXBW_VxWq, pmovx, 1, 2, false)
SSE_FORM(PMOVZXBD_VxWd, pmovx, 1, 4, false)
SSE_FORM(PMOVZXBQ_VxWw, pmovx, 1, 8, false)
SSE_FORM(PMOVZXWD_VxWq, pmovx, 2, 4, false)
SSE_FORM(PMOVZXWQ_VxWd, pmovx, 2, 8, false)
SSE_FORM(PMOVZXDQ_VxWq, pmovx, 4, 8, false)
