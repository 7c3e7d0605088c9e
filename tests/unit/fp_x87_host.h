/* Running one x87 instruction on the host for the f80 tests: FNINIT, load
 * the operands (ST(0) = a, ST(1) = b), FLDCW with the case's control
 * word, the instruction, then FNSTSW and FNSAVE, which do not wait, so
 * an unmasked exception is recorded (ES) without trapping. Each form is
 * a host function made by X87_HOST and a library model that says what
 * the instruction leaves on the stack, in memory and in FSW;
 * x87_run_both runs a case both ways and x87_report prints one where
 * they disagree. */
#ifndef TESTS_UNIT_FP_X87_HOST_H
#define TESTS_UNIT_FP_X87_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cpu/fp.h"
#include "tests/unit/fp_host.h"

struct x87_run {
	struct f80 a, b;  /* ST(0), ST(1) before (as many as loaded) */
	uint64_t mem;     /* memory operand, in and out */
	uint8_t bcd[10];  /* FBLD/FBSTP operand */
	uint16_t cw;
	/* host outputs */
	uint16_t sw;
	uint8_t ah;       /* LAHF after FCOMI */
	uint8_t save[108];
};

/* Operands loaded before the instruction. */
#define X87_LD0 ""
#define X87_LD1 "fldt %[a]\n\t"
#define X87_LD2 "fldt %[b]\n\tfldt %[a]\n\t"

#define X87_HOST(name, ld, insn)                                            \
	static void x_##name(struct x87_run *r)                             \
	{                                                                   \
		__asm__ volatile("fninit\n\t" ld "fldcw %[cw]\n\t" insn     \
				 "\n\tlahf\n\tmov %%ah, %[ah]\n\t"          \
				 "fnstsw %[sw]\n\tfnsave %[save]"           \
				 : [sw] "=m"(r->sw), [save] "=m"(r->save),  \
				   [mem] "+m"(r->mem), [bcd] "+m"(r->bcd),  \
				   [ah] "=m"(r->ah)                         \
				 : [a] "m"(r->a), [b] "m"(r->b),            \
				   [cw] "m"(r->cw)                          \
				 : "rax", "cc", "memory");                  \
	}

/* Register ST(i) from an FNSAVE image (32-bit protected-mode layout,
 * SDM Vol. 1 figure 8-9). */
static inline struct f80 x87_saved_st(const struct x87_run *r, unsigned i)
{
	struct f80 v;
	memcpy(&v.signif, r->save + 28 + 10 * i, 8);
	memcpy(&v.sign_exp, r->save + 36 + 10 * i, 2);
	return v;
}

/* What the library says an instruction does. */
struct x87_expect {
	unsigned depth;     /* registers in use after it */
	struct f80 st[2];   /* ST(0), ST(1) (up to depth) */
	uint64_t mem;
	uint8_t bcd[10];
	uint16_t cc;        /* C0-C3 at FSW positions */
	bool cmp_ah;        /* check EFLAGS (FCOMI) */
	uint8_t ah;
	bool cc_undefined;  /* the SDM leaves C0, C2, C3 undefined */
};

typedef void x87_lib_fn(struct fp_env *e, const struct x87_run *in,
			struct x87_expect *out);

struct x87_form {
	const char *name;
	void (*host)(struct x87_run *r);
	x87_lib_fn *lib;
	unsigned loads;     /* 0, 1 or 2 registers loaded */
	unsigned kind;      /* operand generator, see the test */
};

/* True when a pre-computation exception is unmasked: the destination
 * keeps its value (SDM Vol. 1 8.5). */
static inline bool x87_pre_trap(const struct fp_env *e)
{
	return (e->flags & ~e->masks & (FP_X_IE | FP_X_DE | FP_X_ZE)) != 0;
}

/* A memory destination is also left alone on unmasked OE and UE. */
static inline bool x87_store_trap(const struct fp_env *e)
{
	return (e->flags & ~e->masks & (FP_X_IE | FP_X_DE | FP_X_ZE | FP_X_OE
					 | FP_X_UE)) != 0;
}

static inline uint16_t x87_c1(const struct fp_env *e)
{
	return e->c1 ? FP_C1 : 0;
}

/* A one-operand instruction that replaces ST(0) with r, or keeps it when
 * a pre-computation exception is unmasked; C1 as rounding left it. */
static inline void x87_expect_st0(struct fp_env *e, const struct x87_run *in,
				  struct x87_expect *o, struct f80 r)
{
	o->depth = 1;
	o->st[0] = x87_pre_trap(e) ? in->a : r;
	o->cc = x87_c1(e);
	o->cc_undefined = true;
}

/* Every rounding and precision control, masks mostly all set. */
static inline uint16_t x87_random_cw(void)
{
	return (uint16_t)(0x40 | fpt_masks() | fpt_below(4) << 8
			  | fpt_below(4) << 10);
}

/* One case as both sides ran it: the input, the library's environment
 * and expectation, and the status word that makes. */
struct x87_check {
	struct x87_run in;
	struct fp_env e;
	struct x87_expect x;
	bool es;            /* an unmasked exception: ES and B set */
	uint16_t lsw;       /* FSW by the library */
	uint16_t mask;      /* the FSW bits compared */
};

/* Runs form f on the host (r in, the host's outputs out) and in the
 * library (into c). */
static inline void x87_run_both(const struct x87_form *f, struct x87_run *r,
				struct x87_check *c)
{
	c->in = *r;
	f->host(r);
	c->e = fp_env_from_fcw(c->in.cw);
	memset(&c->x, 0, sizeof c->x);
	c->x.mem = c->in.mem;
	memcpy(c->x.bcd, c->in.bcd, 10);
	f->lib(&c->e, &c->in, &c->x);
	c->es = (c->e.flags & ~c->e.masks & FP_X_ALL) != 0;
	c->lsw = (uint16_t)(c->e.flags | (c->es ? 0x8080 : 0) | c->x.cc
			    | ((8 - c->x.depth) & 7) << 11);
	c->mask = c->x.cc_undefined ? (uint16_t)~(FP_C0 | FP_C2 | FP_C3)
		: 0xffff;
}

static inline void x87_print_f80(const char *tag, struct f80 v)
{
	printf(" %s=%04x:%016llx", tag, v.sign_exp,
	       (unsigned long long)v.signif);
}

/* Prints a case where the host (r) and the library (c) disagree. */
static inline void x87_report(const struct x87_form *f,
			      const struct x87_run *r,
			      const struct x87_check *c)
{
	const struct x87_run *in = &c->in;
	printf("  %s cw=%04x (%s pc=%u masks=%02x)", f->name, in->cw,
	       fpt_rc_name[(in->cw >> 10) & 3], (in->cw >> 8) & 3,
	       in->cw & 0x3f);
	if (f->loads >= 1)
		x87_print_f80("a", in->a);
	if (f->loads >= 2)
		x87_print_f80("b", in->b);
	printf(" mem=%016llx\n   host sw=%04x", (unsigned long long)in->mem,
	       r->sw);
	for (unsigned i = 0; i < c->x.depth && i < 2; i++)
		x87_print_f80(i ? "st1" : "st0", x87_saved_st(r, i));
	printf(" ah=%02x mem=%016llx\n   lib  sw=%04x", r->ah,
	       (unsigned long long)r->mem, c->lsw);
	for (unsigned i = 0; i < c->x.depth && i < 2; i++)
		x87_print_f80(i ? "st1" : "st0", c->x.st[i]);
	printf(" ah=%02x mem=%016llx\n", c->x.ah,
	       (unsigned long long)c->x.mem);
}

#endif
