/* Add, subtract, multiply, divide and square root for f32, f64 and f80:
 * one exact core per operation on unpacked numbers, then one rounding
 * (SDM Vol. 1 4.8.3, 4.9; special cases from the Vol. 2 pages). */
#include "cpu/fp.h"
#include "cpu/fp_internal.h"

/* A core's answer: either a finite nonzero value to round,
 * sign * v * 2^(exp - 127), or a final special value (zero, infinity,
 * NaN) in n, which needs no rounding. */
struct wide {
	bool final;
	bool sign;
	int32_t exp;
	fp_u128 v;
	struct fp_num n;
};

static inline bool is_x87_bad(bool x87, const struct fp_num *a,
			      const struct fp_num *b)
{
	return x87 && (a->cls == FP_CLASS_UNSUPPORTED
		       || (b && b->cls == FP_CLASS_UNSUPPORTED));
}

static inline void final(struct wide *w, struct fp_num n)
{
	w->final = true;
	w->n = n;
}

static inline void invalid(struct fp_env *env, struct wide *w)
{
	env->flags |= FP_X_IE;
	final(w, fp_default_nan());
}

static inline void exact(struct wide *w, const struct fp_num *n)
{
	w->final = false;
	w->sign = n->sign;
	w->exp = n->exp;
	w->v = (fp_u128)n->sig << 64;
}

/* NaN operands and unsupported encodings; true when w is set. */
static inline bool nan_operands(struct fp_env *env, bool x87,
				const struct fp_num *a,
				const struct fp_num *b, struct wide *w)
{
	if (__builtin_expect(is_x87_bad(x87, a, b), 0)) {
		invalid(env, w);
		return true;
	}
	if (fp_is_nan(a) || (b && fp_is_nan(b))) {
		final(w, x87 ? fp_nan_x87(env, a, b) : fp_nan_sse(env, a, b));
		return true;
	}
	return false;
}

/* DE for a denormal operand; true when it is unmasked (stop). */
static inline bool denormal_operands(struct fp_env *env,
				     const struct fp_num *a,
				     const struct fp_num *b, struct wide *w)
{
	if (a->cls == FP_CLASS_DENORMAL || (b && b->cls == FP_CLASS_DENORMAL))
		if (fp_raise_pre(env, FP_X_DE)) {
			final(w, fp_default_nan());
			return true;
		}
	return false;
}

static void add_core(struct fp_env *env, bool x87, struct fp_num a,
		     struct fp_num b, bool sub, struct wide *w)
{
	if (nan_operands(env, x87, &a, &b, w))
		return;
	if (sub)
		b.sign = !b.sign;
	if (a.cls == FP_CLASS_INF || b.cls == FP_CLASS_INF) {
		if (a.cls == b.cls && a.sign != b.sign)
			return invalid(env, w);
		if (denormal_operands(env, &a, &b, w))
			return;
		return final(w, a.cls == FP_CLASS_INF ? a : b);
	}
	if (denormal_operands(env, &a, &b, w))
		return;
	if (a.cls == FP_CLASS_ZERO || b.cls == FP_CLASS_ZERO) {
		if (a.cls == b.cls) {
			/* SDM Vol. 1 4.8.3.5: opposite-signed zeros sum to
			 * +0, or -0 when rounding down. */
			bool s = a.sign == b.sign ? a.sign
				: env->rc == FP_RC_DOWN;
			return final(w, fp_special(s, FP_CLASS_ZERO));
		}
		return exact(w, a.cls == FP_CLASS_ZERO ? &b : &a);
	}
	if (a.exp < b.exp || (a.exp == b.exp && a.sig < b.sig)) {
		struct fp_num t = a;
		a = b;
		b = t;
	}
	uint32_t d = (uint32_t)(a.exp - b.exp);
	fp_u128 va = (fp_u128)a.sig << 63, vb = (fp_u128)b.sig << 63;
	if (d > 126)
		vb = 1;
	else if (d)
		vb = (vb >> d) | ((vb << (128 - d)) != 0);
	w->final = false;
	w->sign = a.sign;
	w->exp = a.exp + 1;
	if (a.sign == b.sign) {
		w->v = va + vb;
	} else {
		w->v = va - vb;
		if (w->v == 0)
			return final(w, fp_special(env->rc == FP_RC_DOWN,
						   FP_CLASS_ZERO));
	}
}

static void mul_core(struct fp_env *env, bool x87, struct fp_num a,
		     struct fp_num b, struct wide *w)
{
	if (nan_operands(env, x87, &a, &b, w))
		return;
	bool s = a.sign != b.sign;
	if (a.cls == FP_CLASS_INF || b.cls == FP_CLASS_INF) {
		if (a.cls == FP_CLASS_ZERO || b.cls == FP_CLASS_ZERO)
			return invalid(env, w);
		if (denormal_operands(env, &a, &b, w))
			return;
		return final(w, fp_special(s, FP_CLASS_INF));
	}
	if (denormal_operands(env, &a, &b, w))
		return;
	if (a.cls == FP_CLASS_ZERO || b.cls == FP_CLASS_ZERO)
		return final(w, fp_special(s, FP_CLASS_ZERO));
	w->final = false;
	w->sign = s;
	w->exp = a.exp + b.exp + 1;
	w->v = (fp_u128)a.sig * b.sig;
}

static void div_core(struct fp_env *env, bool x87, struct fp_num a,
		     struct fp_num b, struct wide *w)
{
	if (nan_operands(env, x87, &a, &b, w))
		return;
	bool s = a.sign != b.sign;
	if (a.cls == FP_CLASS_INF) {
		if (b.cls == FP_CLASS_INF)
			return invalid(env, w);
		if (denormal_operands(env, &a, &b, w))
			return;
		return final(w, fp_special(s, FP_CLASS_INF));
	}
	if (b.cls == FP_CLASS_ZERO) {
		if (a.cls == FP_CLASS_ZERO)
			return invalid(env, w);
		/* Divide by zero outranks a denormal dividend: no DE
		 * (SDM Vol. 1 4.9.2). */
		if (fp_raise_pre(env, FP_X_ZE))
			return final(w, fp_default_nan());
		return final(w, fp_special(s, FP_CLASS_INF));
	}
	if (denormal_operands(env, &a, &b, w))
		return;
	if (b.cls == FP_CLASS_INF || a.cls == FP_CLASS_ZERO)
		return final(w, fp_special(s, FP_CLASS_ZERO));
	/* Two steps of 128/64 division give a 128-bit quotient; the
	 * final remainder is the sticky bit. */
	fp_u128 n1 = (fp_u128)a.sig << 64;
	fp_u128 q1 = n1 / b.sig;
	uint64_t r1 = (uint64_t)(n1 - q1 * b.sig);
	fp_u128 n2 = (fp_u128)r1 << 64;
	uint64_t q2 = (uint64_t)(n2 / b.sig);
	bool r2 = (uint64_t)(n2 - (fp_u128)q2 * b.sig) != 0;
	w->final = false;
	w->sign = s;
	w->exp = a.exp - b.exp + 1;
	w->v = (q1 << 62) | (q2 >> 2) | ((q2 & 3) != 0) | r2;
}

/* floor(sqrt(v)), digit by digit, without branches on the data. */
static uint64_t isqrt64(uint64_t v)
{
	uint64_t r = 0;
	for (uint64_t bit = 1ull << 62; bit; bit >>= 2) {
		uint64_t t = r + bit, take = 0 - (uint64_t)(v >= t);
		v -= t & take;
		r = (r >> 1) + (bit & take);
	}
	return r;
}

/* floor(sqrt(n)) for 2^126 <= n < 2^128, the remainder in *rem: a 32-bit
 * root of the top half, one Newton step, then an exact correction. */
static uint64_t isqrt128(fp_u128 n, fp_u128 *rem)
{
	fp_u128 r = (fp_u128)isqrt64((uint64_t)(n >> 64)) << 32;
	/* The guess is good to 31 bits and below the root: one step
	 * lands a few units above it, and below 2^64 + 2. */
	r = (r + n / (uint64_t)r) >> 1;
	if (r >> 64)
		r = ~0ull;
	while (r * r > n)
		r--;
	while (r != ~0ull && (r + 1) * (r + 1) <= n)
		r++;
	*rem = n - r * r;
	return (uint64_t)r;
}

static void sqrt_core(struct fp_env *env, bool x87, struct fp_num a,
		      struct wide *w)
{
	if (nan_operands(env, x87, &a, NULL, w))
		return;
	if (a.cls == FP_CLASS_ZERO)
		return final(w, a);
	if (a.sign)
		return invalid(env, w);
	if (a.cls == FP_CLASS_INF)
		return final(w, a);
	if (denormal_operands(env, &a, NULL, w))
		return;
	/* sqrt(sig * 2^k), k = exp - 63: make the power even. */
	int32_t k = a.exp - 63;
	fp_u128 n, rem;
	int32_t half;
	if (k & 1) {
		n = (fp_u128)a.sig << 63;
		half = (k - 63) / 2;
	} else {
		n = (fp_u128)a.sig << 64;
		half = (k - 64) / 2;
	}
	uint64_t r = isqrt128(n, &rem);
	/* The fraction of the root beyond r is >= 1/2 exactly when
	 * rem > r, and never exactly 1/2. */
	uint64_t ext = (rem > r ? 1ull << 63 : 0) | (rem != 0);
	w->final = false;
	w->sign = false;
	w->exp = 63 + half;
	w->v = (fp_u128)r << 64 | ext;
}

/* ---- Fast paths ----
 * Normal operands whose result is normal: 64-bit integer arithmetic with
 * the significand's top at bit 63 and the discarded bits below it, then
 * one rounding. Anything else (zeros, denormals, infinities, NaNs, DAZ
 * inputs, results that under- or overflow) returns false and takes the
 * exact general path above, which the fast path must agree with. */

/* fb fraction bits, eb exponent bits of the format. */
#define FMT_FRAC(fb) ((1ull << (fb)) - 1)
#define FMT_EMAX(eb) ((1u << (eb)) - 1)

static inline bool normal_pair(uint64_t a, uint64_t b, unsigned fb,
			       unsigned eb, uint32_t *ea, uint32_t *ebx)
{
	*ea = (uint32_t)(a >> fb) & FMT_EMAX(eb);
	*ebx = (uint32_t)(b >> fb) & FMT_EMAX(eb);
	return *ea - 1 < FMT_EMAX(eb) - 1 && *ebx - 1 < FMT_EMAX(eb) - 1;
}

/* Round s (top bit at 63, sticky folded into bit 0) to fb + 1 bits with
 * biased exponent e; false when the result leaves the normal range. */
static inline bool round_fast(struct fp_env *env, bool sign, int32_t e,
			      uint64_t s, unsigned fb, unsigned eb,
			      uint64_t *r)
{
	unsigned drop = 63 - fb;
	uint64_t sig = s >> drop, rest = s & ((1ull << drop) - 1);
	uint64_t half = 1ull << (drop - 1);
	bool inc;
	switch (env->rc) {
	case FP_RC_NEAREST:
		inc = rest > half || (rest == half && (sig & 1));
		break;
	case FP_RC_DOWN:
		inc = rest && sign;
		break;
	case FP_RC_UP:
		inc = rest && !sign;
		break;
	default:
		inc = false;
		break;
	}
	sig += inc;
	if (sig >> (fb + 1)) {
		sig >>= 1;
		e++;
	}
	if ((uint32_t)e - 1 >= FMT_EMAX(eb) - 1)
		return false;
	if (rest) {
		env->flags |= FP_X_PE;
		env->c1 |= inc;
	}
	*r = (uint64_t)sign << (fb + eb) | (uint64_t)e << fb
		| (sig & FMT_FRAC(fb));
	return true;
}

static inline bool add_fast(struct fp_env *env, uint64_t a, uint64_t b,
			    bool sub, unsigned fb, unsigned eb, uint64_t *r)
{
	uint32_t ea, ebx;
	if (!normal_pair(a, b, fb, eb, &ea, &ebx))
		return false;
	/* Significands with the top at bit 61: two bits of headroom. */
	uint64_t sa = ((a & FMT_FRAC(fb)) | (1ull << fb)) << (61 - fb);
	uint64_t sb = ((b & FMT_FRAC(fb)) | (1ull << fb)) << (61 - fb);
	bool ga = (a >> (fb + eb)) & 1, gb = ((b >> (fb + eb)) & 1) ^ sub;
	if (ea < ebx || (ea == ebx && sa < sb)) {
		uint64_t t = sa;
		sa = sb;
		sb = t;
		uint32_t te = ea;
		ea = ebx;
		ebx = te;
		bool tg = ga;
		ga = gb;
		gb = tg;
	}
	uint32_t d = ea - ebx;
	if (d >= 62)
		sb = 1;
	else if (d)
		sb = (sb >> d) | ((sb << (64 - d)) != 0);
	uint64_t sum;
	if (ga == gb) {
		sum = sa + sb;
	} else {
		sum = sa - sb;
		if (sum == 0) {
			*r = (uint64_t)(env->rc == FP_RC_DOWN) << (fb + eb);
			return true;
		}
	}
	int z = fp_clz64(sum);
	return round_fast(env, ga, (int32_t)ea + 2 - z, sum << z, fb, eb, r);
}

static inline bool mul_fast(struct fp_env *env, uint64_t a, uint64_t b,
			    unsigned fb, unsigned eb, uint64_t *r)
{
	uint32_t ea, ebx;
	if (!normal_pair(a, b, fb, eb, &ea, &ebx))
		return false;
	uint64_t sa = ((a & FMT_FRAC(fb)) | (1ull << fb)) << (63 - fb);
	uint64_t sb = ((b & FMT_FRAC(fb)) | (1ull << fb)) << (63 - fb);
	bool sign = ((a ^ b) >> (fb + eb)) & 1;
	fp_u128 p = (fp_u128)sa * sb;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p;
	int32_t e = (int32_t)(ea + ebx) - (int32_t)(FMT_EMAX(eb) >> 1);
	if (hi >> 63) {
		e++;
	} else {
		hi = hi << 1 | lo >> 63;
		lo <<= 1;
	}
	return round_fast(env, sign, e, hi | (lo != 0), fb, eb, r);
}

static inline bool div_fast(struct fp_env *env, uint64_t a, uint64_t b,
			    unsigned fb, unsigned eb, uint64_t *r)
{
	uint32_t ea, ebx;
	if (!normal_pair(a, b, fb, eb, &ea, &ebx))
		return false;
	uint64_t ma = (a & FMT_FRAC(fb)) | (1ull << fb);
	uint64_t mb = (b & FMT_FRAC(fb)) | (1ull << fb);
	bool sign = ((a ^ b) >> (fb + eb)) & 1;
	/* q = ma * 2^k / mb, whose bit k stands for 2^0: k = 39 for f32
	 * (a 40-bit quotient in 64-bit arithmetic), 63 for f64. */
	unsigned k = fb < 32 ? 39 : 63;
	uint64_t q;
	bool sticky;
	if (fb < 32) {
		uint64_t n = ma << k;
		q = n / mb;
		sticky = n % mb != 0;
	} else {
		fp_u128 n = (fp_u128)ma << k;
		q = (uint64_t)(n / mb);
		sticky = (uint64_t)(n % mb) != 0;
	}
	int z = fp_clz64(q);
	int32_t e = (int32_t)ea - (int32_t)ebx + (int32_t)(FMT_EMAX(eb) >> 1)
		+ (int32_t)(63 - k) - z;
	q = q << z | sticky;
	return round_fast(env, sign, e, q, fb, eb, r);
}

/* ---- Per-format entry points ---- */

static inline uint32_t out32(struct fp_env *env, const struct wide *w)
{
	if (w->final)
		return fp_pack32(&w->n);
	return fp_round32_wide(env, w->sign, w->exp, w->v);
}

static inline uint64_t out64(struct fp_env *env, const struct wide *w)
{
	if (w->final)
		return fp_pack64(&w->n);
	return fp_round64_wide(env, w->sign, w->exp, w->v);
}

static inline struct f80 out80(struct fp_env *env, const struct wide *w)
{
	if (w->final)
		return fp_pack80(&w->n);
	return fp_round80_wide(env, fp_pc_bits(env), w->sign, w->exp, w->v);
}

#define UN32(x) fp_unpack32(x, env->daz)
#define UN64(x) fp_unpack64(x, env->daz)

/* The single- and double-precision entry points, one template for both
 * formats: the fast path for ordinary operands, else the exact core. */
#define FP_ARITH(fmt, T, frac_bits, exp_bits, unpack, out)               \
	T fp_##fmt##_add(struct fp_env *env, T a, T b)                   \
	{                                                                \
		uint64_t r;                                              \
		if (add_fast(env, a, b, false, frac_bits, exp_bits, &r)) \
			return (T)r;                                     \
		struct wide w;                                           \
		add_core(env, false, unpack(a), unpack(b), false, &w);   \
		return out(env, &w);                                     \
	}                                                                \
	T fp_##fmt##_sub(struct fp_env *env, T a, T b)                   \
	{                                                                \
		uint64_t r;                                              \
		if (add_fast(env, a, b, true, frac_bits, exp_bits, &r))  \
			return (T)r;                                     \
		struct wide w;                                           \
		add_core(env, false, unpack(a), unpack(b), true, &w);    \
		return out(env, &w);                                     \
	}                                                                \
	T fp_##fmt##_mul(struct fp_env *env, T a, T b)                   \
	{                                                                \
		uint64_t r;                                              \
		if (mul_fast(env, a, b, frac_bits, exp_bits, &r))        \
			return (T)r;                                     \
		struct wide w;                                           \
		mul_core(env, false, unpack(a), unpack(b), &w);          \
		return out(env, &w);                                     \
	}                                                                \
	T fp_##fmt##_div(struct fp_env *env, T a, T b)                   \
	{                                                                \
		uint64_t r;                                              \
		if (div_fast(env, a, b, frac_bits, exp_bits, &r))        \
			return (T)r;                                     \
		struct wide w;                                           \
		div_core(env, false, unpack(a), unpack(b), &w);          \
		return out(env, &w);                                     \
	}                                                                \
	T fp_##fmt##_sqrt(struct fp_env *env, T a)                       \
	{                                                                \
		struct wide w;                                           \
		sqrt_core(env, false, unpack(a), &w);                    \
		return out(env, &w);                                     \
	}

FP_ARITH(f32, uint32_t, 23, 8, UN32, out32)
FP_ARITH(f64, uint64_t, 52, 11, UN64, out64)

struct f80 fp_f80_add(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct wide w;
	add_core(env, true, fp_unpack80(a), fp_unpack80(b), false, &w);
	return out80(env, &w);
}

struct f80 fp_f80_sub(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct wide w;
	add_core(env, true, fp_unpack80(a), fp_unpack80(b), true, &w);
	return out80(env, &w);
}

struct f80 fp_f80_mul(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct wide w;
	mul_core(env, true, fp_unpack80(a), fp_unpack80(b), &w);
	return out80(env, &w);
}

struct f80 fp_f80_div(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct wide w;
	div_core(env, true, fp_unpack80(a), fp_unpack80(b), &w);
	return out80(env, &w);
}

struct f80 fp_f80_sqrt(struct fp_env *env, struct f80 a)
{
	struct wide w;
	sqrt_core(env, true, fp_unpack80(a), &w);
	return out80(env, &w);
}
