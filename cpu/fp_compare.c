/* Comparisons (COMISS/UCOMISS, FCOM/FUCOM and relatives), the CMPPS
 * predicates, and MIN/MAX with the x86 operand rule (SDM Vol. 1 4.8.3.6,
 * 11.5.2; Vol. 2 CMPPS, COMISS, FCOM, MINPS, MAXPS). */
#include "cpu/fp.h"
#include "cpu/fp_internal.h"

/* Order of two numbers that are neither NaN nor unsupported. */
static enum fp_rel order(const struct fp_num *a, const struct fp_num *b)
{
	bool za = a->cls == FP_CLASS_ZERO, zb = b->cls == FP_CLASS_ZERO;
	if (za && zb)
		return FP_REL_EQ;
	bool sa = za ? !b->sign : a->sign, sb = zb ? !a->sign : b->sign;
	if (sa != sb)
		return sa ? FP_REL_LT : FP_REL_GT;
	/* Same sign: compare magnitudes (zero < finite < infinity). */
	int ka = za ? 0 : a->cls == FP_CLASS_INF ? 2 : 1;
	int kb = zb ? 0 : b->cls == FP_CLASS_INF ? 2 : 1;
	int c;
	if (ka != kb)
		c = ka < kb ? -1 : 1;
	else if (ka != 1 || (a->exp == b->exp && a->sig == b->sig))
		c = 0;
	else if (a->exp != b->exp)
		c = a->exp < b->exp ? -1 : 1;
	else
		c = a->sig < b->sig ? -1 : 1;
	if (c == 0)
		return FP_REL_EQ;
	if (sa)
		c = -c;
	return c < 0 ? FP_REL_LT : FP_REL_GT;
}

static enum fp_rel compare(struct fp_env *env, const struct fp_num *a,
			   const struct fp_num *b, bool signalling)
{
	if (a->cls == FP_CLASS_UNSUPPORTED || b->cls == FP_CLASS_UNSUPPORTED) {
		env->flags |= FP_X_IE;
		return FP_REL_UN;
	}
	if (fp_is_nan(a) || fp_is_nan(b)) {
		if (signalling || a->cls == FP_CLASS_SNAN
		    || b->cls == FP_CLASS_SNAN)
			env->flags |= FP_X_IE;
		return FP_REL_UN;
	}
	if (a->cls == FP_CLASS_DENORMAL || b->cls == FP_CLASS_DENORMAL)
		env->flags |= FP_X_DE;
	return order(a, b);
}

enum fp_rel fp_f32_compare(struct fp_env *env, uint32_t a, uint32_t b,
			   bool signalling)
{
	struct fp_num x = fp_unpack32(a, env->daz), y = fp_unpack32(b, env->daz);
	return compare(env, &x, &y, signalling);
}

enum fp_rel fp_f64_compare(struct fp_env *env, uint64_t a, uint64_t b,
			   bool signalling)
{
	struct fp_num x = fp_unpack64(a, env->daz), y = fp_unpack64(b, env->daz);
	return compare(env, &x, &y, signalling);
}

enum fp_rel fp_f80_compare(struct fp_env *env, struct f80 a, struct f80 b,
			   bool signalling)
{
	struct fp_num x = fp_unpack80(a), y = fp_unpack80(b);
	return compare(env, &x, &y, signalling);
}

/* The 32 VCMPPS predicates (SDM Vol. 2 CMPPS, table 3-1): for each, the
 * set of relations for which it holds (bit = enum fp_rel). Predicates
 * 16-31 repeat 0-15 with the signalling kind inverted. */
#define R_LT (1u << FP_REL_LT)
#define R_EQ (1u << FP_REL_EQ)
#define R_GT (1u << FP_REL_GT)
#define R_UN (1u << FP_REL_UN)
static const uint8_t pred_true[16] = {
	R_EQ,                  /* EQ_OQ */
	R_LT,                  /* LT_OS */
	R_LT | R_EQ,           /* LE_OS */
	R_UN,                  /* UNORD_Q */
	R_LT | R_GT | R_UN,    /* NEQ_UQ */
	R_EQ | R_GT | R_UN,    /* NLT_US */
	R_GT | R_UN,           /* NLE_US */
	R_LT | R_EQ | R_GT,    /* ORD_Q */
	R_EQ | R_UN,           /* EQ_UQ */
	R_LT | R_UN,           /* NGE_US */
	R_LT | R_EQ | R_UN,    /* NGT_US */
	0,                     /* FALSE_OQ */
	R_LT | R_GT,           /* NEQ_OQ */
	R_EQ | R_GT,           /* GE_OS */
	R_GT,                  /* GT_OS */
	R_LT | R_EQ | R_GT | R_UN, /* TRUE_UQ */
};
/* Bit set: the predicate (0-15) signals on a QNaN. */
#define PRED_SIGNALLING 0x6666u

static bool pred_holds(struct fp_env *env, const struct fp_num *a,
		       const struct fp_num *b, unsigned pred)
{
	bool sig = ((PRED_SIGNALLING >> (pred & 15)) & 1) ^ ((pred >> 4) & 1);
	enum fp_rel r = compare(env, a, b, sig);
	return (pred_true[pred & 15] >> r) & 1;
}

bool fp_f32_cmp_pred(struct fp_env *env, uint32_t a, uint32_t b,
		     unsigned pred)
{
	struct fp_num x = fp_unpack32(a, env->daz), y = fp_unpack32(b, env->daz);
	return pred_holds(env, &x, &y, pred & 31);
}

bool fp_f64_cmp_pred(struct fp_env *env, uint64_t a, uint64_t b,
		     unsigned pred)
{
	struct fp_num x = fp_unpack64(a, env->daz), y = fp_unpack64(b, env->daz);
	return pred_holds(env, &x, &y, pred & 31);
}

/* MIN/MAX: 0 picks a, 1 picks b. Both zeros and any NaN pick b; a NaN
 * raises IE whether quiet or signalling (SDM Vol. 2 MINPS). */
static int minmax_pick(struct fp_env *env, const struct fp_num *a,
		       const struct fp_num *b, bool max)
{
	if (fp_is_nan(a) || fp_is_nan(b)) {
		env->flags |= FP_X_IE;
		return 1;
	}
	if (a->cls == FP_CLASS_DENORMAL || b->cls == FP_CLASS_DENORMAL)
		if (fp_raise_pre(env, FP_X_DE))
			return 1;
	enum fp_rel r = order(a, b);
	return max ? r != FP_REL_GT : r != FP_REL_LT;
}

/* Under DAZ the operands are read as zeros, and a zero is what comes
 * out. */
static uint32_t daz32(const struct fp_env *env, uint32_t v)
{
	return env->daz && (v & 0x7f800000u) == 0 ? v & 0x80000000u : v;
}

static uint64_t daz64(const struct fp_env *env, uint64_t v)
{
	return env->daz && (v & 0x7ff0000000000000ull) == 0
		? v & 0x8000000000000000ull : v;
}

uint32_t fp_f32_min(struct fp_env *env, uint32_t a, uint32_t b)
{
	struct fp_num x = fp_unpack32(a, env->daz), y = fp_unpack32(b, env->daz);
	return daz32(env, minmax_pick(env, &x, &y, false) ? b : a);
}

uint32_t fp_f32_max(struct fp_env *env, uint32_t a, uint32_t b)
{
	struct fp_num x = fp_unpack32(a, env->daz), y = fp_unpack32(b, env->daz);
	return daz32(env, minmax_pick(env, &x, &y, true) ? b : a);
}

uint64_t fp_f64_min(struct fp_env *env, uint64_t a, uint64_t b)
{
	struct fp_num x = fp_unpack64(a, env->daz), y = fp_unpack64(b, env->daz);
	return daz64(env, minmax_pick(env, &x, &y, false) ? b : a);
}

uint64_t fp_f64_max(struct fp_env *env, uint64_t a, uint64_t b)
{
	struct fp_num x = fp_unpack64(a, env->daz), y = fp_unpack64(b, env->daz);
	return daz64(env, minmax_pick(env, &x, &y, true) ? b : a);
}
