/* Conversions between f32, f64 and f80, with 16/32/64-bit integers and
 * with 18-digit packed BCD (SDM Vol. 1 4.8.3.7, 4.9.1.2, 11.5.2; Vol. 2
 * CVTSS2SD, CVTSD2SS, CVTSS2SI, FLD, FST, FIST, FISTTP, FBLD, FBSTP). */
#include "cpu/fp.h"
#include "cpu/fp_internal.h"

static struct fp_num quiet(struct fp_env *env, struct fp_num n)
{
	if (n.cls == FP_CLASS_SNAN)
		env->flags |= FP_X_IE;
	n.sig |= FP_SIG_QUIET;
	n.cls = FP_CLASS_QNAN;
	return n;
}

uint64_t fp_f32_to_f64(struct fp_env *env, uint32_t a)
{
	struct fp_num n = fp_unpack32(a, env->daz);
	if (fp_is_nan(&n))
		n = quiet(env, n);
	else if (n.cls == FP_CLASS_DENORMAL)
		env->flags |= FP_X_DE;
	return fp_pack64(&n);
}

uint32_t fp_f64_to_f32(struct fp_env *env, uint64_t a)
{
	struct fp_num n = fp_unpack64(a, env->daz);
	if (n.cls == FP_CLASS_NORMAL || n.cls == FP_CLASS_DENORMAL) {
		if (n.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return FP_F32_DEFAULT_NAN;
		return fp_round32(env, n.sign, n.exp, n.sig, 0);
	}
	if (fp_is_nan(&n))
		n = quiet(env, n);
	return fp_pack32(&n);
}

/* FLD m32fp/m64fp: the value is always exact in f80. A denormal is
 * loaded even when DE is unmasked (the host does). */
static struct f80 widen(struct fp_env *env, struct fp_num n)
{
	if (n.cls == FP_CLASS_DENORMAL) {
		env->flags |= FP_X_DE;
	} else if (fp_is_nan(&n)) {
		n = quiet(env, n);
	}
	return fp_pack80(&n);
}

struct f80 fp_f32_to_f80(struct fp_env *env, uint32_t a)
{
	return widen(env, fp_unpack32(a, false));
}

struct f80 fp_f64_to_f80(struct fp_env *env, uint64_t a)
{
	return widen(env, fp_unpack64(a, false));
}

/* An arithmetic memory operand: no quieting; DE is the caller's to keep
 * or drop (see cpu/fp.h). */
static struct f80 operand(struct fp_env *env, struct fp_num n)
{
	if (n.cls == FP_CLASS_DENORMAL)
		env->flags |= FP_X_DE;
	return fp_pack80(&n);
}

struct f80 fp_f32_to_f80_operand(struct fp_env *env, uint32_t a)
{
	return operand(env, fp_unpack32(a, false));
}

struct f80 fp_f64_to_f80_operand(struct fp_env *env, uint64_t a)
{
	return operand(env, fp_unpack64(a, false));
}

/* FST m32fp/m64fp of an operand that needs no rounding; true when n is
 * the result. No DE for a denormal f80 source (SDM Vol. 2 FST lists
 * none). */
static bool narrow_special(struct fp_env *env, struct fp_num *n)
{
	if (n->cls == FP_CLASS_UNSUPPORTED) {
		env->flags |= FP_X_IE;
		*n = fp_default_nan();
		return true;
	}
	if (fp_is_nan(n)) {
		*n = quiet(env, *n);
		return true;
	}
	return n->cls == FP_CLASS_ZERO || n->cls == FP_CLASS_INF;
}

/* Rounding for a memory destination: FTZ does not exist on the x87, and
 * with OE or UE unmasked nothing is stored, so neither PE nor C1 is
 * reported (the host does so). */
static struct fp_env store_env(const struct fp_env *env)
{
	struct fp_env e = *env;
	e.flags = 0;
	e.ftz = false;
	e.c1 = false;
	return e;
}

static void store_done(struct fp_env *env, struct fp_env *e)
{
	if (e->flags & ~e->masks & (FP_X_OE | FP_X_UE)) {
		e->flags &= ~FP_X_PE;
		e->c1 = false;
	}
	env->flags |= e->flags;
	env->c1 |= e->c1;
}

uint32_t fp_f80_to_f32(struct fp_env *env, struct f80 a)
{
	struct fp_num n = fp_unpack80(a);
	if (narrow_special(env, &n))
		return fp_pack32(&n);
	struct fp_env e = store_env(env);
	uint32_t r = fp_round32(&e, n.sign, n.exp, n.sig, 0);
	store_done(env, &e);
	return r;
}

uint64_t fp_f80_to_f64(struct fp_env *env, struct f80 a)
{
	struct fp_num n = fp_unpack80(a);
	if (narrow_special(env, &n))
		return fp_pack64(&n);
	struct fp_env e = store_env(env);
	uint64_t r = fp_round64(&e, n.sign, n.exp, n.sig, 0);
	store_done(env, &e);
	return r;
}

/* ---- Integers ---- */

static uint64_t to_int(struct fp_env *env, const struct fp_num *n,
		       unsigned bits, bool truncate)
{
	uint64_t indefinite = 1ull << (bits - 1);
	uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
	uint64_t mag;
	bool inexact, up;
	if (n->cls == FP_CLASS_ZERO)
		return 0;
	if (!fp_is_finite_nz(n))
		goto invalid;
	if (!fp_round_to_integer(truncate ? FP_RC_ZERO : env->rc, n->sign,
				 n->exp, n->sig, &mag, &inexact, &up))
		goto invalid;
	/* In range: [-2^(bits-1), 2^(bits-1) - 1]. */
	if (mag > indefinite - !n->sign)
		goto invalid;
	if (inexact) {
		env->flags |= FP_X_PE;
		env->c1 |= up;
	}
	return (n->sign ? 0 - mag : mag) & mask;
invalid:
	env->flags |= FP_X_IE;
	return indefinite;
}

uint64_t fp_f32_to_int(struct fp_env *env, uint32_t a, unsigned bits,
		       bool truncate)
{
	struct fp_num n = fp_unpack32(a, env->daz);
	return to_int(env, &n, bits, truncate);
}

uint64_t fp_f64_to_int(struct fp_env *env, uint64_t a, unsigned bits,
		       bool truncate)
{
	struct fp_num n = fp_unpack64(a, env->daz);
	return to_int(env, &n, bits, truncate);
}

uint64_t fp_f80_to_int(struct fp_env *env, struct f80 a, unsigned bits,
		       bool truncate)
{
	struct fp_num n = fp_unpack80(a);
	return to_int(env, &n, bits, truncate);
}

static bool int_parts(int64_t v, uint64_t *sig, int32_t *exp)
{
	bool sign = v < 0;
	uint64_t mag = sign ? 0 - (uint64_t)v : (uint64_t)v;
	int z = fp_clz64(mag);
	*sig = mag << z;
	*exp = 63 - z;
	return sign;
}

uint32_t fp_int_to_f32(struct fp_env *env, int64_t v)
{
	if (v == 0)
		return 0;
	uint64_t sig;
	int32_t exp;
	bool sign = int_parts(v, &sig, &exp);
	return fp_round32(env, sign, exp, sig, 0);
}

uint64_t fp_int_to_f64(struct fp_env *env, int64_t v)
{
	if (v == 0)
		return 0;
	uint64_t sig;
	int32_t exp;
	bool sign = int_parts(v, &sig, &exp);
	return fp_round64(env, sign, exp, sig, 0);
}

struct f80 fp_int_to_f80(int64_t v)
{
	if (v == 0)
		return fp_f80_make(false, 0, 0);
	uint64_t sig;
	int32_t exp;
	bool sign = int_parts(v, &sig, &exp);
	return fp_f80_make(sign, (uint16_t)(exp + 16383), sig);
}

/* ---- Packed BCD (SDM Vol. 1 4.7) ---- */

#define BCD_LIMIT 1000000000000000000ull /* 10^18 */

struct f80 fp_bcd_to_f80(const uint8_t bcd[10])
{
	uint64_t v = 0;
	for (int i = 8; i >= 0; i--)
		v = v * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 15);
	bool sign = bcd[9] >> 7;
	if (v == 0)
		return fp_f80_make(sign, 0, 0);
	int z = fp_clz64(v);
	return fp_f80_make(sign, (uint16_t)(63 - z + 16383), v << z);
}

void fp_f80_to_bcd(struct fp_env *env, struct f80 a, uint8_t bcd[10])
{
	struct fp_num n = fp_unpack80(a);
	uint64_t mag = 0;
	bool inexact = false, up = false;
	if (n.cls != FP_CLASS_ZERO) {
		if (!fp_is_finite_nz(&n)
		    || !fp_round_to_integer(env->rc, n.sign, n.exp, n.sig, &mag,
					    &inexact, &up)
		    || mag >= BCD_LIMIT) {
			/* The packed BCD indefinite (SDM Vol. 1 table 4-4). */
			env->flags |= FP_X_IE;
			for (int i = 0; i < 7; i++)
				bcd[i] = 0;
			bcd[7] = 0xc0;
			bcd[8] = 0xff;
			bcd[9] = 0xff;
			return;
		}
	}
	if (inexact) {
		env->flags |= FP_X_PE;
		env->c1 |= up;
	}
	for (int i = 0; i < 9; i++) {
		unsigned lo = (unsigned)(mag % 10);
		mag /= 10;
		unsigned hi = (unsigned)(mag % 10);
		mag /= 10;
		bcd[i] = (uint8_t)(hi << 4 | lo);
	}
	bcd[9] = n.sign ? 0x80 : 0;
}
