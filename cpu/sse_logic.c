/* MMX and SSE bitwise logic and integer compares: PAND PANDN POR PXOR,
 * their ANDPS/ANDPD... twins (bitwise, no floating-point exceptions),
 * PCMPEQx PCMPGTx and PTEST (SDM Vol. 2A/2B). */
#include "cpu/sse.h"

VEC_MAP(op_pand, uint64_t, a & b)
VEC_MAP(op_pandn, uint64_t, ~a & b)
VEC_MAP(op_por, uint64_t, a | b)
VEC_MAP(op_pxor, uint64_t, a ^ b)
VEC_MAP(op_pcmpeqb, uint8_t, a == b ? 0xff : 0)
VEC_MAP(op_pcmpeqw, uint16_t, a == b ? 0xffff : 0)
VEC_MAP(op_pcmpeqd, uint32_t, a == b ? ~0u : 0)
VEC_MAP(op_pcmpeqq, uint64_t, a == b ? ~0ull : 0)
VEC_MAP(op_pcmpgtb, int8_t, a > b ? -1 : 0)
VEC_MAP(op_pcmpgtw, int16_t, a > b ? -1 : 0)
VEC_MAP(op_pcmpgtd, int32_t, a > b ? -1 : 0)
VEC_MAP(op_pcmpgtq, int64_t, a > b ? -1 : 0)

VEC_FORMS(PAND, op_pand)
VEC_FORMS(PANDN, op_pandn)
VEC_FORMS(POR, op_por)
VEC_FORMS(PXOR, op_pxor)
VEC_FORMS(PCMPEQB, op_pcmpeqb)
VEC_FORMS(PCMPEQW, op_pcmpeqw)
VEC_FORMS(PCMPEQD, op_pcmpeqd)
VEC_FORMS(PCMPGTB, op_pcmpgtb)
VEC_FORMS(PCMPGTW, op_pcmpgtw)
VEC_FORMS(PCMPGTD, op_pcmpgtd)
XMM_FORM(PCMPEQQ_VxWx, op_pcmpeqq)
XMM_FORM(PCMPGTQ_VxWx, op_pcmpgtq)
XMM_FORM(ANDPS_VpsWps, op_pand)
XMM_FORM(ANDPD_VpdWpd, op_pand)
XMM_FORM(ANDNPS_VpsWps, op_pandn)
XMM_FORM(ANDNPD_VpdWpd, op_pandn)
XMM_FORM(ORPS_VpsWps, op_por)
XMM_FORM(ORPD_VpdWpd, op_por)
XMM_FORM(XORPS_VpsWps, op_pxor)
XMM_FORM(XORPD_VpdWpd, op_pxor)

/* PTEST: ZF = (dest AND source) == 0, CF = (NOT dest AND source) == 0;
 * AF OF PF SF cleared. Nothing is written but RFLAGS. */
static inline __attribute__((always_inline)) void
ptest(struct cpu *c, const struct insn *i, bool mem)
{
	union vreg t;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, XMM_BYTES, true);
	const union vreg *d = &c->v[i->reg];
	uint64_t z = (d->q[0] & s->q[0]) | (d->q[1] & s->q[1]);
	uint64_t cz = (~d->q[0] & s->q[0]) | (~d->q[1] & s->q[1]);
	flags_set_arith(c, (z ? 0 : FLAG_ZF) | (cz ? 0 : FLAG_CF));
}

SSE_FORM(PTEST_VxWx, ptest)
