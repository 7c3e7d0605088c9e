/* cpu/fp.h against the SDM's own rules and worked values, without the
 * host CPU (the host comparisons are test_fp_sse.c, test_fp_x87.c and
 * test_fp_trans.c): default NaN, NaN propagation, integer and BCD
 * indefinites, masked overflow by rounding mode, tininess after rounding,
 * FTZ and DAZ, the unmasked overflow bias, precision control, FXAM,
 * FPREM quotient bits, FXTRACT, the constants, MIN/MAX and CMPPS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/fp.h"

static struct fp_env sse(unsigned rc)
{
	return fp_env_from_mxcsr(0x1f80 | rc << 13);
}

static struct fp_env x87(unsigned rc, unsigned pc)
{
	return fp_env_from_fcw((uint16_t)(0x037f & ~0x0f00) | pc << 8 | rc << 10);
}

static struct f80 f80(uint16_t se, uint64_t sig)
{
	struct f80 v = { sig, se };
	return v;
}

#define assert_f80(v, se, sig)                                              \
	do {                                                                \
		struct f80 v_ = (v);                                        \
		assert_int_equal(v_.sign_exp, (se));                        \
		assert_int_equal(v_.signif, (sig));                         \
	} while (0)

#define F32_ONE 0x3f800000u
#define F32_INF 0x7f800000u
#define F32_QNAN 0x7fc12345u
#define F32_SNAN 0x7f812345u
#define F64_INF 0x7ff0000000000000ull

/* SDM Vol. 1 4.8.3.7: invalid operations give the QNaN floating-point
 * indefinite, sign 1. */
static void test_default_nan(void **state)
{
	(void)state;
	struct fp_env e = sse(0);
	assert_int_equal(fp_f32_sub(&e, F32_INF, F32_INF), FP_F32_DEFAULT_NAN);
	assert_int_equal(fp_f32_mul(&e, 0, F32_INF), FP_F32_DEFAULT_NAN);
	assert_int_equal(fp_f64_div(&e, 0, 0), FP_F64_DEFAULT_NAN);
	assert_int_equal(fp_f64_sqrt(&e, 0xbff0000000000000ull),
			 FP_F64_DEFAULT_NAN);
	assert_int_equal(e.flags, FP_X_IE);
	struct fp_env x = x87(0, 3);
	assert_f80(fp_f80_sqrt(&x, f80(0xbfff, 1ull << 63)), 0xffff,
		   0xc000000000000000ull);
	/* An unnormal (integer bit clear) is an unsupported operand. */
	assert_f80(fp_f80_add(&x, f80(0x3fff, 1ull << 62), f80(0x3fff, 1ull << 63)),
		   0xffff, 0xc000000000000000ull);
	assert_int_equal(x.flags, FP_X_IE);
}

/* SDM Vol. 1 table 4-7: SSE takes the first source's NaN, quieted; the
 * x87 the NaN with the larger significand, or the QNaN beside a SNaN. */
static void test_nan_propagation(void **state)
{
	(void)state;
	struct fp_env e = sse(0);
	assert_int_equal(fp_f32_add(&e, F32_SNAN, F32_QNAN), 0x7fc12345u);
	assert_int_equal(e.flags, FP_X_IE);
	e.flags = 0;
	assert_int_equal(fp_f32_add(&e, 0x7fc00001u, 0x7fc00002u), 0x7fc00001u);
	assert_int_equal(fp_f32_mul(&e, F32_ONE, 0xff800001u), 0xffc00001u);
	assert_int_equal(e.flags, FP_X_IE);
	/* A NaN operand converts with its payload's top bits. */
	e.flags = 0;
	assert_int_equal(fp_f32_to_f64(&e, 0x7fc12345u), 0x7ff82468a0000000ull);
	assert_int_equal(e.flags, 0);

	struct fp_env x = x87(0, 3);
	struct f80 q_small = f80(0x7fff, 0xc000000000000001ull);
	struct f80 q_big = f80(0xffff, 0xc000000000000002ull);
	struct f80 s_big = f80(0x7fff, 0xbfffffffffffffffull);
	assert_f80(fp_f80_add(&x, q_small, q_big), 0xffff, 0xc000000000000002ull);
	assert_int_equal(x.flags, 0);
	assert_f80(fp_f80_mul(&x, s_big, q_small), 0x7fff, 0xc000000000000001ull);
	assert_int_equal(x.flags, FP_X_IE);
}

/* SDM Vol. 1 4.8.3.7 and 8.2.2: the integer indefinite 100...0 for NaN,
 * infinity and out-of-range sources; in range, rounding by mode. */
static void test_integer_conversions(void **state)
{
	(void)state;
	struct fp_env e = sse(0);
	assert_int_equal(fp_f32_to_int(&e, F32_QNAN, 32, false), 0x80000000u);
	assert_int_equal(fp_f64_to_int(&e, F64_INF, 64, true),
			 0x8000000000000000ull);
	/* 2^31 does not fit; -2^31 does. */
	assert_int_equal(fp_f64_to_int(&e, 0x41e0000000000000ull, 32, false),
			 0x80000000u);
	assert_int_equal(e.flags, FP_X_IE);
	e.flags = 0;
	assert_int_equal(fp_f64_to_int(&e, 0xc1e0000000000000ull, 32, false),
			 0x80000000u);
	assert_int_equal(e.flags, 0);
	/* 2.5: nearest even 2, truncated 2; -2.5 up is -2. */
	assert_int_equal(fp_f32_to_int(&e, 0x40200000u, 32, false), 2);
	assert_int_equal(fp_f32_to_int(&e, 0x40200000u, 32, true), 2);
	struct fp_env u = sse(FP_RC_UP);
	assert_int_equal(fp_f32_to_int(&u, 0xc0200000u, 32, false),
			 0xfffffffeu);
	assert_int_equal(e.flags, FP_X_PE);
	/* FIST m16 of 32768 is invalid. */
	struct fp_env x = x87(0, 3);
	assert_int_equal(fp_f80_to_int(&x, f80(0x400e, 1ull << 63), 16, false),
			 0x8000);
	assert_int_equal(x.flags, FP_X_IE);
	/* CVTSI2SS rounds: 2^24 + 1 is not an f32. */
	e.flags = 0;
	assert_int_equal(fp_int_to_f32(&e, 16777217), 0x4b800000u);
	assert_int_equal(e.flags, FP_X_PE);
}

/* SDM Vol. 1 4.7 and FBSTP: 18 digits, sign in byte 9; the BCD
 * indefinite for 10^18 and beyond. */
static void test_bcd(void **state)
{
	(void)state;
	const uint8_t m1234[10] = { 0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0x80 };
	struct f80 v = fp_bcd_to_f80(m1234);
	assert_f80(v, 0xc009, 0x9a40000000000000ull);
	uint8_t out[10];
	struct fp_env x = x87(0, 3);
	fp_f80_to_bcd(&x, v, out);
	assert_memory_equal(out, m1234, 10);
	/* 10^18 = 0xde0b6b3a7640000 * 2^0 needs 19 digits. */
	fp_f80_to_bcd(&x, f80(0x403a, 0xde0b6b3a76400000ull), out);
	const uint8_t indef[10] = { 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff };
	assert_memory_equal(out, indef, 10);
	assert_int_equal(x.flags, FP_X_IE);
}

/* SDM Vol. 1 4.9.1.4, table 4-10: a masked overflow gives infinity or the
 * largest finite number, by rounding mode and sign. */
static void test_masked_overflow(void **state)
{
	(void)state;
	static const struct {
		unsigned rc;
		uint32_t a, r;
	} t[] = {
		{ FP_RC_NEAREST, 0x7f7fffffu, 0x7f800000u },
		{ FP_RC_ZERO, 0x7f7fffffu, 0x7f7fffffu },
		{ FP_RC_UP, 0xff7fffffu, 0xff7fffffu },
		{ FP_RC_DOWN, 0xff7fffffu, 0xff800000u },
	};
	for (unsigned i = 0; i < 4; i++) {
		struct fp_env e = sse(t[i].rc);
		assert_int_equal(fp_f32_mul(&e, t[i].a, 0x40000000u), t[i].r);
		assert_int_equal(e.flags, FP_X_OE | FP_X_PE);
	}
}

/* Tininess is detected after rounding: (2 - 2^-24) * 2^-127 rounds to the
 * smallest normal, so no underflow, masked or not. */
static void test_tininess_after_rounding(void **state)
{
	(void)state;
	struct fp_env e = sse(0);
	assert_int_equal(fp_f64_to_f32(&e, 0x380ffffff0000000ull), 0x00800000u);
	assert_int_equal(e.flags, FP_X_PE);
	e = fp_env_from_mxcsr(0x1f80 & ~(FP_X_UE << 7));
	assert_int_equal(fp_f64_to_f32(&e, 0x380ffffff0000000ull), 0x00800000u);
	assert_int_equal(e.flags, FP_X_PE);
	/* Rounding toward zero it stays below: tiny, inexact. */
	e = sse(FP_RC_ZERO);
	assert_int_equal(fp_f64_to_f32(&e, 0x380ffffff0000000ull), 0x007fffffu);
	assert_int_equal(e.flags, FP_X_UE | FP_X_PE);
}

/* SDM Vol. 1 10.2.3.3 and 10.2.3.4: FTZ turns a tiny result into a zero
 * with UE and PE; DAZ reads a denormal as zero, without DE. */
static void test_ftz_daz(void **state)
{
	(void)state;
	struct fp_env e = fp_env_from_mxcsr(0x1f80 | 0x8000);
	assert_int_equal(fp_f32_mul(&e, 0x80800000u, 0x3f000000u), 0x80000000u);
	assert_int_equal(e.flags, FP_X_UE | FP_X_PE);
	e = fp_env_from_mxcsr(0x1f80 | 0x40);
	assert_int_equal(fp_f32_add(&e, 0x00000001u, F32_ONE), F32_ONE);
	assert_int_equal(e.flags, 0);
	e = sse(0);
	assert_int_equal(fp_f32_add(&e, 0x00000001u, F32_ONE), F32_ONE);
	assert_int_equal(e.flags, FP_X_DE | FP_X_PE);
}

/* SDM Vol. 1 8.5.4: unmasked overflow on the x87 delivers the result with
 * the exponent reduced by 24576; 8.5.5: unmasked underflow raises it. */
static void test_unmasked_bias(void **state)
{
	(void)state;
	struct fp_env x = fp_env_from_fcw(0x037f & ~FP_X_OE);
	struct f80 big = f80(0x7ffe, 1ull << 63);
	assert_f80(fp_f80_mul(&x, big, f80(0x4000, 1ull << 63)),
		   0x7fff - 24576, 1ull << 63);
	assert_int_equal(x.flags, FP_X_OE);
	x = fp_env_from_fcw(0x037f & ~FP_X_UE);
	assert_f80(fp_f80_mul(&x, f80(0x0001, 1ull << 63), f80(0x3ffe, 1ull << 63)),
		   24576, 1ull << 63);
	assert_int_equal(x.flags, FP_X_UE);
	/* An unmasked divide by zero stops: ZE alone. */
	x = fp_env_from_fcw(0x037f & ~FP_X_ZE);
	fp_f80_div(&x, f80(0x3fff, 1ull << 63), f80(0, 0));
	assert_int_equal(x.flags, FP_X_ZE);
}

/* SDM Vol. 1 8.1.5.2: precision control rounds the significand of
 * FADD..FSQRT results; 1/3 at 24 bits is 0.AAAAAB. */
static void test_precision_control(void **state)
{
	(void)state;
	struct f80 one = f80(0x3fff, 1ull << 63), three = f80(0x4000, 3ull << 62);
	struct fp_env x = x87(0, FP_PC_24);
	assert_f80(fp_f80_div(&x, one, three), 0x3ffd, 0xaaaaab0000000000ull);
	assert_true(x.c1);
	x = x87(0, FP_PC_53);
	assert_f80(fp_f80_div(&x, one, three), 0x3ffd, 0xaaaaaaaaaaaaa800ull);
	x = x87(0, FP_PC_64);
	assert_f80(fp_f80_div(&x, one, three), 0x3ffd, 0xaaaaaaaaaaaaaaabull);
	assert_int_equal(x.flags, FP_X_PE);
}

/* SDM Vol. 2 FXAM: C3 C2 C0 by class, C1 the sign. */
static void test_fxam(void **state)
{
	(void)state;
	assert_int_equal(fp_f80_xam(f80(0x3fff, 1ull << 63), false), FP_C2);
	assert_int_equal(fp_f80_xam(f80(0x8000, 0), false), FP_C3 | FP_C1);
	assert_int_equal(fp_f80_xam(f80(0x7fff, 1ull << 63), false),
			 FP_C2 | FP_C0);
	assert_int_equal(fp_f80_xam(f80(0x7fff, 0xc000000000000000ull), false),
			 FP_C0);
	assert_int_equal(fp_f80_xam(f80(0x0000, 1), false), FP_C3 | FP_C2);
	assert_int_equal(fp_f80_xam(f80(0x3fff, 1), false), 0);
	assert_int_equal(fp_f80_xam(f80(0, 0), true), FP_C3 | FP_C0);
}

/* FPREM truncates the quotient, FPREM1 rounds it to nearest; C0, C3, C1
 * are its bits 2, 1, 0 (SDM Vol. 2 FPREM). */
static void test_prem(void **state)
{
	(void)state;
	struct fp_env x = x87(0, 3);
	uint16_t cc;
	struct f80 eleven = f80(0x4002, 0xb000000000000000ull);
	struct f80 three = f80(0x4000, 0xc000000000000000ull);
	/* 11 = 3 * 3 + 2 */
	assert_f80(fp_f80_prem(&x, eleven, three, false, &cc), 0x4000, 1ull << 63);
	assert_int_equal(cc, FP_C3 | FP_C1);
	/* 11 = 3 * 4 - 1 */
	assert_f80(fp_f80_prem(&x, eleven, three, true, &cc), 0xbfff, 1ull << 63);
	assert_int_equal(cc, FP_C0);
	/* 2^100 rem 3 is partial: C2. */
	fp_f80_prem(&x, f80(0x4063, 1ull << 63), three, false, &cc);
	assert_int_equal(cc & FP_C2, FP_C2);
	assert_int_equal(x.flags, 0);
}

/* SDM Vol. 2 FXTRACT and FSCALE. */
static void test_xtract_scale(void **state)
{
	(void)state;
	struct fp_env x = x87(0, 3);
	struct f80 sig;
	assert_f80(fp_f80_xtract(&x, f80(0x4002, 0xa000000000000000ull), &sig),
		   0x4000, 0xc000000000000000ull);
	assert_f80(sig, 0x3fff, 0xa000000000000000ull);
	assert_f80(fp_f80_xtract(&x, f80(0x8000, 0), &sig), 0xffff, 1ull << 63);
	assert_int_equal(x.flags, FP_X_ZE);
	x.flags = 0;
	/* 1.5 * 2^trunc(-2.75) = 0.375 */
	assert_f80(fp_f80_scale(&x, f80(0x3fff, 0xc000000000000000ull),
				f80(0xc000, 0xb000000000000000ull)),
		   0x3ffd, 0xc000000000000000ull);
	assert_int_equal(x.flags, 0);
}

/* SDM Vol. 1 8.3.8: pi is held to 66 bits and rounded by RC. */
static void test_constants(void **state)
{
	(void)state;
	struct fp_env x = x87(FP_RC_NEAREST, 3);
	assert_f80(fp_f80_const(&x, FP_CONST_PI), 0x4000, 0xc90fdaa22168c235ull);
	x = x87(FP_RC_ZERO, 3);
	assert_f80(fp_f80_const(&x, FP_CONST_PI), 0x4000, 0xc90fdaa22168c234ull);
	assert_f80(fp_f80_const(&x, FP_CONST_LN2), 0x3ffe, 0xb17217f7d1cf79abull);
	assert_int_equal(x.flags, 0);
}

/* SDM Vol. 2 MINPS/MAXPS: a NaN or two zeros return the second operand
 * unchanged; any NaN is invalid. CMPPS: quiet and signalling predicates. */
static void test_min_max_cmp(void **state)
{
	(void)state;
	struct fp_env e = sse(0);
	assert_int_equal(fp_f32_min(&e, 0, 0x80000000u), 0x80000000u);
	assert_int_equal(fp_f32_max(&e, 0x80000000u, 0), 0);
	assert_int_equal(e.flags, 0);
	assert_int_equal(fp_f32_min(&e, F32_QNAN, F32_ONE), F32_ONE);
	assert_int_equal(fp_f32_max(&e, F32_ONE, F32_SNAN), F32_SNAN);
	assert_int_equal(e.flags, FP_X_IE);
	e.flags = 0;
	assert_false(fp_f32_cmp_pred(&e, F32_QNAN, F32_ONE, 0));  /* EQ_OQ */
	assert_true(fp_f32_cmp_pred(&e, F32_QNAN, F32_ONE, 4));   /* NEQ_UQ */
	assert_true(fp_f32_cmp_pred(&e, F32_QNAN, F32_ONE, 3));   /* UNORD_Q */
	assert_int_equal(e.flags, 0);
	assert_false(fp_f32_cmp_pred(&e, F32_QNAN, F32_ONE, 1));  /* LT_OS */
	assert_int_equal(e.flags, FP_X_IE);
	e.flags = 0;
	assert_int_equal(fp_f64_compare(&e, 0, 0x8000000000000000ull, true),
			 FP_REL_EQ);
	assert_int_equal(fp_f64_compare(&e, F64_INF, 0x7fefffffffffffffull, false),
			 FP_REL_GT);
	assert_int_equal(e.flags, 0);
}

/* MXCSR and FCW fields. */
static void test_env(void **state)
{
	(void)state;
	struct fp_env e = fp_env_from_mxcsr(0xffff);
	assert_int_equal(e.rc, 3);
	assert_true(e.daz && e.ftz);
	assert_int_equal(e.masks, FP_X_ALL);
	assert_int_equal(e.flags, FP_X_ALL);
	assert_int_equal(fp_env_to_mxcsr(&e, 0xabcd0000u), 0xabcdffffu);
	struct fp_env x = fp_env_from_fcw(0x0a7f);
	assert_int_equal(x.rc, FP_RC_UP);
	assert_int_equal(x.pc, FP_PC_53);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_nan),
		cmocka_unit_test(test_nan_propagation),
		cmocka_unit_test(test_integer_conversions),
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_masked_overflow),
		cmocka_unit_test(test_tininess_after_rounding),
		cmocka_unit_test(test_ftz_daz),
		cmocka_unit_test(test_unmasked_bias),
		cmocka_unit_test(test_precision_control),
		cmocka_unit_test(test_fxam),
		cmocka_unit_test(test_prem),
		cmocka_unit_test(test_xtract_scale),
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_min_max_cmp),
		cmocka_unit_test(test_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
