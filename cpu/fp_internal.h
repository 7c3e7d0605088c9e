/* Private to cpu/fp_*.c: the unpacked number every operation works on,
 * the format descriptors, and the single rounding routine. */
#ifndef CPU_FP_INTERNAL_H
#define CPU_FP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/fp.h"

typedef unsigned __int128 fp_u128;

/* A finite nonzero value is sign * sig * 2^(exp - 63) with bit 63 of sig
 * set (denormals are normalized, their class kept). A NaN keeps its
 * significand aligned the same way (f32 fraction at bits 62:40, f64 at
 * 62:11, f80 as stored), so payloads move between formats by position. */
struct fp_num {
	uint64_t sig;
	int32_t exp;
	bool sign;
	uint8_t cls; /* enum fp_class */
};

enum fp_fmt_id { FP_F32, FP_F64, FP_F80 };

struct fp_fmt {
	int32_t emin;    /* unbiased exponent of the smallest normal */
	int32_t emax;    /* of the largest finite */
	int32_t bias;
	int32_t wrap;    /* exponent adjustment for unmasked OE/UE */
	unsigned prec;   /* significand bits, integer bit included */
};

extern const struct fp_fmt fp_fmts[3];

#define FP_SIG_INT (1ull << 63)
#define FP_SIG_QUIET (1ull << 62)

static inline bool fp_is_nan(const struct fp_num *n)
{
	return n->cls == FP_CLASS_QNAN || n->cls == FP_CLASS_SNAN;
}

static inline bool fp_is_finite_nz(const struct fp_num *n)
{
	return n->cls == FP_CLASS_NORMAL || n->cls == FP_CLASS_DENORMAL;
}

static inline int fp_clz64(uint64_t v)
{
	return __builtin_clzll(v);
}

/* Unpack; daz reads denormals as zeros of the same sign. */
struct fp_num fp_unpack32(uint32_t a, bool daz);
struct fp_num fp_unpack64(uint64_t a, bool daz);
struct fp_num fp_unpack80(struct f80 a);

/* Pack a number that needs no rounding: zero, infinity, NaN (as is), or a
 * finite value exactly representable in the format. */
uint32_t fp_pack32(const struct fp_num *n);
uint64_t fp_pack64(const struct fp_num *n);
struct f80 fp_pack80(const struct fp_num *n);

/* Round sign * (sig + ext / 2^64) * 2^(exp - 63) to prec bits of format
 * fmt with env's rounding control, and pack it. sig must have bit 63 set.
 * Applies the SDM's rules for overflow, underflow (tininess after
 * rounding), FTZ (f32/f64), PE and C1. */
uint32_t fp_round32(struct fp_env *env, bool sign, int32_t exp, uint64_t sig,
		    uint64_t ext);
uint64_t fp_round64(struct fp_env *env, bool sign, int32_t exp, uint64_t sig,
		    uint64_t ext);
struct f80 fp_round80(struct fp_env *env, unsigned prec, bool sign,
		      int32_t exp, uint64_t sig, uint64_t ext);
/* The same for a 128-bit significand with its top bit anywhere: value is
 * sign * v * 2^(exp - 127); v != 0. */
struct f80 fp_round80_wide(struct fp_env *env, unsigned prec, bool sign,
			   int32_t exp, fp_u128 v);
uint32_t fp_round32_wide(struct fp_env *env, bool sign, int32_t exp,
			 fp_u128 v);
uint64_t fp_round64_wide(struct fp_env *env, bool sign, int32_t exp,
			 fp_u128 v);

/* Round sign * sig * 2^(exp - 63) to an integer with rc: the magnitude
 * in *mag and whether it was inexact (*inexact) or rounded up in
 * magnitude (*up). False when the magnitude reaches 2^64. */
bool fp_round_to_integer(unsigned rc, bool sign, int32_t exp, uint64_t sig,
			 uint64_t *mag, bool *inexact, bool *up);

/* x87 precision control to significand bits. */
static inline unsigned fp_pc_bits(const struct fp_env *env)
{
	return env->pc == FP_PC_24 ? 24 : env->pc == FP_PC_53 ? 53 : 64;
}

/* Raise flags; true when one of them is unmasked and pre-computation,
 * so that the operation must stop (SDM Vol. 1 4.9.2). */
static inline bool fp_raise_pre(struct fp_env *env, unsigned x)
{
	env->flags |= x;
	return (x & ~env->masks & (FP_X_IE | FP_X_DE | FP_X_ZE)) != 0;
}

/* NaN selection. SSE: the first NaN operand, quieted; x87: see
 * fp_nan80. Both raise IE for a SNaN operand. */
struct fp_num fp_nan_sse(struct fp_env *env, const struct fp_num *a,
			 const struct fp_num *b);
struct fp_num fp_nan_x87(struct fp_env *env, const struct fp_num *a,
			 const struct fp_num *b);
/* The default NaN, and a zero or infinity of a sign. */
struct fp_num fp_default_nan(void);
struct fp_num fp_special(bool sign, uint8_t cls);

/* ---- Wide floats for the transcendental functions (cpu/fp_wide.c) ----
 * sign * m * 2^(exp - 127) with m's bit 127 set, or m = 0 for zero.
 * Operations truncate: each is accurate to about 2^-126 relative. */
struct fp_wf {
	bool sign;
	int32_t exp;
	fp_u128 m;
};

struct fp_wf fp_wf_make(bool sign, int32_t exp, fp_u128 m);
struct fp_wf fp_wf_from_f80(struct f80 a);
struct fp_wf fp_wf_from_int(int64_t v);
struct fp_wf fp_wf_const(uint64_t hi, uint64_t lo, int32_t exp);
struct fp_wf fp_wf_add(struct fp_wf a, struct fp_wf b);
struct fp_wf fp_wf_sub(struct fp_wf a, struct fp_wf b);
struct fp_wf fp_wf_mul(struct fp_wf a, struct fp_wf b);
struct fp_wf fp_wf_div(struct fp_wf a, struct fp_wf b);
struct fp_wf fp_wf_div_u64(struct fp_wf a, uint64_t k);
struct fp_wf fp_wf_sqrt(struct fp_wf a);
struct fp_wf fp_wf_ldexp(struct fp_wf a, int32_t k);
/* Round to f80 (64 bits, env->rc) as an inexact value: the truncated
 * tail is assumed nonzero, so PE is always raised. */
struct f80 fp_wf_round80(struct fp_env *env, struct fp_wf a);

static inline bool fp_wf_is_zero(struct fp_wf a)
{
	return a.m == 0;
}

#endif
