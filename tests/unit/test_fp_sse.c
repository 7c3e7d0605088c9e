/* The f32/f64 (SSE) operations of cpu/fp.h against the host CPU: each
 * case runs the real instruction under the same MXCSR (every rounding
 * mode, DAZ, FTZ, masked and unmasked exceptions; an unmasked exception
 * traps and MXCSR is read from the signal context) and must match the
 * library's result and flags bit for bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cpu/fp.h"

#define FPT_SCALE 4 /* default run: a few seconds */
#include "tests/unit/fp_host.h"

#if defined(__x86_64__)

typedef void host_fn(uint32_t mx, uint64_t a, uint64_t b, uint64_t *r,
		     uint32_t *mo);
typedef uint64_t lib_fn(struct fp_env *e, uint64_t a, uint64_t b);

#define LD32 "movss %[a], %%xmm0\n\tmovss %[b], %%xmm1\n\t"
#define LD64 "movsd %[a], %%xmm0\n\tmovsd %[b], %%xmm1\n\t"
#define LDI "mov %[a], %%rax\n\t"
#define ST32 "movss %%xmm0, %[r]\n\t"
#define ST64 "movsd %%xmm0, %[r]\n\t"
#define STI "mov %%rax, %[r]\n\t"
#define STF "lahf\n\tmovzbl %%ah, %%eax\n\tmov %%rax, %[r]\n\t"

#define HOST(name, ld, insn, st)                                            \
	static void h_##name(uint32_t mx, uint64_t a, uint64_t b,           \
			     uint64_t *r, uint32_t *mo)                     \
	{                                                                   \
		uint32_t def = 0x1f80;                                      \
		__asm__ volatile("ldmxcsr %[mx]\n\t" ld insn "\n\t" st      \
				 "stmxcsr %[mo]\n\tldmxcsr %[def]"          \
				 : [r] "+m"(*r), [mo] "=m"(*mo)             \
				 : [mx] "m"(mx), [a] "m"(a), [b] "m"(b),    \
				   [def] "m"(def)                           \
				 : "xmm0", "xmm1", "rax", "cc", "memory");  \
	}

HOST(addss, LD32, "addss %%xmm1, %%xmm0", ST32)
HOST(subss, LD32, "subss %%xmm1, %%xmm0", ST32)
HOST(mulss, LD32, "mulss %%xmm1, %%xmm0", ST32)
HOST(divss, LD32, "divss %%xmm1, %%xmm0", ST32)
HOST(minss, LD32, "minss %%xmm1, %%xmm0", ST32)
HOST(maxss, LD32, "maxss %%xmm1, %%xmm0", ST32)
HOST(sqrtss, LD32, "sqrtss %%xmm0, %%xmm0", ST32)
HOST(addsd, LD64, "addsd %%xmm1, %%xmm0", ST64)
HOST(subsd, LD64, "subsd %%xmm1, %%xmm0", ST64)
HOST(mulsd, LD64, "mulsd %%xmm1, %%xmm0", ST64)
HOST(divsd, LD64, "divsd %%xmm1, %%xmm0", ST64)
HOST(minsd, LD64, "minsd %%xmm1, %%xmm0", ST64)
HOST(maxsd, LD64, "maxsd %%xmm1, %%xmm0", ST64)
HOST(sqrtsd, LD64, "sqrtsd %%xmm0, %%xmm0", ST64)
HOST(cvtss2sd, LD32, "cvtss2sd %%xmm0, %%xmm0", ST64)
HOST(cvtsd2ss, LD64, "cvtsd2ss %%xmm0, %%xmm0", ST32)
HOST(cvtss2si32, LD32, "cvtss2si %%xmm0, %%eax", STI)
HOST(cvtss2si64, LD32, "cvtss2si %%xmm0, %%rax", STI)
HOST(cvttss2si32, LD32, "cvttss2si %%xmm0, %%eax", STI)
HOST(cvttss2si64, LD32, "cvttss2si %%xmm0, %%rax", STI)
HOST(cvtsd2si32, LD64, "cvtsd2si %%xmm0, %%eax", STI)
HOST(cvtsd2si64, LD64, "cvtsd2si %%xmm0, %%rax", STI)
HOST(cvttsd2si32, LD64, "cvttsd2si %%xmm0, %%eax", STI)
HOST(cvttsd2si64, LD64, "cvttsd2si %%xmm0, %%rax", STI)
HOST(cvtsi2ss32, LDI, "cvtsi2ssl %%eax, %%xmm0", ST32)
HOST(cvtsi2ss64, LDI, "cvtsi2ssq %%rax, %%xmm0", ST32)
HOST(cvtsi2sd32, LDI, "cvtsi2sdl %%eax, %%xmm0", ST64)
HOST(cvtsi2sd64, LDI, "cvtsi2sdq %%rax, %%xmm0", ST64)
HOST(comiss, LD32, "comiss %%xmm1, %%xmm0", STF)
HOST(ucomiss, LD32, "ucomiss %%xmm1, %%xmm0", STF)
HOST(comisd, LD64, "comisd %%xmm1, %%xmm0", STF)
HOST(ucomisd, LD64, "ucomisd %%xmm1, %%xmm0", STF)

#define ROUND(n)                                                            \
	HOST(roundss##n, LD32, "roundss $" #n ", %%xmm0, %%xmm0", ST32)     \
	HOST(roundsd##n, LD64, "roundsd $" #n ", %%xmm0, %%xmm0", ST64)
ROUND(0) ROUND(1) ROUND(2) ROUND(3) ROUND(4)
ROUND(8) ROUND(9) ROUND(10) ROUND(11) ROUND(12)

#define CMP(n)                                                              \
	HOST(cmpss##n, LD32, "vcmpss $" #n ", %%xmm1, %%xmm0, %%xmm0", ST32) \
	HOST(cmpsd##n, LD64, "vcmpsd $" #n ", %%xmm1, %%xmm0, %%xmm0", ST64)
CMP(0) CMP(1) CMP(2) CMP(3) CMP(4) CMP(5) CMP(6) CMP(7)
CMP(8) CMP(9) CMP(10) CMP(11) CMP(12) CMP(13) CMP(14) CMP(15)
CMP(16) CMP(17) CMP(18) CMP(19) CMP(20) CMP(21) CMP(22) CMP(23)
CMP(24) CMP(25) CMP(26) CMP(27) CMP(28) CMP(29) CMP(30) CMP(31)

/* ---- The library side, with the same signature ---- */

#define U32(x) ((uint32_t)(x))
static uint64_t l_addss(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f32_add(e, U32(a), U32(b)); }
static uint64_t l_subss(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f32_sub(e, U32(a), U32(b)); }
static uint64_t l_mulss(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f32_mul(e, U32(a), U32(b)); }
static uint64_t l_divss(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f32_div(e, U32(a), U32(b)); }
static uint64_t l_minss(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f32_min(e, U32(a), U32(b)); }
static uint64_t l_maxss(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f32_max(e, U32(a), U32(b)); }
static uint64_t l_sqrtss(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f32_sqrt(e, U32(a)); }
static uint64_t l_addsd(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f64_add(e, a, b); }
static uint64_t l_subsd(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f64_sub(e, a, b); }
static uint64_t l_mulsd(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f64_mul(e, a, b); }
static uint64_t l_divsd(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f64_div(e, a, b); }
static uint64_t l_minsd(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f64_min(e, a, b); }
static uint64_t l_maxsd(struct fp_env *e, uint64_t a, uint64_t b) { return fp_f64_max(e, a, b); }
static uint64_t l_sqrtsd(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f64_sqrt(e, a); }
static uint64_t l_cvtss2sd(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f32_to_f64(e, U32(a)); }
static uint64_t l_cvtsd2ss(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f64_to_f32(e, a); }
static uint64_t l_cvtss2si32(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f32_to_int(e, U32(a), 32, false); }
static uint64_t l_cvtss2si64(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f32_to_int(e, U32(a), 64, false); }
static uint64_t l_cvttss2si32(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f32_to_int(e, U32(a), 32, true); }
static uint64_t l_cvttss2si64(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f32_to_int(e, U32(a), 64, true); }
static uint64_t l_cvtsd2si32(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f64_to_int(e, a, 32, false); }
static uint64_t l_cvtsd2si64(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f64_to_int(e, a, 64, false); }
static uint64_t l_cvttsd2si32(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f64_to_int(e, a, 32, true); }
static uint64_t l_cvttsd2si64(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_f64_to_int(e, a, 64, true); }
static uint64_t l_cvtsi2ss32(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_int_to_f32(e, (int32_t)a); }
static uint64_t l_cvtsi2ss64(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_int_to_f32(e, (int64_t)a); }
static uint64_t l_cvtsi2sd32(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_int_to_f64(e, (int32_t)a); }
static uint64_t l_cvtsi2sd64(struct fp_env *e, uint64_t a, uint64_t b) { (void)b; return fp_int_to_f64(e, (int64_t)a); }

/* The host's result is AH after LAHF. */
static uint64_t l_comiss(struct fp_env *e, uint64_t a, uint64_t b) { return fpt_rel_ah(fp_f32_compare(e, U32(a), U32(b), true)); }
static uint64_t l_ucomiss(struct fp_env *e, uint64_t a, uint64_t b) { return fpt_rel_ah(fp_f32_compare(e, U32(a), U32(b), false)); }
static uint64_t l_comisd(struct fp_env *e, uint64_t a, uint64_t b) { return fpt_rel_ah(fp_f64_compare(e, a, b, true)); }
static uint64_t l_ucomisd(struct fp_env *e, uint64_t a, uint64_t b) { return fpt_rel_ah(fp_f64_compare(e, a, b, false)); }

/* ROUNDSS imm8: bits 1:0 the mode, bit 2 use MXCSR.RC, bit 3 no PE. */
static uint64_t round_imm(struct fp_env *e, uint64_t a, unsigned imm, bool dbl)
{
	unsigned rc = (imm & 4) ? e->rc : imm & 3;
	return dbl ? fp_f64_round_int(e, a, rc, imm & 8)
		   : fp_f32_round_int(e, U32(a), rc, imm & 8);
}
#define LROUND(n)                                                           \
	static uint64_t l_roundss##n(struct fp_env *e, uint64_t a, uint64_t b) \
	{ (void)b; return round_imm(e, a, n, false); }                      \
	static uint64_t l_roundsd##n(struct fp_env *e, uint64_t a, uint64_t b) \
	{ (void)b; return round_imm(e, a, n, true); }
LROUND(0) LROUND(1) LROUND(2) LROUND(3) LROUND(4)
LROUND(8) LROUND(9) LROUND(10) LROUND(11) LROUND(12)

#define LCMP(n)                                                             \
	static uint64_t l_cmpss##n(struct fp_env *e, uint64_t a, uint64_t b) \
	{ return fp_f32_cmp_pred(e, U32(a), U32(b), n) ? 0xffffffffu : 0; } \
	static uint64_t l_cmpsd##n(struct fp_env *e, uint64_t a, uint64_t b) \
	{ return fp_f64_cmp_pred(e, a, b, n) ? ~0ull : 0; }
LCMP(0) LCMP(1) LCMP(2) LCMP(3) LCMP(4) LCMP(5) LCMP(6) LCMP(7)
LCMP(8) LCMP(9) LCMP(10) LCMP(11) LCMP(12) LCMP(13) LCMP(14) LCMP(15)
LCMP(16) LCMP(17) LCMP(18) LCMP(19) LCMP(20) LCMP(21) LCMP(22) LCMP(23)
LCMP(24) LCMP(25) LCMP(26) LCMP(27) LCMP(28) LCMP(29) LCMP(30) LCMP(31)

/* ---- Operand kinds and the table of forms ---- */

enum kind {
	K_F32,     /* two f32 */
	K_F64,
	K_F32_INT, /* one f32 meant for an integer conversion */
	K_F64_INT,
	K_INT32,   /* a 32-bit integer */
	K_INT64,
};

struct form {
	const char *name;
	enum kind kind;
	bool product; /* pair operands near the product/quotient limits */
	bool quotient;
	host_fn *host;
	lib_fn *lib;
	unsigned width; /* result bits compared */
};

#define F(n, k, p, q, w) { #n, k, p, q, h_##n, l_##n, w }
static const struct form forms[] = {
	F(addss, K_F32, false, false, 32), F(subss, K_F32, false, false, 32),
	F(mulss, K_F32, true, false, 32), F(divss, K_F32, true, true, 32),
	F(minss, K_F32, false, false, 32), F(maxss, K_F32, false, false, 32),
	F(sqrtss, K_F32, false, false, 32),
	F(addsd, K_F64, false, false, 64), F(subsd, K_F64, false, false, 64),
	F(mulsd, K_F64, true, false, 64), F(divsd, K_F64, true, true, 64),
	F(minsd, K_F64, false, false, 64), F(maxsd, K_F64, false, false, 64),
	F(sqrtsd, K_F64, false, false, 64),
	F(cvtss2sd, K_F32, false, false, 64), F(cvtsd2ss, K_F64, false, false, 32),
	F(cvtss2si32, K_F32_INT, false, false, 64),
	F(cvtss2si64, K_F32_INT, false, false, 64),
	F(cvttss2si32, K_F32_INT, false, false, 64),
	F(cvttss2si64, K_F32_INT, false, false, 64),
	F(cvtsd2si32, K_F64_INT, false, false, 64),
	F(cvtsd2si64, K_F64_INT, false, false, 64),
	F(cvttsd2si32, K_F64_INT, false, false, 64),
	F(cvttsd2si64, K_F64_INT, false, false, 64),
	F(cvtsi2ss32, K_INT32, false, false, 32), F(cvtsi2ss64, K_INT64, false, false, 32),
	F(cvtsi2sd32, K_INT32, false, false, 64), F(cvtsi2sd64, K_INT64, false, false, 64),
	F(comiss, K_F32, false, false, 8), F(ucomiss, K_F32, false, false, 8),
	F(comisd, K_F64, false, false, 8), F(ucomisd, K_F64, false, false, 8),
#define FR(n) F(roundss##n, K_F32_INT, false, false, 32), F(roundsd##n, K_F64_INT, false, false, 64)
	FR(0), FR(1), FR(2), FR(3), FR(4), FR(8), FR(9), FR(10), FR(11), FR(12),
#define FC(n) F(cmpss##n, K_F32, false, false, 32), F(cmpsd##n, K_F64, false, false, 64)
	FC(0), FC(1), FC(2), FC(3), FC(4), FC(5), FC(6), FC(7),
	FC(8), FC(9), FC(10), FC(11), FC(12), FC(13), FC(14), FC(15),
	FC(16), FC(17), FC(18), FC(19), FC(20), FC(21), FC(22), FC(23),
	FC(24), FC(25), FC(26), FC(27), FC(28), FC(29), FC(30), FC(31),
};
#define NFORMS (sizeof forms / sizeof forms[0])

static void operands(const struct form *f, uint64_t *a, uint64_t *b)
{
	switch (f->kind) {
	case K_F32: {
		if (f->product && !f->quotient && fpt_below(4) == 0) {
			/* Product just below a power of two, placed at the
			 * underflow or overflow threshold. */
			uint64_t x, y, sea, seb;
			fpt_threshold_pair(8, 24, 24, 200, &x, &y, &sea, &seb);
			*a = sea << 23 | (x & 0x7fffff);
			*b = seb << 23 | (y & 0x7fffff);
			break;
		}
		*a = fpt_f32();
		int ea = (int)((*a >> 23) & 0xff);
		unsigned how = fpt_below(3);
		if (how == 0)
			*b = fpt_f32();
		else if (how == 1 && f->product)
			*b = fpt_f32_near(fpt_partner_exp(8, (unsigned)ea, f->quotient));
		else
			*b = fpt_f32_near(ea);
		break;
	}
	case K_F64: {
		if (f->product && !f->quotient && fpt_below(4) == 0) {
			uint64_t x, y, sea, seb;
			fpt_threshold_pair(11, 53, 53, 2000, &x, &y, &sea, &seb);
			*a = sea << 52 | (x & 0xfffffffffffffull);
			*b = seb << 52 | (y & 0xfffffffffffffull);
			break;
		}
		if (strcmp(f->name, "cvtsd2ss") == 0 && fpt_below(2)) {
			/* Around the f32 underflow and overflow thresholds. */
			*a = fpt_f64_near(fpt_below(2) ? 1023 - 126 : 1023 + 127);
			break;
		}
		*a = fpt_f64();
		int ea = (int)((*a >> 52) & 0x7ff);
		unsigned how = fpt_below(3);
		if (how == 0)
			*b = fpt_f64();
		else if (how == 1 && f->product)
			*b = fpt_f64_near(fpt_partner_exp(11, (unsigned)ea, f->quotient));
		else
			*b = fpt_f64_near(ea);
		break;
	}
	case K_F32_INT:
		*a = fpt_f32_near(127 + (int)fpt_below(66) - 1);
		*b = 0;
		break;
	case K_F64_INT:
		*a = fpt_f64_near(1023 + (int)fpt_below(66) - 1);
		*b = 0;
		break;
	case K_INT32:
		*a = (uint64_t)(int64_t)(int32_t)(fpt_sig(31) ^ (fpt_below(2) ? ~0ull : 0));
		*b = 0;
		break;
	case K_INT64:
		*a = fpt_sig(64) ^ (fpt_below(2) ? ~0ull : 0);
		*b = 0;
		break;
	}
}

static uint32_t random_mxcsr(void)
{
	uint32_t mx = (uint32_t)fpt_below(4) << 13 | fpt_masks() << 7;
	if (fpt_below(4) == 0)
		mx |= 1u << 6;  /* DAZ */
	if (fpt_below(4) == 0)
		mx |= 1u << 15; /* FTZ */
	return mx;
}

/* One case: returns true when host and library agree. */
static bool run_case(const struct form *f, uint32_t mx, uint64_t a,
		     uint64_t b, struct fpt_tally *t)
{
	const uint64_t sentinel = 0x5a5a5a5a5a5a5a5aull;
	volatile uint64_t hr = sentinel;
	volatile uint32_t hmx = 0;
	volatile bool trapped = false;
	uint64_t r = sentinel;
	uint32_t mo = 0;
	if (sigsetjmp(fpt_jmp, 0) == 0) {
		f->host(mx, a, b, &r, &mo);
		hr = r;
		hmx = mo;
	} else {
		trapped = true;
		hmx = fpt_trap_mxcsr;
		__asm__ volatile("ldmxcsr %0" : : "m"((uint32_t){ 0x1f80 }));
	}
	struct fp_env e = fp_env_from_mxcsr(mx);
	uint64_t lr = f->lib(&e, a, b);
	bool ltrap = (e.flags & ~e.masks & FP_X_ALL) != 0;
	uint64_t wm = f->width == 64 ? ~0ull : (1ull << f->width) - 1;
	uint32_t lmx = fp_env_to_mxcsr(&e, mx);
	bool ok = ltrap == trapped && (hmx & 0x3f) == (lmx & 0x3f)
		&& (trapped || ((hr ^ lr) & wm) == 0);
	t->cases++;
	t->traps += trapped;
	bool den = f->width == 32 ? (lr & 0x7f800000u) == 0 && (lr & 0x7fffffu)
		: f->width == 64 ? (lr & 0x7ff0000000000000ull) == 0
			&& (lr & 0xfffffffffffffull) : false;
	fpt_cover_add(&t->cover, e.flags, ltrap, den && !ltrap);
	if (!ok && ++t->mismatches <= 8)
		printf("  %s mxcsr=%04x (%s%s%s masks=%02x) a=%016llx b=%016llx:"
		       " host %016llx flags %02x%s, lib %016llx flags %02x%s\n",
		       f->name, mx, fpt_rc_name[(mx >> 13) & 3],
		       (mx & 0x40) ? " daz" : "", (mx & 0x8000) ? " ftz" : "",
		       (mx >> 7) & 0x3f, (unsigned long long)a,
		       (unsigned long long)b,
		       (unsigned long long)(hr & wm), hmx & 0x3f,
		       trapped ? " trap" : "",
		       (unsigned long long)(lr & wm), lmx & 0x3f,
		       ltrap ? " trap" : "");
	return ok;
}

static const char *form_name(size_t i)
{
	return forms[i].name;
}

static void random_case(size_t i, struct fpt_tally *t)
{
	uint64_t a = 0, b = 0;
	operands(&forms[i], &a, &b);
	run_case(&forms[i], random_mxcsr(), a, b, t);
}

static const struct fpt_forms sse_forms = {
	NFORMS, form_name, random_case, 0x5eed0000u,
};

static void run_forms(const char *prefix, unsigned n)
{
	fpt_catch_fpe();
	fpt_run_forms(&sse_forms, prefix, n);
}

static void test_arith_f32(void **state)
{
	(void)state;
	run_forms("addss", fpt_cases(60000));
	run_forms("subss", fpt_cases(30000));
	run_forms("mulss", fpt_cases(60000));
	run_forms("divss", fpt_cases(60000));
	run_forms("sqrtss", fpt_cases(30000));
}

static void test_arith_f64(void **state)
{
	(void)state;
	run_forms("addsd", fpt_cases(60000));
	run_forms("subsd", fpt_cases(30000));
	run_forms("mulsd", fpt_cases(60000));
	run_forms("divsd", fpt_cases(60000));
	run_forms("sqrtsd", fpt_cases(30000));
}

static void test_min_max(void **state)
{
	(void)state;
	run_forms("min", fpt_cases(20000));
	run_forms("max", fpt_cases(20000));
}

static void test_convert(void **state)
{
	(void)state;
	run_forms("cvt", fpt_cases(25000));
}

static void test_compare(void **state)
{
	(void)state;
	run_forms("comis", fpt_cases(20000));
	run_forms("ucomis", fpt_cases(20000));
	run_forms("cmp", fpt_cases(3000));
}

static void test_round(void **state)
{
	(void)state;
	run_forms("round", fpt_cases(6000));
}

static void test_summary(void **state)
{
	(void)state;
	fpt_summary("sse", NFORMS);
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#if defined(__x86_64__)
		cmocka_unit_test(test_arith_f32),
		cmocka_unit_test(test_arith_f64),
		cmocka_unit_test(test_min_max),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_summary),
#else
		cmocka_unit_test(fpt_not_x86),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
