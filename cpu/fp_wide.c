/* Wide floats: 128-bit significands with an unbounded exponent, the
 * working precision of the transcendental functions in cpu/fp_trans.c.
 * Each operation truncates; results are good to about 2^-126 relative,
 * some 60 bits beyond the f80 significand they are finally rounded to.
 * A value is read as lying a little above its truncated significand (the
 * final rounding forces a sticky bit), except after adding a negligible
 * negative amount, which moves it one unit down. */
#include "cpu/fp.h"
#include "cpu/fp_internal.h"

static inline int clz128(fp_u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);
	return hi ? fp_clz64(hi) : 64 + fp_clz64((uint64_t)v);
}

static struct fp_wf norm(bool sign, int32_t exp, fp_u128 m)
{
	struct fp_wf r = { sign, 0, 0 };
	if (m == 0)
		return r;
	int z = clz128(m);
	r.m = m << z;
	r.exp = exp - z;
	return r;
}

struct fp_wf fp_wf_make(bool sign, int32_t exp, fp_u128 m)
{
	return norm(sign, exp, m);
}

struct fp_wf fp_wf_from_f80(struct f80 a)
{
	struct fp_num n = fp_unpack80(a);
	if (!fp_is_finite_nz(&n))
		return norm(n.sign, 0, 0);
	struct fp_wf r = { n.sign, n.exp, (fp_u128)n.sig << 64 };
	return r;
}

struct fp_wf fp_wf_from_int(int64_t v)
{
	bool s = v < 0;
	uint64_t mag = s ? 0 - (uint64_t)v : (uint64_t)v;
	return norm(s, 127, mag);
}

struct fp_wf fp_wf_const(uint64_t hi, uint64_t lo, int32_t exp)
{
	struct fp_wf r = { false, exp, (fp_u128)hi << 64 | lo };
	return r;
}

struct fp_wf fp_wf_ldexp(struct fp_wf a, int32_t k)
{
	if (a.m)
		a.exp += k;
	return a;
}

struct fp_wf fp_wf_add(struct fp_wf a, struct fp_wf b)
{
	if (b.m == 0)
		return a;
	if (a.m == 0)
		return b;
	if (a.exp < b.exp || (a.exp == b.exp && a.m < b.m)) {
		struct fp_wf t = a;
		a = b;
		b = t;
	}
	uint32_t d = (uint32_t)(a.exp - b.exp);
	if (d >= 127) {
		/* b lies wholly below a's last bit: keep its direction, a
		 * hair above (the rounding's sticky bit) or below a. */
		if (a.sign == b.sign) {
			a.m |= 1;
			return a;
		}
		return norm(a.sign, a.exp, a.m - 1);
	}
	/* One bit of headroom for the carry. */
	fp_u128 x = a.m >> 1, y = (b.m >> 1) >> d;
	if (a.sign == b.sign)
		return norm(a.sign, a.exp + 1, x + y);
	/* Bits of b shifted out would make the difference too large:
	 * take one more away, so that it too is truncated. */
	bool lost = (b.m & (((fp_u128)2 << d) - 1)) != 0;
	return norm(a.sign, a.exp + 1, x - y - lost);
}

struct fp_wf fp_wf_sub(struct fp_wf a, struct fp_wf b)
{
	b.sign = !b.sign;
	return fp_wf_add(a, b);
}

struct fp_wf fp_wf_mul(struct fp_wf a, struct fp_wf b)
{
	if (a.m == 0 || b.m == 0)
		return norm(a.sign != b.sign, 0, 0);
	uint64_t ah = (uint64_t)(a.m >> 64), al = (uint64_t)a.m;
	uint64_t bh = (uint64_t)(b.m >> 64), bl = (uint64_t)b.m;
	fp_u128 ll = (fp_u128)al * bl, lh = (fp_u128)al * bh;
	fp_u128 hl = (fp_u128)ah * bl, hh = (fp_u128)ah * bh;
	fp_u128 mid = (ll >> 64) + (uint64_t)lh + (uint64_t)hl;
	fp_u128 top = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
	int32_t exp = a.exp + b.exp + 1;
	if (!(top >> 127)) {
		top = top << 1 | (uint64_t)mid >> 63;
		exp--;
	}
	struct fp_wf r = { a.sign != b.sign, exp, top };
	return r;
}

/* Restoring division, one quotient bit per step; the remainder's 129th
 * bit is carried separately. */
struct fp_wf fp_wf_div(struct fp_wf a, struct fp_wf b)
{
	if (a.m == 0)
		return norm(a.sign != b.sign, 0, 0);
	fp_u128 r = a.m, d = b.m, q = 0;
	bool carry = false;
	for (int i = 0; i < 128; i++) {
		q <<= 1;
		if (carry || r >= d) {
			r -= d;
			q |= 1;
		}
		carry = r >> 127;
		r <<= 1;
	}
	/* q = floor(a.m / b.m * 2^127). */
	return norm(a.sign != b.sign, a.exp - b.exp, q);
}

struct fp_wf fp_wf_div_u64(struct fp_wf a, uint64_t k)
{
	if (a.m == 0)
		return a;
	fp_u128 q1 = a.m / k;
	uint64_t r1 = (uint64_t)(a.m % k);
	uint64_t q2 = (uint64_t)(((fp_u128)r1 << 64) / k);
	int z = clz128(q1);
	fp_u128 m = z == 0 ? q1 : (q1 << z) | ((fp_u128)q2 << z >> 64);
	struct fp_wf r = { a.sign, a.exp - z, m };
	return r;
}

/* Newton's iteration y' = (y + a / y) / 2 from a 64-bit first guess:
 * two steps double 64 bits to beyond 126. */
struct fp_wf fp_wf_sqrt(struct fp_wf a)
{
	if (a.m == 0 || a.sign)
		return norm(false, 0, 0);
	struct fp_env e = { .rc = FP_RC_ZERO, .pc = FP_PC_64, .masks = FP_X_ALL };
	int32_t half = a.exp >> 1;
	struct f80 x = fp_f80_make(false, (uint16_t)(16383 + (a.exp - 2 * half)),
				   (uint64_t)(a.m >> 64));
	struct fp_wf y = fp_wf_from_f80(fp_f80_sqrt(&e, x));
	y.exp += half;
	for (int i = 0; i < 2; i++)
		y = fp_wf_ldexp(fp_wf_add(y, fp_wf_div(a, y)), -1);
	return y;
}

struct f80 fp_wf_round80(struct fp_env *env, struct fp_wf a)
{
	return fp_round80_wide(env, 64, a.sign, a.exp, a.m | 1);
}
