/* Software IEEE 754 arithmetic with x86 semantics for the SSE and x87
 * units: single (f32), double (f64) and double extended (f80) formats,
 * bit-exact and host-independent (integer code only, no host FPU).
 *
 * Conventions shared by every function below:
 * - Values are raw encodings: f32 in a uint32_t, f64 in a uint64_t, f80 in
 *   struct f80 (cpu/fpstate.h). Integers are two's complement bit patterns.
 * - Every operation takes the environment (struct fp_env), reads its
 *   rounding control, precision control, DAZ/FTZ and masks, and ORs the
 *   exceptions it detects into env->flags. It never clears a flag.
 * - f32/f64 operations follow SSE rules: DAZ (denormal inputs read as
 *   zero with their sign, no DE) and FTZ (a tiny result, exact or not,
 *   becomes a zero of its sign with UE and PE when UE is masked); NaN
 *   propagation gives priority to the first source operand (SDM Vol. 1
 *   table 4-7, 11.5.2.2).
 * - f80 operations follow x87 rules: of two NaNs the QNaN beats a SNaN,
 *   else the larger significand wins, else the positive one (SDM Vol. 1
 *   table 4-7; the last rule is the host's); unsupported encodings
 *   (pseudo-NaN, pseudo-infinity, unnormal) are invalid operands,
 *   pseudo-denormals are denormals. DAZ and FTZ are ignored. Only
 *   fp_f80_add/sub/mul/div/sqrt round to the precision control (SDM Vol.
 *   1 8.1.5.2), with the extended exponent range; a tiny result keeps the
 *   bits of the 24- or 53-bit significand that remain after
 *   denormalization. Every other f80 result is rounded to 64 bits.
 * - An invalid operation delivers the default QNaN "floating-point
 *   indefinite" (sign 1, exponent all ones, only the top fraction bit set;
 *   for f80 the integer bit is set as well).
 * - Priorities (SDM Vol. 1 4.9.2): NaN and unsupported operands come
 *   before DE (no DE then), divide by zero before DE.
 * - A pre-computation exception (IE, DE, ZE) that is unmasked stops the
 *   operation: the flag is recorded and nothing later (OE/UE/PE) is
 *   detected; the returned value is then meaningless and the caller must
 *   not write it (SDM Vol. 1 4.9.2, 11.5.2.2). Exceptions: comparisons
 *   always return the relation (the x87 sets C0-C3 even with DE
 *   unmasked), and FLD m32fp/m64fp loads a denormal with DE unmasked.
 * - Unmasked overflow or underflow (post-computation) deliver the result
 *   rounded to the destination precision with the exponent wrapped by the
 *   SDM's bias adjustment: 24576 for f80 (what the x87 writes to a
 *   register, SDM Vol. 1 8.5.4, 8.5.5), 1536 for f64 and 192 for f32
 *   (SSE and x87 stores to memory write nothing). PE comes with them when
 *   the wrapped result is inexact, except for x87 stores to memory (FST,
 *   see below). An f80 result too far out even for the wrap (FSCALE) is
 *   an infinity with OE and PE, or a zero with UE and PE.
 * - Tininess is detected after rounding (to the destination precision
 *   with an unbounded exponent), as x86 does; masked underflow sets UE
 *   only when the tiny result is also inexact, unmasked underflow sets it
 *   whenever the result is tiny (SDM Vol. 1 4.9.1.5).
 * - env->c1 becomes true when an operation's result was rounded up in
 *   magnitude (the x87's C1 beside PE); it is never cleared here, so the
 *   x87 clears it before each instruction. */
#ifndef CPU_FP_H
#define CPU_FP_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/fpstate.h"

/* Exception flags and masks: the bit order of FSW bits 5:0, FCW bits 5:0,
 * MXCSR bits 5:0 (flags) and, shifted left by 7, MXCSR bits 12:7 (masks). */
#define FP_X_IE 0x01u /* invalid operation */
#define FP_X_DE 0x02u /* denormal operand */
#define FP_X_ZE 0x04u /* divide by zero */
#define FP_X_OE 0x08u /* overflow */
#define FP_X_UE 0x10u /* underflow */
#define FP_X_PE 0x20u /* precision (inexact) */
#define FP_X_ALL 0x3fu

/* Rounding control, the x86 RC encoding (FCW bits 11:10, MXCSR 14:13,
 * ROUNDSS imm8 bits 1:0). */
#define FP_RC_NEAREST 0u /* to nearest, ties to even */
#define FP_RC_DOWN 1u    /* toward -infinity */
#define FP_RC_UP 2u      /* toward +infinity */
#define FP_RC_ZERO 3u    /* toward zero */

/* x87 precision control, the FCW bits 9:8 encoding. The reserved value 1
 * behaves as FP_PC_64. */
#define FP_PC_24 0u
#define FP_PC_53 2u
#define FP_PC_64 3u

/* x87 condition-code bits at their FSW positions. */
#define FP_C0 0x0100u
#define FP_C1 0x0200u
#define FP_C2 0x0400u
#define FP_C3 0x4000u

struct fp_env {
	uint8_t rc;    /* FP_RC_* */
	uint8_t pc;    /* FP_PC_*: significand of f80 add/sub/mul/div/sqrt */
	uint8_t masks; /* FP_X_* set = exception masked */
	uint8_t flags; /* FP_X_* accumulated; never cleared here */
	bool daz;      /* SSE: denormal inputs are zero (f32/f64 only) */
	bool ftz;      /* SSE: tiny results are zero when UE is masked */
	bool c1;       /* x87: set when a result was rounded up */
};

/* An environment from an MXCSR value, and back: the flags and the rest
 * of MXCSR (bits 31:16 are reserved and stay as they were). */
struct fp_env fp_env_from_mxcsr(uint32_t mxcsr);
uint32_t fp_env_to_mxcsr(const struct fp_env *env, uint32_t mxcsr);
/* An environment from an x87 control word (RC, PC and masks). */
struct fp_env fp_env_from_fcw(uint16_t fcw);

/* ---- Constants and classification ---- */

#define FP_F32_DEFAULT_NAN 0xffc00000u
#define FP_F64_DEFAULT_NAN 0xfff8000000000000ull
#define FP_F80_DEFAULT_NAN_SIGNIF 0xc000000000000000ull
#define FP_F80_DEFAULT_NAN_SE 0xffffu

enum fp_class {
	FP_CLASS_ZERO,
	FP_CLASS_DENORMAL,    /* includes f80 pseudo-denormals */
	FP_CLASS_NORMAL,
	FP_CLASS_INF,
	FP_CLASS_QNAN,
	FP_CLASS_SNAN,
	FP_CLASS_UNSUPPORTED, /* f80 pseudo-NaN, pseudo-infinity, unnormal */
};

/* The class of an encoding (no DAZ, no flags). */
enum fp_class fp_f32_class(uint32_t a);
enum fp_class fp_f64_class(uint64_t a);
enum fp_class fp_f80_class(struct f80 a);
/* An f80 from its fields; f80 equality of encodings. */
struct f80 fp_f80_make(bool sign, uint16_t exp, uint64_t signif);
bool fp_f80_same(struct f80 a, struct f80 b);
/* The f80 default QNaN (floating-point indefinite). */
struct f80 fp_f80_default_nan(void);

/* ---- Arithmetic (cpu/fp_arith.c) ----
 * a is the first source (SSE destination, x87 the left operand of the
 * SDM's "DEST <- DEST op SRC": for FSUBR pass the operands reversed),
 * b the second. SSE: the SNaN/QNaN rules are first-operand priority. */

uint32_t fp_f32_add(struct fp_env *env, uint32_t a, uint32_t b);
uint32_t fp_f32_sub(struct fp_env *env, uint32_t a, uint32_t b);
uint32_t fp_f32_mul(struct fp_env *env, uint32_t a, uint32_t b);
uint32_t fp_f32_div(struct fp_env *env, uint32_t a, uint32_t b);
uint32_t fp_f32_sqrt(struct fp_env *env, uint32_t a);

uint64_t fp_f64_add(struct fp_env *env, uint64_t a, uint64_t b);
uint64_t fp_f64_sub(struct fp_env *env, uint64_t a, uint64_t b);
uint64_t fp_f64_mul(struct fp_env *env, uint64_t a, uint64_t b);
uint64_t fp_f64_div(struct fp_env *env, uint64_t a, uint64_t b);
uint64_t fp_f64_sqrt(struct fp_env *env, uint64_t a);

/* x87 FADD/FSUB/FMUL/FDIV/FSQRT: rounded to env->pc bits. */
struct f80 fp_f80_add(struct fp_env *env, struct f80 a, struct f80 b);
struct f80 fp_f80_sub(struct fp_env *env, struct f80 a, struct f80 b);
struct f80 fp_f80_mul(struct fp_env *env, struct f80 a, struct f80 b);
struct f80 fp_f80_div(struct fp_env *env, struct f80 a, struct f80 b);
struct f80 fp_f80_sqrt(struct fp_env *env, struct f80 a);

/* ---- Conversions between formats (cpu/fp_convert.c) ---- */

/* CVTSS2SD, CVTSD2SS: SSE rules (DAZ, FTZ; a SNaN is quieted with IE). */
uint64_t fp_f32_to_f64(struct fp_env *env, uint32_t a);
uint32_t fp_f64_to_f32(struct fp_env *env, uint64_t a);
/* FLD m32fp / m64fp: exact; DE for a denormal, IE and quieting for a
 * SNaN. Unlike other operations, the value is loaded even when DE is
 * unmasked (the host does); with IE unmasked nothing is loaded. */
struct f80 fp_f32_to_f80(struct fp_env *env, uint32_t a);
struct f80 fp_f64_to_f80(struct fp_env *env, uint64_t a);
/* The memory operand of an x87 arithmetic instruction (FADD m32fp, FCOM
 * m64fp, ...): exact widening; a SNaN stays signalling so that the
 * operation itself raises IE and applies its NaN rules. A denormal sets
 * DE (and never stops: the caller decides), which counts only when the
 * register operand is not a NaN or an unsupported encoding: those
 * outrank it, and the host then reports no DE (SDM Vol. 1 4.9.2). */
struct f80 fp_f32_to_f80_operand(struct fp_env *env, uint32_t a);
struct f80 fp_f64_to_f80_operand(struct fp_env *env, uint64_t a);
/* FST/FSTP m32fp / m64fp: rounded with env->rc (precision control does
 * not apply); an unsupported f80 or a SNaN is invalid; no DE. With OE or
 * UE unmasked nothing is stored, and neither PE nor C1 is reported (the
 * host's behaviour). */
uint32_t fp_f80_to_f32(struct fp_env *env, struct f80 a);
uint64_t fp_f80_to_f64(struct fp_env *env, struct f80 a);

/* ---- Conversions with integers (cpu/fp_convert.c) ----
 * To integer: bits is 16, 32 or 64; the result is the bits-wide two's
 * complement pattern zero-extended to 64 bits. truncate selects rounding
 * toward zero (CVTT*, FISTTP) instead of env->rc. A NaN, infinity,
 * unsupported encoding or out-of-range value raises IE and gives the
 * integer indefinite 1 << (bits - 1); an inexact in-range result raises
 * PE. The f32/f64 forms apply DAZ (CVTSS2SI, CVTTSD2SI, CVTPS2DQ, ...). */
uint64_t fp_f32_to_int(struct fp_env *env, uint32_t a, unsigned bits,
		       bool truncate);
uint64_t fp_f64_to_int(struct fp_env *env, uint64_t a, unsigned bits,
		       bool truncate);
uint64_t fp_f80_to_int(struct fp_env *env, struct f80 a, unsigned bits,
		       bool truncate);
/* From a signed integer (sign-extend narrower sources): CVTSI2SS,
 * CVTSI2SD, CVTDQ2PS (rounded with env->rc, PE when inexact) and FILD
 * (always exact). */
uint32_t fp_int_to_f32(struct fp_env *env, int64_t v);
uint64_t fp_int_to_f64(struct fp_env *env, int64_t v);
struct f80 fp_int_to_f80(int64_t v);

/* FBLD: the 10-byte packed BCD operand (byte 9 bit 7 is the sign, 18
 * digits in bytes 8..0, low digit first) converted exactly. Invalid digit
 * nibbles are taken at their binary value (the SDM leaves them undefined). */
struct f80 fp_bcd_to_f80(const uint8_t bcd[10]);
/* FBSTP: rounded to an integer with env->rc (PE when inexact); a NaN,
 * infinity, unsupported encoding or |value| >= 10^18 raises IE and stores
 * the packed BCD indefinite (bytes 9..7 = FF FF C0, the rest 0). */
void fp_f80_to_bcd(struct fp_env *env, struct f80 a, uint8_t bcd[10]);

/* ---- Comparisons, MIN/MAX (cpu/fp_compare.c) ---- */

/* The relation of a to b. */
enum fp_rel {
	FP_REL_LT = 0,
	FP_REL_EQ = 1,
	FP_REL_GT = 2,
	FP_REL_UN = 3, /* unordered: at least one NaN */
};

/* Compare. signalling (COMISS, FCOM, FCOMI, FTST) raises IE for any NaN
 * operand; quiet (UCOMISS, FUCOM, FUCOMI) only for a SNaN. DE for a
 * denormal operand (f32/f64 unless DAZ). An unsupported f80 raises IE
 * and compares unordered. */
enum fp_rel fp_f32_compare(struct fp_env *env, uint32_t a, uint32_t b,
			   bool signalling);
enum fp_rel fp_f64_compare(struct fp_env *env, uint64_t a, uint64_t b,
			   bool signalling);
enum fp_rel fp_f80_compare(struct fp_env *env, struct f80 a, struct f80 b,
			   bool signalling);

/* CMPPS/CMPSS/CMPPD/CMPSD predicate pred (0-7 for SSE, 0-31 as VCMPPS
 * defines them for AVX): true when a pred b holds. IE as the predicate's
 * signalling or quiet kind says, DE for a denormal operand. */
bool fp_f32_cmp_pred(struct fp_env *env, uint32_t a, uint32_t b,
		     unsigned pred);
bool fp_f64_cmp_pred(struct fp_env *env, uint64_t a, uint64_t b,
		     unsigned pred);

/* MINSS/MAXSS/MINPS/...: a < b ? a : b (resp. a > b ? a : b), else b:
 * when either operand is a NaN (returned unchanged, no quieting) or both
 * are zeros, the second operand b is returned (SDM Vol. 2 MINPS). Any NaN
 * operand raises IE; DE for a denormal operand; DAZ applies to the
 * comparison and the chosen operand is returned as a zero under DAZ. */
uint32_t fp_f32_min(struct fp_env *env, uint32_t a, uint32_t b);
uint32_t fp_f32_max(struct fp_env *env, uint32_t a, uint32_t b);
uint64_t fp_f64_min(struct fp_env *env, uint64_t a, uint64_t b);
uint64_t fp_f64_max(struct fp_env *env, uint64_t a, uint64_t b);

/* ---- Rounding to integer and x87 specials (cpu/fp_x87.c) ---- */

/* ROUNDSS/ROUNDSD/ROUNDPS/ROUNDPD: round to an integral value with rc
 * (FP_RC_*); PE is suppressed when no_pe (imm8 bit 3). A SNaN raises IE
 * and is quieted. No DE (SDM Vol. 2 ROUNDSS); DAZ applies. */
uint32_t fp_f32_round_int(struct fp_env *env, uint32_t a, unsigned rc,
			  bool no_pe);
uint64_t fp_f64_round_int(struct fp_env *env, uint64_t a, unsigned rc,
			  bool no_pe);
/* FRNDINT: round to an integral value with env->rc; PE when inexact,
 * DE for a denormal. */
struct f80 fp_f80_round_int(struct fp_env *env, struct f80 a);

/* FPREM (ieee false: truncating quotient) and FPREM1 (ieee true: quotient
 * rounded to nearest even): the partial remainder of a / b. *cc receives
 * the FSW condition codes: C2 set when the reduction is incomplete (a is
 * to be reduced again), else C0, C3, C1 = quotient bits 2, 1, 0. */
struct f80 fp_f80_prem(struct fp_env *env, struct f80 a, struct f80 b,
		       bool ieee, uint16_t *cc);
/* FSCALE: a * 2^trunc(b). */
struct f80 fp_f80_scale(struct fp_env *env, struct f80 a, struct f80 b);
/* FXTRACT: returns the unbiased exponent of a as an f80 (the new ST(1))
 * and puts the significand with exponent 0 (same sign) in *signif (the
 * new ST(0)). Zero: ZE, exponent -infinity, significand the zero. */
struct f80 fp_f80_xtract(struct fp_env *env, struct f80 a,
			 struct f80 *signif);
/* FABS, FCHS: sign bit only, no exceptions, even for NaNs. */
struct f80 fp_f80_abs(struct f80 a);
struct f80 fp_f80_chs(struct f80 a);
/* FXAM: the FSW condition codes (C3, C2, C1 = sign, C0) for a; empty
 * says the register is tagged empty. */
uint16_t fp_f80_xam(struct f80 a, bool empty);

/* FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2: the constant rounded with
 * env->rc to 64 bits (SDM Vol. 1 8.3.8); no exception flags. */
enum fp_const {
	FP_CONST_L2T, /* log2(10) */
	FP_CONST_L2E, /* log2(e) */
	FP_CONST_PI,
	FP_CONST_LG2, /* log10(2) */
	FP_CONST_LN2, /* ln(2) */
};
struct f80 fp_f80_const(struct fp_env *env, enum fp_const k);

/* ---- Transcendental functions (cpu/fp_trans.c) ----
 * Computed with 128-bit significands and rounded once with env->rc to 64
 * bits (precision control does not apply): correctly rounded except in
 * rare cases within about 2^-120 of a rounding boundary. Hardware is
 * only accurate to about one ulp, so results and C1 can differ from a
 * real CPU's in the last bit (see tests/unit/test_fp_trans.c). */

/* F2XM1: 2^a - 1, for -1 <= a <= 1. PE is raised even for the exact
 * results of +-1; outside [-1, 1] (undefined in the SDM) a comes back
 * unchanged with PE, as on the host. */
struct f80 fp_f80_f2xm1(struct fp_env *env, struct f80 a);
/* FYL2X: b * log2(a) (a = ST(0), b = ST(1)); a < 0 is invalid, a = 0
 * with finite nonzero b raises ZE. PE is raised for every finite nonzero
 * result, even an exact one (log2 of a power of two), as on the host. */
struct f80 fp_f80_fyl2x(struct fp_env *env, struct f80 a, struct f80 b);
/* FYL2XP1: b * log2(a + 1) (a = ST(0), b = ST(1)). Computed for any
 * a > -1 (the SDM defines |a| < 1 - sqrt(2)/2 only); for a <= -1 the
 * host's rule: a zero b gives a zero, an infinite b an infinity, else a
 * comes back unchanged with PE; a = -infinity is invalid. */
struct f80 fp_f80_fyl2xp1(struct fp_env *env, struct f80 a, struct f80 b);
/* FSIN, FCOS, FSINCOS, FPTAN: when |a| >= 2^63 the functions return false
 * (the caller sets C2 = 1 and leaves the operand unchanged), else true.
 * The argument is reduced with the x87's 66-bit pi (SDM Vol. 1 8.3.8).
 * FSINCOS gives sin in *s and cos in *c (C1 tells the sine's rounding,
 * as the host does); FPTAN gives tan, after which
 * the x87 pushes 1.0, or the result itself when that is a NaN (a NaN or
 * infinite operand with IE masked: the host does so). */
bool fp_f80_sin(struct fp_env *env, struct f80 a, struct f80 *r);
bool fp_f80_cos(struct fp_env *env, struct f80 a, struct f80 *r);
bool fp_f80_sincos(struct fp_env *env, struct f80 a, struct f80 *s,
		   struct f80 *c);
bool fp_f80_tan(struct fp_env *env, struct f80 a, struct f80 *r);
/* FPATAN: arctan(b / a) with the quadrant of (a, b) (a = ST(0) is x,
 * b = ST(1) is y), as atan2(y, x). */
struct f80 fp_f80_atan(struct fp_env *env, struct f80 a, struct f80 b);

#endif
