/* MMX and SSE integer arithmetic: add and subtract (wrapping and
 * saturating), multiplies, averages, minimum and maximum, absolute
 * differences, the SSSE3 horizontal, sign and absolute-value operations
 * and the SSE4.1 additions (SDM Vol. 2B). */
#include "cpu/sse.h"

VEC_MAP(op_paddb, uint8_t, a + b)
VEC_MAP(op_paddw, uint16_t, a + b)
VEC_MAP(op_paddd, uint32_t, a + b)
VEC_MAP(op_paddq, uint64_t, a + b)
VEC_MAP(op_psubb, uint8_t, a - b)
VEC_MAP(op_psubw, uint16_t, a - b)
VEC_MAP(op_psubd, uint32_t, a - b)
VEC_MAP(op_psubq, uint64_t, a - b)
VEC_MAP(op_paddsb, int8_t, sat_s8(a + b))
VEC_MAP(op_paddsw, int16_t, sat_s16(a + b))
VEC_MAP(op_paddusb, uint8_t, sat_u8(a + b))
VEC_MAP(op_paddusw, uint16_t, sat_u16(a + b))
VEC_MAP(op_psubsb, int8_t, sat_s8(a - b))
VEC_MAP(op_psubsw, int16_t, sat_s16(a - b))
VEC_MAP(op_psubusb, uint8_t, sat_u8(a - b))
VEC_MAP(op_psubusw, uint16_t, sat_u16(a - b))
VEC_MAP(op_pmullw, int16_t, (int32_t)a * b)
VEC_MAP(op_pmulhw, int16_t, ((int32_t)a * b) >> 16)
VEC_MAP(op_pmulhuw, uint16_t, ((uint32_t)a * b) >> 16)
VEC_MAP(op_pmulld, uint32_t, (uint64_t)a * b)
VEC_MAP(op_pavgb, uint8_t, ((unsigned)a + b + 1) >> 1)
VEC_MAP(op_pavgw, uint16_t, ((unsigned)a + b + 1) >> 1)
VEC_MAP(op_pminub, uint8_t, a < b ? a : b)
VEC_MAP(op_pmaxub, uint8_t, a > b ? a : b)
VEC_MAP(op_pminsw, int16_t, a < b ? a : b)
VEC_MAP(op_pmaxsw, int16_t, a > b ? a : b)
VEC_MAP(op_pminsb, int8_t, a < b ? a : b)
VEC_MAP(op_pmaxsb, int8_t, a > b ? a : b)
VEC_MAP(op_pminsd, int32_t, a < b ? a : b)
VEC_MAP(op_pmaxsd, int32_t, a > b ? a : b)
VEC_MAP(op_pminuw, uint16_t, a < b ? a : b)
VEC_MAP(op_pmaxuw, uint16_t, a > b ? a : b)
VEC_MAP(op_pminud, uint32_t, a < b ? a : b)
VEC_MAP(op_pmaxud, uint32_t, a > b ? a : b)
/* PMULHRSW: the product scaled by 2^-15 and rounded (SDM Vol. 2B). */
VEC_MAP(op_pmulhrsw, int16_t, ((((int32_t)a * b) >> 14) + 1) >> 1)
/* PSIGNx: the destination negated, kept or zeroed by the source's sign. */
VEC_MAP(op_psignb, int8_t, b < 0 ? -a : b == 0 ? 0 : a)
VEC_MAP(op_psignw, int16_t, b < 0 ? -a : b == 0 ? 0 : a)
VEC_MAP(op_psignd, int32_t, b < 0 ? (int32_t)(0u - (uint32_t)a) : b == 0 ? 0 : a)
/* PABSx: the source's absolute value; the most negative value stays
 * (as an unsigned result it is right). */
VEC_MAP(op_pabsb, int8_t, b < 0 ? -b : b)
VEC_MAP(op_pabsw, int16_t, b < 0 ? -b : b)
VEC_MAP(op_pabsd, int32_t, b < 0 ? (int32_t)(0u - (uint32_t)b) : b)

/* PMULUDQ / PMULDQ: the even dwords multiplied into quadwords. */
static void op_pmuludq(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	(void)imm;
	for (unsigned k = 0; k < bytes / 8; k++)
		d->q[k] = (uint64_t)d->d[2 * k] * s->d[2 * k];
}

static void op_pmuldq(union vreg *d, const union vreg *s, unsigned bytes,
		      unsigned imm)
{
	(void)imm;
	for (unsigned k = 0; k < bytes / 8; k++)
		d->q[k] = (uint64_t)((int64_t)(int32_t)d->d[2 * k] *
				     (int32_t)s->d[2 * k]);
}

/* PMADDWD: pairs of signed word products summed into dwords (wrapping:
 * 8000h * 8000h twice gives 80000000h). */
static void op_pmaddwd(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	(void)imm;
	for (unsigned k = 0; k < bytes / 4; k++) {
		int32_t p0 = (int16_t)d->w[2 * k] * (int16_t)s->w[2 * k];
		int32_t p1 = (int16_t)d->w[2 * k + 1] * (int16_t)s->w[2 * k + 1];
		d->d[k] = (uint32_t)p0 + (uint32_t)p1;
	}
}

/* PMADDUBSW: unsigned destination bytes times signed source bytes, pairs
 * summed with signed saturation. */
static void op_pmaddubsw(union vreg *d, const union vreg *s, unsigned bytes,
			 unsigned imm)
{
	(void)imm;
	for (unsigned k = 0; k < bytes / 2; k++) {
		int32_t p0 = d->b[2 * k] * (int8_t)s->b[2 * k];
		int32_t p1 = d->b[2 * k + 1] * (int8_t)s->b[2 * k + 1];
		d->w[k] = (uint16_t)sat_s16(p0 + p1);
	}
}

/* PSADBW: per 8-byte group, the sum of absolute byte differences in the
 * low word, the rest zero. */
static void op_psadbw(union vreg *d, const union vreg *s, unsigned bytes,
		      unsigned imm)
{
	(void)imm;
	for (unsigned g = 0; g < bytes / 8; g++) {
		unsigned sum = 0;
		for (unsigned k = 0; k < 8; k++) {
			int a = d->b[8 * g + k], b = s->b[8 * g + k];
			sum += (unsigned)(a > b ? a - b : b - a);
		}
		d->q[g] = sum;
	}
}

/* Horizontal word and dword operations: the destination's adjacent
 * pairs give the low half of the result, the source's the high half
 * (per 128-bit lane for the XMM forms). */
enum hop { H_ADD, H_ADDS, H_SUB, H_SUBS };

static inline int32_t hop_apply(enum hop op, int32_t a, int32_t b)
{
	switch (op) {
	case H_ADD: return a + b;
	case H_ADDS: return sat_s16(a + b);
	case H_SUB: return a - b;
	default: return sat_s16(a - b);
	}
}

static inline __attribute__((always_inline)) void
hop_w(union vreg *d, const union vreg *s, unsigned bytes, enum hop op)
{
	union vreg r;
	unsigned half = bytes / 4; /* result words from each operand */
	for (unsigned k = 0; k < half; k++) {
		r.w[k] = (uint16_t)hop_apply(op, (int16_t)d->w[2 * k],
					     (int16_t)d->w[2 * k + 1]);
		r.w[half + k] = (uint16_t)hop_apply(op, (int16_t)s->w[2 * k],
						    (int16_t)s->w[2 * k + 1]);
	}
	memcpy(d->b, r.b, bytes);
}

static inline __attribute__((always_inline)) void
hop_d(union vreg *d, const union vreg *s, unsigned bytes, enum hop op)
{
	union vreg r;
	unsigned half = bytes / 8;
	for (unsigned k = 0; k < half; k++) {
		r.d[k] = op == H_ADD ? d->d[2 * k] + d->d[2 * k + 1] :
				       d->d[2 * k] - d->d[2 * k + 1];
		r.d[half + k] = op == H_ADD ? s->d[2 * k] + s->d[2 * k + 1] :
					      s->d[2 * k] - s->d[2 * k + 1];
	}
	memcpy(d->b, r.b, bytes);
}

#define HOP(name, kind, op)                                                \
	static void name(union vreg *d, const union vreg *s, unsigned bytes, \
			 unsigned imm)                                     \
	{                                                                  \
		(void)imm;                                                 \
		kind(d, s, bytes, op);                                     \
	}
HOP(op_phaddw, hop_w, H_ADD)
HOP(op_phaddsw, hop_w, H_ADDS)
HOP(op_phsubw, hop_w, H_SUB)
HOP(op_phsubsw, hop_w, H_SUBS)
HOP(op_phaddd, hop_d, H_ADD)
HOP(op_phsubd, hop_d, H_SUB)

/* PHMINPOSUW: the smallest unsigned word and its (lowest) index; the
 * rest of the destination is zeroed. */
static void op_phminposuw(union vreg *d, const union vreg *s, unsigned bytes,
			  unsigned imm)
{
	(void)imm, (void)bytes;
	unsigned min = s->w[0], idx = 0;
	for (unsigned k = 1; k < 8; k++)
		if (s->w[k] < min) {
			min = s->w[k];
			idx = k;
		}
	d->q[0] = min | idx << 16;
	d->q[1] = 0;
}

/* MPSADBW: eight sums of absolute differences between a 4-byte block of
 * the source (imm8 bits 1:0) and sliding 4-byte windows of the
 * destination starting at byte 0 or 4 (imm8 bit 2). */
static void op_mpsadbw(union vreg *d, const union vreg *s, unsigned bytes,
		       unsigned imm)
{
	(void)bytes;
	union vreg r;
	unsigned so = (imm & 3) * 4, doff = (imm & 4);
	for (unsigned j = 0; j < 8; j++) {
		unsigned sum = 0;
		for (unsigned k = 0; k < 4; k++) {
			int a = d->b[doff + j + k], b = s->b[so + k];
			sum += (unsigned)(a > b ? a - b : b - a);
		}
		r.w[j] = (uint16_t)sum;
	}
	d->q[0] = r.q[0];
	d->q[1] = r.q[1];
}

VEC_FORMS(PADDB, op_paddb)
VEC_FORMS(PADDW, op_paddw)
VEC_FORMS(PADDD, op_paddd)
VEC_FORMS(PADDQ, op_paddq)
VEC_FORMS(PSUBB, op_psubb)
VEC_FORMS(PSUBW, op_psubw)
VEC_FORMS(PSUBD, op_psubd)
VEC_FORMS(PSUBQ, op_psubq)
VEC_FORMS(PADDSB, op_paddsb)
VEC_FORMS(PADDSW, op_paddsw)
VEC_FORMS(PADDUSB, op_paddusb)
VEC_FORMS(PADDUSW, op_paddusw)
VEC_FORMS(PSUBSB, op_psubsb)
VEC_FORMS(PSUBSW, op_psubsw)
VEC_FORMS(PSUBUSB, op_psubusb)
VEC_FORMS(PSUBUSW, op_psubusw)
VEC_FORMS(PMULLW, op_pmullw)
VEC_FORMS(PMULHW, op_pmulhw)
VEC_FORMS(PMULHUW, op_pmulhuw)
VEC_FORMS(PMULUDQ, op_pmuludq)
VEC_FORMS(PMADDWD, op_pmaddwd)
VEC_FORMS(PAVGB, op_pavgb)
VEC_FORMS(PAVGW, op_pavgw)
VEC_FORMS(PMINUB, op_pminub)
VEC_FORMS(PMAXUB, op_pmaxub)
VEC_FORMS(PMINSW, op_pminsw)
VEC_FORMS(PMAXSW, op_pmaxsw)
VEC_FORMS(PSADBW, op_psadbw)
VEC_FORMS(PHADDW, op_phaddw)
VEC_FORMS(PHADDD, op_phaddd)
VEC_FORMS(PHADDSW, op_phaddsw)
VEC_FORMS(PHSUBW, op_phsubw)
VEC_FORMS(PHSUBD, op_phsubd)
VEC_FORMS(PHSUBSW, op_phsubsw)
VEC_FORMS(PMADDUBSW, op_pmaddubsw)
VEC_FORMS(PSIGNB, op_psignb)
VEC_FORMS(PSIGNW, op_psignw)
VEC_FORMS(PSIGND, op_psignd)
VEC_FORMS(PMULHRSW, op_pmulhrsw)
VEC_FORMS(PABSB, op_pabsb)
VEC_FORMS(PABSW, op_pabsw)
VEC_FORMS(PABSD, op_pabsd)
XMM_FORM(PMULDQ_VxWx, op_pmuldq)
XMM_FORM(PMULLD_VxWx, op_pmulld)
XMM_FORM(PMINSB_VxWx, op_pminsb)
XMM_FORM(PMINSD_VxWx, op_pminsd)
XMM_FORM(PMINUW_VxWx, op_pminuw)
XMM_FORM(PMINUD_VxWx, op_pminud)
XMM_FORM(PMAXSB_VxWx, op_pmaxsb)
XMM_FORM(PMAXSD_VxWx, op_pmaxsd)
XMM_FORM(PMAXUW_VxWx, op_pmaxuw)
XMM_FORM(PMAXUD_VxWx, op_pmaxud)
XMM_FORM(PHMINPOSUW_VxWx, op_phminposuw)
XMM_FORM(MPSADBW_VxWxIb, op_mpsadbw)
