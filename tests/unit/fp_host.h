/* Shared by the floating-point tests that use the host CPU as the oracle:
 * a fixed-seed generator of operands that favours the hard values (zeros,
 * infinities, NaNs with payloads, denormals, the extremes of each format,
 * significands with long runs of ones or zeros that land on rounding
 * boundaries), random environments, the SIGFPE catcher that reads MXCSR
 * when an unmasked SSE exception traps, and the loop that runs a test's
 * forms and counts what they did (with cmocka's assertions). */
#ifndef TESTS_UNIT_FP_HOST_H
#define TESTS_UNIT_FP_HOST_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <cmocka.h>

#include "cpu/fp.h"

/* Number of cases per operation: n times FPT_SCALE (a test's default
 * size), times FP_TEST_SCALE from the environment for longer runs. */
#ifndef FPT_SCALE
#define FPT_SCALE 1
#endif
static inline unsigned fpt_cases(unsigned n)
{
	const char *s = getenv("FP_TEST_SCALE");
	unsigned k = s ? (unsigned)atoi(s) : 1;
	return n * FPT_SCALE * (k ? k : 1);
}

static uint64_t fpt_state = 0x9e3779b97f4a7c15ull;

static inline void fpt_seed(uint64_t s)
{
	fpt_state = s ? s : 1;
}

static inline uint64_t fpt_rand(void)
{
	/* xorshift64* */
	fpt_state ^= fpt_state >> 12;
	fpt_state ^= fpt_state << 25;
	fpt_state ^= fpt_state >> 27;
	return fpt_state * 0x2545f4914f6cdd1dull;
}

static inline unsigned fpt_below(unsigned n)
{
	return (unsigned)(fpt_rand() % n);
}

/* A significand pattern of width bits: random, a run of ones or zeros,
 * few bits set, all ones, zero. */
static inline uint64_t fpt_sig(unsigned bits)
{
	uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1;
	unsigned a = fpt_below(bits + 1), b = fpt_below(bits + 1);
	uint64_t run = 0;
	if (a > b) {
		unsigned t = a;
		a = b;
		b = t;
	}
	if (b > a)
		run = (b - a == 64 ? ~0ull : ((1ull << (b - a)) - 1)) << a;
	switch (fpt_below(8)) {
	case 0:
		return run & m;
	case 1:
		return ~run & m;
	case 2:
		return ((1ull << fpt_below(bits)) | (1ull << fpt_below(bits))
			| (fpt_below(2) ? 1 : 0)) & m;
	case 3:
		return fpt_below(2) ? m : 0;
	case 4:
		return (fpt_rand() ^ run) & m;
	default:
		return fpt_rand() & m;
	}
}

/* An exponent field of width ebits: anywhere, near the bottom, near the
 * top, near the bias, or given by near (a close relative). */
static inline unsigned fpt_exp(unsigned ebits, int near)
{
	unsigned max = (1u << ebits) - 1, bias = max >> 1;
	int e;
	switch (fpt_below(near >= 0 ? 7 : 5)) {
	case 0:
		e = (int)fpt_below(4);
		break;
	case 1:
		e = (int)max - (int)fpt_below(4);
		break;
	case 2:
		e = (int)bias + (int)fpt_below(70) - 35;
		break;
	case 5:
	case 6:
		e = near + (int)fpt_below(70) - 35;
		break;
	default:
		e = (int)fpt_below(max + 1);
		break;
	}
	if (e < 0)
		e = 0;
	if (e > (int)max)
		e = (int)max;
	return (unsigned)e;
}

static inline uint32_t fpt_f32_near(int near)
{
	static const uint32_t hard[] = {
		0, 0x80000000u, 1, 0x807fffffu, 0x00800000u, 0x7f7fffffu,
		0x3f800000u, 0xbf800000u, 0x7f800000u, 0xff800000u,
		0x7fc00000u, 0xffc00000u, 0x7fc12345u, 0x7f800001u,
		0xff812345u, 0x7fbfffffu, 0x4b800000u, 0x4f000000u,
		0xcf000000u, 0x5f000000u, 0xdf000000u, 0x3f000000u,
	};
	if (fpt_below(8) == 0)
		return hard[fpt_below(sizeof hard / sizeof hard[0])];
	return (uint32_t)fpt_below(2) << 31 | fpt_exp(8, near) << 23
		| (uint32_t)fpt_sig(23);
}

static inline uint64_t fpt_f64_near(int near)
{
	static const uint64_t hard[] = {
		0, 1ull << 63, 1, 0x800fffffffffffffull, 0x0010000000000000ull,
		0x7fefffffffffffffull, 0x3ff0000000000000ull,
		0xbff0000000000000ull, 0x7ff0000000000000ull,
		0xfff0000000000000ull, 0x7ff8000000000000ull,
		0xfff8000000000000ull, 0x7ff8000012345678ull,
		0x7ff0000000000001ull, 0xfff0000012345678ull,
		0x7ff7ffffffffffffull, 0x41e0000000000000ull,
		0xc1e0000000000000ull, 0x43e0000000000000ull,
		0xc3e0000000000000ull, 0x3fe0000000000000ull,
		0x41dfffffffc00000ull, 0xc1e0000000200000ull,
	};
	if (fpt_below(8) == 0)
		return hard[fpt_below(sizeof hard / sizeof hard[0])];
	return (uint64_t)fpt_below(2) << 63 | (uint64_t)fpt_exp(11, near) << 52
		| fpt_sig(52);
}

/* f80 operands include the unsupported encodings and pseudo-denormals
 * now and then. */
static inline struct f80 fpt_f80_near(int near)
{
	static const struct f80 hard[] = {
		{ 0, 0 }, { 0, 0x8000 }, { 1, 0 }, { 0x7fffffffffffffffull, 0x8000 },
		{ 0x8000000000000000ull, 0x0001 }, { ~0ull, 0x7ffe },
		{ 0x8000000000000000ull, 0x3fff }, { 0x8000000000000000ull, 0xbfff },
		{ 0x8000000000000000ull, 0x7fff }, { 0x8000000000000000ull, 0xffff },
		{ 0xc000000000000000ull, 0x7fff }, { 0xc000000000000000ull, 0xffff },
		{ 0xc000000012345678ull, 0x7fff }, { 0x8000000000000001ull, 0x7fff },
		{ 0x8000000012345678ull, 0xffff }, { 0xbfffffffffffffffull, 0x7fff },
		{ 0x8000000000000000ull, 0x0000 }, { 0x8000000012345678ull, 0x8000 },
		{ 0x4000000000000000ull, 0x7fff }, { 0x0000000000000000ull, 0x7fff },
		{ 0x4000000000000000ull, 0x3fff }, { 0x8000000000000000ull, 0x403e },
		{ 0x8000000000000000ull, 0xc03e }, { 0xde0b6b3a763ffff0ull, 0x403a },
	};
	if (fpt_below(10) == 0)
		return hard[fpt_below(sizeof hard / sizeof hard[0])];
	unsigned e = fpt_exp(15, near);
	uint64_t sig = fpt_sig(63);
	/* Integer bit: set for normals, clear for denormals, and now and
	 * then the wrong way round (unnormals, pseudo-denormals). */
	bool ibit = e != 0;
	if (fpt_below(64) == 0)
		ibit = !ibit;
	struct f80 r = { sig | (ibit ? 1ull << 63 : 0),
			 (uint16_t)(fpt_below(2) << 15 | e) };
	return r;
}

static inline uint32_t fpt_f32(void)
{
	return fpt_f32_near(-1);
}

static inline uint64_t fpt_f64(void)
{
	return fpt_f64_near(-1);
}

static inline struct f80 fpt_f80(void)
{
	return fpt_f80_near(-1);
}

/* An exponent field that makes a product or quotient with an operand of
 * exponent field e land near the under- or overflow threshold. */
static inline int fpt_partner_exp(unsigned ebits, unsigned e, bool quotient)
{
	int bias = (int)((1u << ebits) - 1) >> 1;
	int ue = (int)e - bias;
	int target = fpt_below(2) ? -bias + 1 : bias; /* emin or emax */
	int want = quotient ? ue - target : target - ue;
	return want + bias;
}

/* Two s-bit significands (top bit s - 1 set) whose product lies just
 * below 2^(2s - 1) with its top p bits all ones: rounded to p bits it
 * carries (or not, by mode) into the next power of two, the case where
 * tininess before and after rounding differ. */
static inline void fpt_carry_pair(unsigned s, unsigned p, uint64_t *a,
				  uint64_t *b)
{
	typedef unsigned __int128 u128;
	u128 top = (u128)1 << (2 * s - 1);
	for (;;) {
		uint64_t lo = 1ull << (s - 1);
		uint64_t x = lo | (fpt_rand() & (lo - 1));
		unsigned w = 2 * s - 1 - p;
		u128 d = 1 + ((((u128)fpt_rand() << 64) | fpt_rand())
			      & (((u128)1 << w) - 1));
		u128 y = (top - d) / x;
		if (y >= lo && (y >> s) == 0) {
			*a = x;
			*b = (uint64_t)y;
			return;
		}
	}
}

/* Two operands with ebits exponent bits and s-bit significands whose
 * product, rounded to p bits, lies just below a power of two
 * (fpt_carry_pair), placed at the underflow or overflow threshold: the
 * significands in *x and *y, the sign and exponent fields (the sign above
 * the exponent) in *sea and *seb, the first exponent drawn from 1 to
 * range. */
static inline void fpt_threshold_pair(unsigned ebits, unsigned s, unsigned p,
				      unsigned range, uint64_t *x, uint64_t *y,
				      uint64_t *sea, uint64_t *seb)
{
	int bias = (int)((1u << ebits) - 1) >> 1, max = 2 * bias;
	fpt_carry_pair(s, p, x, y);
	int ea = 1 + (int)fpt_below(range);
	int eb = (fpt_below(2) ? 0 + bias : max + bias - 1) - ea
		+ (int)fpt_below(3);
	if (eb < 1 || eb > max)
		eb = bias;
	*sea = (uint64_t)fpt_below(2) << ebits | (uint64_t)ea;
	*seb = (uint64_t)fpt_below(2) << ebits | (uint64_t)eb;
}

/* Masks: mostly all masked, else a random subset. */
static inline unsigned fpt_masks(void)
{
	return fpt_below(3) ? FP_X_ALL : (unsigned)fpt_below(64);
}

/* ---- Catching unmasked SSE exceptions ---- */

static sigjmp_buf fpt_jmp;
static volatile uint32_t fpt_trap_mxcsr;
static volatile uint16_t fpt_trap_fsw;

static inline void fpt_on_fpe(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	ucontext_t *uc = ctx;
	fpt_trap_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
	fpt_trap_fsw = uc->uc_mcontext.fpregs->swd;
	siglongjmp(fpt_jmp, 1);
}

static inline void fpt_catch_fpe(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fpt_on_fpe;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGFPE, &sa, NULL);
}

/* Coverage of one form: how many cases raised each flag, trapped, or
 * produced a denormal result; printed with FP_TEST_VERBOSE set. */
struct fpt_cover {
	unsigned long flag[6], traps, denormal;
};

static inline void fpt_cover_add(struct fpt_cover *c, unsigned flags,
				 bool trap, bool denormal)
{
	for (int i = 0; i < 6; i++)
		c->flag[i] += (flags >> i) & 1;
	c->traps += trap;
	c->denormal += denormal;
}

static inline void fpt_cover_print(const char *name, unsigned long cases,
				   const struct fpt_cover *c)
{
	if (!getenv("FP_TEST_VERBOSE"))
		return;
	printf("  %-12s %7lu cases: IE %lu DE %lu ZE %lu OE %lu UE %lu PE %lu,"
	       " unmasked %lu, denormal results %lu\n", name, cases,
	       c->flag[0], c->flag[1], c->flag[2], c->flag[3], c->flag[4],
	       c->flag[5], c->traps, c->denormal);
}

static const char *fpt_rc_name[4] = { "near", "down", "up", "zero" };

/* EFLAGS as LAHF shows them in AH after COMISS or FCOMI: ZF (bit 6), PF
 * (2), CF (0) by the relation, bit 1 always set, SF and AF clear. */
static inline uint8_t fpt_rel_ah(enum fp_rel r)
{
	static const uint8_t f[4] = { 0x03, 0x42, 0x02, 0x47 };
	return f[r];
}

/* ---- Running a test's forms ---- */

struct fpt_tally {
	unsigned long cases, mismatches, traps;
	struct fpt_cover cover;
};

/* A test's table of forms: count of them, the name of form i, and the
 * function that runs one random case of form i and counts it in t. */
struct fpt_forms {
	size_t count;
	const char *(*name)(size_t i);
	void (*run_case)(size_t i, struct fpt_tally *t);
	uint64_t seed;      /* form i's cases start from seed + i */
};

static unsigned long fpt_total_cases, fpt_total_mismatches;

/* Runs n cases of every form whose name starts with prefix, and fails
 * the test at the first form with a mismatch. */
static inline void fpt_run_forms(const struct fpt_forms *s, const char *prefix,
				 unsigned n)
{
	for (size_t i = 0; i < s->count; i++) {
		const char *name = s->name(i);
		if (strncmp(name, prefix, strlen(prefix)) != 0)
			continue;
		struct fpt_tally t = { 0 };
		fpt_seed(s->seed + i);
		for (unsigned k = 0; k < n; k++)
			s->run_case(i, &t);
		fpt_total_cases += t.cases;
		fpt_total_mismatches += t.mismatches;
		fpt_cover_print(name, t.cases, &t.cover);
		if (t.mismatches)
			printf("%-12s %lu cases (%lu trapped), %lu mismatches\n",
			       name, t.cases, t.traps, t.mismatches);
		assert_int_equal(t.mismatches, 0);
	}
}

static inline void fpt_summary(const char *unit, size_t forms)
{
	printf("SUMMARY: fp %s: %zu forms, %lu cases, %lu mismatches\n", unit,
	       forms, fpt_total_cases, fpt_total_mismatches);
}

/* A test's only test where the host is not x86-64: there is no oracle. */
static inline void fpt_not_x86(void **state)
{
	(void)state;
	skip();
}

#endif
