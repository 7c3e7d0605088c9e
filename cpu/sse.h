/* Operand access and the common checks of the MMX and SSE handlers
 * (cpu/sse_*.c). Private to them.
 *
 * A vector operation works on union vreg values and a width in bytes:
 * 8 for an MMX register, 16 for an XMM register. VEX and EVEX forms will
 * pass 32 or 64 and a third register; operations that the SDM defines
 * per 128-bit lane loop over lanes, so they grow with the width. MMX
 * registers are the significands of the x87 registers (SDM Vol. 1 9.5):
 * handlers copy them into a union vreg and back. */
#ifndef CPU_SSE_H
#define CPU_SSE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/fp.h"
#include "cpu/regs.h"

#define MMX_BYTES 8
#define XMM_BYTES 16

/* x87 status word bits that MMX instructions look at or change. */
#define FSW_ES (1u << 7)
#define FSW_TOP (7u << 11)

/* MXCSR (SDM Vol. 1 10.2.3). */
#define MXCSR_IE (1u << 0)
#define MXCSR_DE (1u << 1)
#define MXCSR_ZE (1u << 2)
#define MXCSR_OE (1u << 3)
#define MXCSR_UE (1u << 4)
#define MXCSR_PE (1u << 5)
#define MXCSR_DAZ (1u << 6)
#define MXCSR_MASK_SHIFT 7
#define MXCSR_RC_SHIFT 13
#define MXCSR_FTZ (1u << 15)

/* The faults that make an instruction unavailable (cold paths in
 * cpu/sse.c). SSE: #UD if CR0.EM = 1 or CR4.OSFXSR = 0, #NM if CR0.TS = 1
 * (SDM Vol. 3A 13.1.3, Vol. 2A 2.4 exception types). MMX: #UD if
 * CR0.EM = 1, #NM if CR0.TS = 1, #MF if an unmasked x87 exception is
 * pending (SDM Vol. 3A 12.x tables of Vol. 2A 2.5 "exceptions for MMX"). */
_Noreturn void sse_unavailable(struct cpu *c, const struct insn *i);
_Noreturn void mmx_unavailable(struct cpu *c, const struct insn *i);
_Noreturn void sse_misaligned(struct cpu *c, const struct insn *i,
			      uint64_t la, unsigned bytes);

static inline void sse_enter(struct cpu *c, const struct insn *i)
{
	if (__builtin_expect(((c->cr0 & (CR0_EM | CR0_TS)) |
			      (~c->cr4 & CR4_OSFXSR)) != 0, 0))
		sse_unavailable(c, i);
}

static inline void mmx_enter(struct cpu *c, const struct insn *i)
{
	if (__builtin_expect((c->cr0 & (CR0_EM | CR0_TS)) ||
			     (c->x87.fsw & FSW_ES), 0))
		mmx_unavailable(c, i);
}

/* SSE instructions with an MMX operand (CVTPI2PS, MOVQ2DQ...): both sets
 * of rules, the SSE ones first. */
static inline void sse_mmx_enter(struct cpu *c, const struct insn *i)
{
	sse_enter(c, i);
	mmx_enter(c, i);
}

/* The x87-to-MMX transition of a completed MMX instruction: TOP = 0 and
 * every tag valid (SDM Vol. 1 9.5.1). */
static inline void mmx_commit(struct cpu *c)
{
	c->x87.fsw &= (uint16_t)~FSW_TOP;
	c->x87.ftw = 0;
}

static inline uint64_t mmx_get(const struct cpu *c, unsigned r)
{
	return c->x87.r[r & 7].signif;
}

/* Writing an MMX register sets its exponent and sign bits to all ones
 * (SDM Vol. 1 9.5.2). */
static inline void mmx_put(struct cpu *c, unsigned r, uint64_t v)
{
	c->x87.r[r & 7].signif = v;
	c->x87.r[r & 7].sign_exp = 0xffff;
}

/* ---- Memory operands. */

/* Alignment checking (CR0.AM, EFLAGS.AC, CPL 3). The 16-byte forms that
 * allow any alignment raise #AC(0) when their operand is not 16-byte
 * aligned, as the host CPU of tests/diff/sse_diff.c does (AMD APM Vol. 4
 * gives #AC for them; the SDM's exception type 4 is silent on it); the
 * 8-byte and smaller accesses are checked by cpu/mem.c as for any data
 * access. */
static inline bool sse_ac_on(const struct cpu *c)
{
	return c->cpl == 3 && (c->cr0 & CR0_AM) && (c->rflags & FLAG_AC);
}

/* Exact byte-wise write of n bytes at seg:ea: it checks its first and
 * last byte (both pages, the segment limit) before any byte moves. */
void sse_write_slow(struct cpu *c, int seg, uint64_t ea, const void *buf,
		    unsigned n);
_Noreturn void sse_unaligned_ac(struct cpu *c, const struct insn *i,
				uint64_t la, unsigned bytes);

/* The linear address of the memory operand at ea, for alignment. */
static inline uint64_t sse_linear(const struct cpu *c, const struct insn *i,
				  uint64_t ea)
{
	if (cpu_code_size(c) != 8 || i->seg >= SEG_FS)
		ea += c->seg[i->seg].base;
	return ea;
}

/* The alignment rules of a 16-byte operand: #GP(0) unless aligned for
 * the aligned forms (SDM Vol. 2A 2.4, exception types 1, 2 and 4), #AC(0)
 * when misaligned under alignment checking for the others. */
static inline void sse_check_align(struct cpu *c, const struct insn *i,
				   uint64_t ea, unsigned bytes, bool align)
{
	uint64_t la = sse_linear(c, i, ea);
	if (__builtin_expect(la & (bytes - 1), 0)) {
		if (align)
			sse_misaligned(c, i, la, bytes);
		if (sse_ac_on(c))
			sse_unaligned_ac(c, i, la, bytes);
	}
}

/* Reads a memory operand of n bytes (1, 2, 4, 8 or 16) into t; the
 * aligned forms pass align = true. Bytes of t above n are left as
 * they were. */
static inline void vmem_read(struct cpu *c, const struct insn *i,
			     uint64_t ea, union vreg *t, unsigned n,
			     bool align)
{
	if (n < 16) {
		uint64_t v = memf_read(c, i->seg, ea, n);
		memcpy(t->b, &v, n);
		return;
	}
	sse_check_align(c, i, ea, n, align);
	t->q[0] = memf_read(c, i->seg, ea, 8);
	t->q[1] = memf_read(c, i->seg, ea + 8, 8);
}

/* Writes n bytes (1, 2, 4, 8 or 16) of v to the memory operand. A
 * 16-byte store checks both halves before it writes either. */
static inline void vmem_write(struct cpu *c, const struct insn *i,
			      uint64_t ea, const union vreg *v, unsigned n,
			      bool align)
{
	if (n < 16) {
		uint64_t x = 0;
		memcpy(&x, v->b, n);
		memf_write(c, i->seg, ea, n, x);
		return;
	}
	sse_check_align(c, i, ea, n, align);
	uint64_t la;
	if (__builtin_expect(memf_linear(c, i->seg, ea, n, MEMF_WRITE_TYPES,
					 &la) &&
			     (la & 0xfff) <= 0x1000 - n, 1)) {
		/* One page, segment checks passed: the halves fault alike. */
		memf_write(c, i->seg, ea, 8, v->q[0]);
		memf_write(c, i->seg, ea + 8, 8, v->q[1]);
		return;
	}
	sse_write_slow(c, i->seg, ea, v->b, n);
}

/* ---- SIMD floating-point exceptions (SDM Vol. 1 11.5.2). An operation
 * collects the flags of all its elements apart: pre-computation ones (IE,
 * DE, ZE) and post-computation ones (OE, UE, PE). When any element has an
 * unmasked pre-computation exception, only the pre-computation flags are
 * recorded; otherwise all are. Any unmasked flag then raises #XM (or #UD
 * with CR4.OSXMMEXCPT = 0) before the destination is written. */
struct sse_fp {
	struct fp_env env;
	unsigned pre, post;
};

static inline void sse_fp_begin(const struct cpu *c, struct sse_fp *f)
{
	f->env = fp_env_from_mxcsr(c->mxcsr);
	f->env.flags = 0; /* only this operation's flags */
	f->pre = f->post = 0;
}

/* After each element's operation. */
static inline void sse_fp_fold(struct sse_fp *f)
{
	f->pre |= f->env.flags & (FP_X_IE | FP_X_DE | FP_X_ZE);
	f->post |= f->env.flags & (FP_X_OE | FP_X_UE | FP_X_PE);
	f->env.flags = 0;
}

_Noreturn void sse_fp_raise(struct cpu *c, const struct insn *i,
			    unsigned unmasked);

/* Records the flags in MXCSR; raises the exception if one is unmasked. */
static inline void sse_fp_end(struct cpu *c, const struct insn *i,
			      const struct sse_fp *f)
{
	unsigned masks = (c->mxcsr >> MXCSR_MASK_SHIFT) & FP_X_ALL;
	unsigned flags = f->pre & ~masks ? f->pre : f->pre | f->post;
	c->mxcsr |= flags;
	if (__builtin_expect(flags & ~masks, 0))
		sse_fp_raise(c, i, flags & ~masks);
}

/* ---- Operand fetch for the common shapes. */

/* The source (ModRM r/m) of an XMM form: the register, or memory read
 * into *t (n bytes, aligned or not). */
static inline const union vreg *xmm_src(struct cpu *c, const struct insn *i,
					bool mem, union vreg *t, unsigned n,
					bool align)
{
	if (!mem)
		return &c->v[i->rm];
	vmem_read(c, i, insn_ea(c, i), t, n, align);
	return t;
}

/* The source of an MMX form: the register or 8 bytes of memory. */
static inline uint64_t mmx_src(struct cpu *c, const struct insn *i, bool mem)
{
	return mem ? memf_read(c, i->seg, insn_ea(c, i), 8) : mmx_get(c, i->rm);
}

/* An operation on a destination and a source vector of `bytes` bytes,
 * with the instruction's imm8 (ignored by most). d and s may be the
 * same register. */
typedef void vec_op(union vreg *d, const union vreg *s, unsigned bytes,
		    unsigned imm);

/* Pq, Qq: dest op= source on MMX registers. */
static inline __attribute__((always_inline)) void
mmx_op(struct cpu *c, const struct insn *i, bool mem, vec_op *op)
{
	union vreg d, s;
	mmx_enter(c, i);
	s.q[0] = mmx_src(c, i, mem);
	d.q[0] = mmx_get(c, i->reg);
	op(&d, &s, MMX_BYTES, (unsigned)i->imm);
	mmx_put(c, i->reg, d.q[0]);
	mmx_commit(c);
}

/* Vx, Wx: dest op= source on XMM registers; a 16-byte memory source
 * must be aligned unless the form says otherwise. */
static inline __attribute__((always_inline)) void
xmm_op(struct cpu *c, const struct insn *i, bool mem, vec_op *op,
       unsigned n, bool align)
{
	union vreg t;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, n, align);
	op(&c->v[i->reg], s, XMM_BYTES, (unsigned)i->imm);
}

/* ---- Handler tables. The decoder uses size rule Y for these forms
 * (cpu/decode_maps.c): rows 2 (32-bit) and 3 (64-bit, REX.W). */

#define SSE_IMPL(id, fr, fm)                                               \
	const struct insn_impl impl_##id = { { { 0, 0 }, { 0, 0 },         \
					       { fr, fm }, { fr, fm } } };
/* gen(c, i, mem, ...) for a register and a memory operand. */
#define SSE_FORM(id, gen, ...)                                             \
	static void id##_r(struct cpu *c, const struct insn *i)            \
	{                                                                  \
		gen(c, i, false, ##__VA_ARGS__);                           \
	}                                                                  \
	static void id##_m(struct cpu *c, const struct insn *i)            \
	{                                                                  \
		gen(c, i, true, ##__VA_ARGS__);                            \
	}                                                                  \
	SSE_IMPL(id, id##_r, id##_m)
/* Register-only (U, N) and memory-only (M) forms. */
#define SSE_FORM_R(id, gen, ...)                                           \
	static void id##_r(struct cpu *c, const struct insn *i)            \
	{                                                                  \
		gen(c, i, false, ##__VA_ARGS__);                           \
	}                                                                  \
	SSE_IMPL(id, id##_r, 0)
#define SSE_FORM_M(id, gen, ...)                                           \
	static void id##_m(struct cpu *c, const struct insn *i)            \
	{                                                                  \
		gen(c, i, true, ##__VA_ARGS__);                            \
	}                                                                  \
	SSE_IMPL(id, 0, id##_m)
/* Forms where REX.W picks a 64-bit GPR operand (Ey, Gy): gen(c, i, mem,
 * size, ...) with size 4 or 8. */
#define SSE_FORM_Y(id, gen, ...)                                           \
	static void id##_4r(struct cpu *c, const struct insn *i)           \
	{                                                                  \
		gen(c, i, false, 4, ##__VA_ARGS__);                        \
	}                                                                  \
	static void id##_4m(struct cpu *c, const struct insn *i)           \
	{                                                                  \
		gen(c, i, true, 4, ##__VA_ARGS__);                         \
	}                                                                  \
	static void id##_8r(struct cpu *c, const struct insn *i)           \
	{                                                                  \
		gen(c, i, false, 8, ##__VA_ARGS__);                        \
	}                                                                  \
	static void id##_8m(struct cpu *c, const struct insn *i)           \
	{                                                                  \
		gen(c, i, true, 8, ##__VA_ARGS__);                         \
	}                                                                  \
	const struct insn_impl impl_##id = { { { 0, 0 }, { 0, 0 },         \
		{ id##_4r, id##_4m }, { id##_8r, id##_8m } } };

/* The MMX (Pq, Qq) and SSE (Vx, Wx, aligned) forms of one operation. */
#define VEC_FORMS(name, op)                                                \
	SSE_FORM(name##_PqQq, mmx_op, op)                                  \
	SSE_FORM(name##_VxWx, xmm_op, op, XMM_BYTES, true)
#define XMM_FORM(id, op) SSE_FORM(id, xmm_op, op, XMM_BYTES, true)

/* ---- Element helpers. */

static inline int8_t sat_s8(int32_t v)
{
	return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
}

static inline uint8_t sat_u8(int32_t v)
{
	return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
}

static inline int16_t sat_s16(int32_t v)
{
	return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

static inline uint16_t sat_u16(int32_t v)
{
	return (uint16_t)(v > 65535 ? 65535 : v < 0 ? 0 : v);
}

/* Element-wise operation over elements of type T: r = expr(a, b) with a
 * from the destination, b from the source. */
#define VEC_MAP(name, T, expr)                                             \
	static inline void name(union vreg *d, const union vreg *s,        \
				unsigned bytes, unsigned imm)              \
	{                                                                  \
		(void)imm;                                                 \
		T *dp = (T *)d->b;                                         \
		const T *sp = (const T *)s->b;                             \
		for (unsigned k = 0; k < bytes / sizeof(T); k++) {         \
			T a = dp[k], b = sp[k];                            \
			(void)a;                                           \
			dp[k] = (T)(expr);                                 \
		}                                                          \
	}

#endif
