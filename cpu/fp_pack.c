/* Unpacking, classification, NaN selection and the one rounding routine
 * that every floating-point result goes through (SDM Vol. 1 4.8, 4.9.1). */
#include "cpu/fp.h"
#include "cpu/fp_internal.h"

const struct fp_fmt fp_fmts[3] = {
	[FP_F32] = { -126, 127, 127, 192, 24 },
	[FP_F64] = { -1022, 1023, 1023, 1536, 53 },
	[FP_F80] = { -16382, 16383, 16383, 24576, 64 },
};

struct fp_env fp_env_from_mxcsr(uint32_t mxcsr)
{
	struct fp_env e = {
		.rc = (mxcsr >> 13) & 3,
		.pc = FP_PC_64,
		.masks = (mxcsr >> 7) & FP_X_ALL,
		.flags = mxcsr & FP_X_ALL,
		.daz = (mxcsr >> 6) & 1,
		.ftz = (mxcsr >> 15) & 1,
	};
	return e;
}

uint32_t fp_env_to_mxcsr(const struct fp_env *env, uint32_t mxcsr)
{
	mxcsr &= ~0xffffu;
	mxcsr |= env->flags & FP_X_ALL;
	mxcsr |= (uint32_t)env->daz << 6;
	mxcsr |= (uint32_t)(env->masks & FP_X_ALL) << 7;
	mxcsr |= (uint32_t)(env->rc & 3) << 13;
	mxcsr |= (uint32_t)env->ftz << 15;
	return mxcsr;
}

struct fp_env fp_env_from_fcw(uint16_t fcw)
{
	struct fp_env e = {
		.rc = (fcw >> 10) & 3,
		.pc = (fcw >> 8) & 3,
		.masks = fcw & FP_X_ALL,
	};
	return e;
}

/* ---- Classification and unpacking ---- */

struct fp_num fp_unpack32(uint32_t a, bool daz)
{
	struct fp_num n = { .sign = a >> 31 };
	uint32_t e = (a >> 23) & 0xff, frac = a & 0x7fffff;
	n.sig = FP_SIG_INT | (uint64_t)frac << 40;
	if (e == 0xff) {
		n.cls = frac == 0 ? FP_CLASS_INF
			: (frac & 0x400000) ? FP_CLASS_QNAN : FP_CLASS_SNAN;
	} else if (e != 0) {
		n.cls = FP_CLASS_NORMAL;
		n.exp = (int32_t)e - 127;
	} else if (frac == 0 || daz) {
		n.cls = FP_CLASS_ZERO;
	} else {
		int s = fp_clz64((uint64_t)frac << 40);
		n.cls = FP_CLASS_DENORMAL;
		n.sig = (uint64_t)frac << (40 + s);
		n.exp = -126 - s;
	}
	return n;
}

struct fp_num fp_unpack64(uint64_t a, bool daz)
{
	struct fp_num n = { .sign = a >> 63 };
	uint32_t e = (a >> 52) & 0x7ff;
	uint64_t frac = a & 0xfffffffffffffull;
	n.sig = FP_SIG_INT | frac << 11;
	if (e == 0x7ff) {
		n.cls = frac == 0 ? FP_CLASS_INF
			: (frac >> 51) ? FP_CLASS_QNAN : FP_CLASS_SNAN;
	} else if (e != 0) {
		n.cls = FP_CLASS_NORMAL;
		n.exp = (int32_t)e - 1023;
	} else if (frac == 0 || daz) {
		n.cls = FP_CLASS_ZERO;
	} else {
		int s = fp_clz64(frac << 11);
		n.cls = FP_CLASS_DENORMAL;
		n.sig = frac << (11 + s);
		n.exp = -1022 - s;
	}
	return n;
}

/* SDM Vol. 1 8.2.2, table 8-3: encodings with the integer bit clear and
 * a nonzero exponent are unsupported; exponent 0 with the integer bit set
 * is a pseudo-denormal, read as a denormal (exponent -16382). */
struct fp_num fp_unpack80(struct f80 a)
{
	struct fp_num n = { .sign = a.sign_exp >> 15, .sig = a.signif };
	uint32_t e = a.sign_exp & 0x7fff;
	if (e == 0x7fff) {
		if (!(a.signif & FP_SIG_INT))
			n.cls = FP_CLASS_UNSUPPORTED;
		else if ((a.signif << 1) == 0)
			n.cls = FP_CLASS_INF;
		else
			n.cls = (a.signif & FP_SIG_QUIET) ? FP_CLASS_QNAN
				: FP_CLASS_SNAN;
	} else if (e != 0) {
		n.cls = (a.signif & FP_SIG_INT) ? FP_CLASS_NORMAL
			: FP_CLASS_UNSUPPORTED;
		n.exp = (int32_t)e - 16383;
	} else if (a.signif == 0) {
		n.cls = FP_CLASS_ZERO;
	} else {
		int s = fp_clz64(a.signif);
		n.cls = FP_CLASS_DENORMAL;
		n.sig = a.signif << s;
		n.exp = -16382 - s;
	}
	return n;
}

enum fp_class fp_f32_class(uint32_t a)
{
	return (enum fp_class)fp_unpack32(a, false).cls;
}

enum fp_class fp_f64_class(uint64_t a)
{
	return (enum fp_class)fp_unpack64(a, false).cls;
}

enum fp_class fp_f80_class(struct f80 a)
{
	return (enum fp_class)fp_unpack80(a).cls;
}

struct f80 fp_f80_make(bool sign, uint16_t exp, uint64_t signif)
{
	struct f80 r = { signif, (uint16_t)((sign ? 0x8000u : 0) | (exp & 0x7fff)) };
	return r;
}

bool fp_f80_same(struct f80 a, struct f80 b)
{
	return a.signif == b.signif && a.sign_exp == b.sign_exp;
}

struct f80 fp_f80_default_nan(void)
{
	return fp_f80_make(true, 0x7fff, FP_F80_DEFAULT_NAN_SIGNIF);
}

struct fp_num fp_default_nan(void)
{
	struct fp_num n = { FP_SIG_INT | FP_SIG_QUIET, 0, true, FP_CLASS_QNAN };
	return n;
}

struct fp_num fp_special(bool sign, uint8_t cls)
{
	struct fp_num n = { FP_SIG_INT, 0, sign, cls };
	return n;
}

/* ---- NaN propagation (SDM Vol. 1 table 4-7) ---- */

static struct fp_num quieted(struct fp_num n)
{
	n.sig |= FP_SIG_QUIET;
	n.cls = FP_CLASS_QNAN;
	return n;
}

struct fp_num fp_nan_sse(struct fp_env *env, const struct fp_num *a,
			 const struct fp_num *b)
{
	if (a->cls == FP_CLASS_SNAN || (b && b->cls == FP_CLASS_SNAN))
		env->flags |= FP_X_IE;
	return quieted(fp_is_nan(a) ? *a : *b);
}

/* Two NaNs: the QNaN if the other is a SNaN, else the one with the larger
 * significand; with equal significands the positive one (the SDM does not
 * say; the host does this). */
struct fp_num fp_nan_x87(struct fp_env *env, const struct fp_num *a,
			 const struct fp_num *b)
{
	if (a->cls == FP_CLASS_SNAN || (b && b->cls == FP_CLASS_SNAN))
		env->flags |= FP_X_IE;
	if (!b || !fp_is_nan(b))
		return quieted(*a);
	if (!fp_is_nan(a))
		return quieted(*b);
	if (a->cls != b->cls)
		return a->cls == FP_CLASS_QNAN ? *a : *b;
	uint64_t sa = a->sig | FP_SIG_QUIET, sb = b->sig | FP_SIG_QUIET;
	if (sa != sb)
		return quieted(sa > sb ? *a : *b);
	return quieted(a->sign ? *b : *a);
}

/* ---- Exact packing ---- */

uint32_t fp_pack32(const struct fp_num *n)
{
	uint32_t s = (uint32_t)n->sign << 31;
	switch (n->cls) {
	case FP_CLASS_ZERO:
		return s;
	case FP_CLASS_INF:
		return s | 0x7f800000u;
	case FP_CLASS_QNAN:
	case FP_CLASS_SNAN:
	case FP_CLASS_UNSUPPORTED:
		return s | 0x7f800000u | (uint32_t)((n->sig >> 40) & 0x7fffff);
	default: {
		struct fp_env e = { 0 };
		e.masks = FP_X_ALL;
		return fp_round32(&e, n->sign, n->exp, n->sig, 0);
	}
	}
}

uint64_t fp_pack64(const struct fp_num *n)
{
	uint64_t s = (uint64_t)n->sign << 63;
	switch (n->cls) {
	case FP_CLASS_ZERO:
		return s;
	case FP_CLASS_INF:
		return s | 0x7ff0000000000000ull;
	case FP_CLASS_QNAN:
	case FP_CLASS_SNAN:
	case FP_CLASS_UNSUPPORTED:
		return s | 0x7ff0000000000000ull
			| ((n->sig >> 11) & 0xfffffffffffffull);
	default:
		if (n->exp >= -1022 && n->exp <= 1023 && !(n->sig & 0x7ff))
			return s | (uint64_t)(n->exp + 1023) << 52
				| ((n->sig >> 11) & 0xfffffffffffffull);
		struct fp_env e = { 0 };
		e.masks = FP_X_ALL;
		return fp_round64(&e, n->sign, n->exp, n->sig, 0);
	}
}

struct f80 fp_pack80(const struct fp_num *n)
{
	switch (n->cls) {
	case FP_CLASS_ZERO:
		return fp_f80_make(n->sign, 0, 0);
	case FP_CLASS_INF:
		return fp_f80_make(n->sign, 0x7fff, FP_SIG_INT);
	case FP_CLASS_QNAN:
	case FP_CLASS_SNAN:
	case FP_CLASS_UNSUPPORTED:
		return fp_f80_make(n->sign, 0x7fff, n->sig);
	default:
		if (n->exp >= -16382 && n->exp <= 16383)
			return fp_f80_make(n->sign, (uint16_t)(n->exp + 16383),
					   n->sig);
		struct fp_env e = { 0 };
		e.masks = FP_X_ALL;
		return fp_round80(&e, 64, n->sign, n->exp, n->sig, 0);
	}
}

/* ---- Rounding ---- */

/* Where the discarded part lies: exact, below, at or above half an ulp. */
enum { R_EXACT, R_BELOW, R_HALF, R_ABOVE };

static inline unsigned rest_state(uint64_t sig, uint64_t ext, unsigned s)
{
	uint64_t r, half;
	bool lo;
	if (s == 0) {
		r = ext;
		half = 1ull << 63;
		lo = false;
	} else {
		r = sig & ((1ull << s) - 1);
		half = 1ull << (s - 1);
		lo = ext != 0;
	}
	if (r > half || (r == half && lo))
		return R_ABOVE;
	if (r == half)
		return R_HALF;
	return (r || lo) ? R_BELOW : R_EXACT;
}

static inline bool round_inc(unsigned rc, bool sign, unsigned st,
			     uint64_t kept)
{
	switch (rc) {
	case FP_RC_NEAREST:
		return st == R_ABOVE || (st == R_HALF && (kept & 1));
	case FP_RC_DOWN:
		return st != R_EXACT && sign;
	case FP_RC_UP:
		return st != R_EXACT && !sign;
	default:
		return false;
	}
}

/* Round sig:ext at prec bits; returns the kept bits (prec wide, the top
 * one set unless denormal) and sets *carry when rounding overflowed into
 * a new power of two (then the kept bits are 2^(prec-1)). */
static inline uint64_t round_bits(unsigned rc, bool sign, unsigned prec,
				  uint64_t sig, uint64_t ext, unsigned *st,
				  bool *inc, bool *carry)
{
	unsigned s = 64 - prec;
	uint64_t kept = s ? sig >> s : sig;
	*st = rest_state(sig, ext, s);
	*inc = round_inc(rc, sign, *st, kept);
	*carry = false;
	if (*inc) {
		kept++;
		if (prec == 64 ? kept == 0 : (kept >> prec) != 0) {
			kept = 1ull << (prec - 1);
			*carry = true;
		}
	}
	return kept;
}

/* Result fields: biased exponent and significand with the integer bit at
 * 63 (clear for a denormal or zero). */
struct rounded {
	int32_t bexp;
	uint64_t sig;
};

static struct rounded round_core(struct fp_env *env, const struct fp_fmt *f,
				 unsigned prec, bool sign, int32_t e,
				 uint64_t sig, uint64_t ext, bool can_ftz)
{
	unsigned st, s = 64 - prec;
	bool inc, carry, tiny = false;
	uint64_t kept;
	struct rounded r;

	if (__builtin_expect(e < f->emin, 0)) {
		/* Tiny when even the result rounded with an unbounded exponent
		 * stays below the smallest normal (SDM Vol. 1 4.9.1.5). */
		tiny = true;
		if (e == f->emin - 1) {
			round_bits(env->rc, sign, prec, sig, ext, &st, &inc,
				   &carry);
			tiny = !carry;
		}
		if (tiny && !(env->masks & FP_X_UE)) {
			/* Unmasked: the full-precision result with the
			 * exponent wrapped (SDM Vol. 1 4.9.1.5, 8.5.5). */
			kept = round_bits(env->rc, sign, prec, sig, ext, &st,
					  &inc, &carry);
			e += carry + f->wrap;
			if (e < f->emin && f == &fp_fmts[FP_F80]) {
				/* Too small even wrapped (only FSCALE gets
				 * here): a zero, as the host gives. */
				env->flags |= FP_X_UE | FP_X_PE;
				r.bexp = 0;
				r.sig = 0;
				return r;
			}
			env->flags |= FP_X_UE | (st ? FP_X_PE : 0);
			env->c1 |= inc;
			r.bexp = e + f->bias;
			r.sig = kept << s;
			return r;
		}
		if (tiny && can_ftz && env->ftz) {
			/* SDM Vol. 1 10.2.3.3: a zero of the result's sign. */
			env->flags |= FP_X_UE | FP_X_PE;
			r.bexp = 0;
			r.sig = 0;
			return r;
		}
		/* Denormalize: shift right to the smallest normal exponent,
		 * folding the shifted-out bits into a sticky bit. */
		uint32_t d = (uint32_t)(f->emin - e);
		if (d >= 128) {
			ext = (sig | ext) != 0;
			sig = 0;
		} else if (d >= 64) {
			uint64_t lost = ext | (d > 64 ? sig << (128 - d) : 0);
			ext = (d == 64 ? sig : sig >> (d - 64)) | (lost != 0);
			sig = 0;
		} else {
			bool lost = (ext << (64 - d)) != 0;
			ext = (ext >> d) | (sig << (64 - d)) | lost;
			sig >>= d;
		}
		e = f->emin;
	}
	kept = round_bits(env->rc, sign, prec, sig, ext, &st, &inc, &carry);
	e += carry;
	if (st)
		env->flags |= FP_X_PE | (tiny ? FP_X_UE : 0);
	if (__builtin_expect(e > f->emax, 0)) {
		if (!(env->masks & FP_X_OE)
		    && (e - f->wrap <= f->emax || f != &fp_fmts[FP_F80])) {
			env->flags |= FP_X_OE;
			env->c1 |= inc;
			r.bexp = e - f->wrap + f->bias;
			r.sig = kept << s;
			return r;
		}
		/* Masked: SDM Vol. 1 4.9.1.4, table 4-10, infinity or the
		 * largest finite value by rounding direction. Unmasked but
		 * too large even wrapped (only FSCALE gets there): infinity,
		 * as the host gives. */
		env->flags |= FP_X_OE | FP_X_PE;
		bool to_inf = !(env->masks & FP_X_OE)
			|| env->rc == FP_RC_NEAREST
			|| (env->rc == FP_RC_UP && !sign)
			|| (env->rc == FP_RC_DOWN && sign);
		env->c1 |= to_inf;
		if (to_inf) {
			r.bexp = f->emax + f->bias + 1;
			r.sig = FP_SIG_INT;
		} else {
			r.bexp = f->emax + f->bias;
			r.sig = (prec == 64 ? ~0ull : ((1ull << prec) - 1)) << s;
		}
		return r;
	}
	env->c1 |= inc;
	r.sig = kept << s;
	r.bexp = (r.sig & FP_SIG_INT) ? e + f->bias : 0;
	return r;
}

uint32_t fp_round32(struct fp_env *env, bool sign, int32_t exp, uint64_t sig,
		    uint64_t ext)
{
	struct rounded r = round_core(env, &fp_fmts[FP_F32], 24, sign, exp,
				      sig, ext, true);
	return (uint32_t)sign << 31 | (uint32_t)(r.bexp & 0xff) << 23
		| (uint32_t)((r.sig >> 40) & 0x7fffff);
}

uint64_t fp_round64(struct fp_env *env, bool sign, int32_t exp, uint64_t sig,
		    uint64_t ext)
{
	struct rounded r = round_core(env, &fp_fmts[FP_F64], 53, sign, exp,
				      sig, ext, true);
	return (uint64_t)sign << 63 | (uint64_t)(r.bexp & 0x7ff) << 52
		| ((r.sig >> 11) & 0xfffffffffffffull);
}

struct f80 fp_round80(struct fp_env *env, unsigned prec, bool sign,
		      int32_t exp, uint64_t sig, uint64_t ext)
{
	struct rounded r = round_core(env, &fp_fmts[FP_F80], prec, sign, exp,
				      sig, ext, false);
	return fp_f80_make(sign, (uint16_t)(r.bexp & 0x7fff), r.sig);
}

static inline int clz128(fp_u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);
	return hi ? fp_clz64(hi) : 64 + fp_clz64((uint64_t)v);
}

struct f80 fp_round80_wide(struct fp_env *env, unsigned prec, bool sign,
			   int32_t exp, fp_u128 v)
{
	int z = clz128(v);
	v <<= z;
	return fp_round80(env, prec, sign, exp - z, (uint64_t)(v >> 64),
			  (uint64_t)v);
}

uint32_t fp_round32_wide(struct fp_env *env, bool sign, int32_t exp,
			 fp_u128 v)
{
	int z = clz128(v);
	v <<= z;
	return fp_round32(env, sign, exp - z, (uint64_t)(v >> 64),
			  (uint64_t)v);
}

uint64_t fp_round64_wide(struct fp_env *env, bool sign, int32_t exp,
			 fp_u128 v)
{
	int z = clz128(v);
	v <<= z;
	return fp_round64(env, sign, exp - z, (uint64_t)(v >> 64),
			  (uint64_t)v);
}

bool fp_round_to_integer(unsigned rc, bool sign, int32_t exp, uint64_t sig,
			 uint64_t *mag, bool *inexact, bool *up)
{
	unsigned st;
	uint64_t kept;
	*up = false;
	if (exp >= 64)
		return false;
	if (exp == 63) {
		*mag = sig;
		*inexact = false;
		return true;
	}
	if (exp >= 0) {
		unsigned s = 63 - (unsigned)exp;
		kept = sig >> s;
		st = rest_state(sig, 0, s);
	} else {
		/* The whole value is a fraction: compare it with 1/2. */
		kept = 0;
		st = exp < -1 ? R_BELOW : sig == FP_SIG_INT ? R_HALF : R_ABOVE;
	}
	*inexact = st != R_EXACT;
	if (round_inc(rc, sign, st, kept)) {
		kept++;
		*up = true;
	}
	*mag = kept;
	return true;
}
