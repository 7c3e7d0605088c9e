/* Lazy arithmetic flags. An instruction records its result and carry
 * vector; a flag is computed only when something reads it. The layout of
 * struct lazy_flags is described in cpu/state.h. */
#ifndef CPU_FLAGS_H
#define CPU_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/state.h"

/* Flag helpers sit on every instruction's path: always inline them. */
#define FLAGS_INLINE static inline __attribute__((always_inline))

#define FLAG_CF (1u << 0)
#define FLAG_PF (1u << 2)
#define FLAG_AF (1u << 4)
#define FLAG_ZF (1u << 6)
#define FLAG_SF (1u << 7)
#define FLAG_TF (1u << 8)
#define FLAG_IF (1u << 9)
#define FLAG_DF (1u << 10)
#define FLAG_OF (1u << 11)
#define FLAG_IOPL (3u << 12)
#define FLAG_NT (1u << 14)
#define FLAG_RF (1u << 16)
#define FLAG_VM (1u << 17)
#define FLAG_AC (1u << 18)
#define FLAG_VIF (1u << 19)
#define FLAG_VIP (1u << 20)
#define FLAG_ID (1u << 21)
#define FLAGS_ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

#define LF_SD 0
#define LF_AF 3
#define LF_PDB 8
#define LF_PO 30
#define LF_CF 31

FLAGS_INLINE uint64_t lf_sext(uint64_t v, unsigned bits)
{
	unsigned sh = 64 - bits;
	return (uint64_t)((int64_t)(v << sh) >> sh);
}

/* Records an arithmetic result: carries is the carry (or borrow) out of
 * every bit position, from which CF, OF and AF follow. */
FLAGS_INLINE void lf_arith(struct cpu *c, unsigned bits, uint64_t carries,
			    uint64_t res)
{
	c->lf.res = lf_sext(res, bits);
	c->lf.aux = (carries & (1u << LF_AF)) |
		    (((carries >> (bits - 2)) & 3) << LF_PO);
}

/* Carry vectors (bit i = carry out of bit i) for a + b (+ cin) = r and
 * borrow vectors for a - b (- bin) = r. */
FLAGS_INLINE uint64_t lf_add_carries(uint64_t a, uint64_t b, uint64_t r)
{
	return (a & b) | ((a | b) & ~r);
}

FLAGS_INLINE uint64_t lf_sub_carries(uint64_t a, uint64_t b, uint64_t r)
{
	return (~a & b) | (~(a ^ b) & r);
}

/* Logical result: CF = OF = AF = 0. */
FLAGS_INLINE void lf_logic(struct cpu *c, unsigned bits, uint64_t res)
{
	c->lf.res = lf_sext(res, bits);
	c->lf.aux = 0;
}

FLAGS_INLINE bool flag_cf(const struct cpu *c)
{
	return (c->lf.aux >> LF_CF) & 1;
}

FLAGS_INLINE bool flag_of(const struct cpu *c)
{
	return ((c->lf.aux >> LF_CF) ^ (c->lf.aux >> LF_PO)) & 1;
}

FLAGS_INLINE bool flag_af(const struct cpu *c)
{
	return (c->lf.aux >> LF_AF) & 1;
}

FLAGS_INLINE bool flag_zf(const struct cpu *c)
{
	return c->lf.res == 0;
}

FLAGS_INLINE bool flag_sf(const struct cpu *c)
{
	return ((c->lf.res >> 63) ^ (c->lf.aux >> LF_SD)) & 1;
}

FLAGS_INLINE bool flag_pf(const struct cpu *c)
{
	unsigned b = (unsigned)(c->lf.res ^ (c->lf.aux >> LF_PDB)) & 0xff;
	return !__builtin_parity(b);
}

/* The six arithmetic flags in their RFLAGS positions. */
FLAGS_INLINE uint64_t flags_arith(const struct cpu *c)
{
	return (flag_cf(c) ? FLAG_CF : 0) | (flag_pf(c) ? FLAG_PF : 0) |
	       (flag_af(c) ? FLAG_AF : 0) | (flag_zf(c) ? FLAG_ZF : 0) |
	       (flag_sf(c) ? FLAG_SF : 0) | (flag_of(c) ? FLAG_OF : 0);
}

/* Sets the arithmetic flags from RFLAGS-positioned bits. */
FLAGS_INLINE void flags_set_arith(struct cpu *c, uint64_t f)
{
	bool cf = f & FLAG_CF, of = f & FLAG_OF, zf = f & FLAG_ZF;
	bool sf = f & FLAG_SF, pf = f & FLAG_PF, af = f & FLAG_AF;
	/* res = 0 gives ZF = 1 with even parity; res = 1 gives ZF = 0 with
	 * odd parity. The deltas correct SF and PF. */
	uint64_t res = zf ? 0 : 1;
	uint64_t pdb = (zf ? !pf : pf) ? 1 : 0;
	c->lf.res = res;
	c->lf.aux = ((uint64_t)sf << LF_SD) | ((uint64_t)af << LF_AF) |
		    (pdb << LF_PDB) | ((uint64_t)(cf ^ of) << LF_PO) |
		    ((uint64_t)cf << LF_CF);
}

/* Replaces CF and OF, keeping SF, ZF, AF and PF (rotates, INC/DEC keep
 * CF through flags_set_cf). */
FLAGS_INLINE void flags_set_cf_of(struct cpu *c, bool cf, bool of)
{
	c->lf.aux = (c->lf.aux & ~((1ull << LF_CF) | (1ull << LF_PO))) |
		    ((uint64_t)cf << LF_CF) | ((uint64_t)(cf ^ of) << LF_PO);
}

FLAGS_INLINE void flags_set_cf(struct cpu *c, bool cf)
{
	flags_set_cf_of(c, cf, flag_of(c));
}

/* The full RFLAGS value. */
FLAGS_INLINE uint64_t flags_read(const struct cpu *c)
{
	return (c->rflags & ~(uint64_t)FLAGS_ARITH) | flags_arith(c) | 2;
}

/* Writes RFLAGS bits selected by mask; bit 1 stays 1 and the reserved
 * bits stay 0. Callers apply the privilege rules (POPF, IRET) first. */
FLAGS_INLINE void flags_write(struct cpu *c, uint64_t val, uint64_t mask)
{
	uint64_t cur = flags_read(c);
	uint64_t f = ((cur & ~mask) | (val & mask)) & 0x3f7fd5u;
	flags_set_arith(c, f);
	c->rflags = (f & ~(uint64_t)FLAGS_ARITH) | 2;
}

/* Condition codes 0..15 as encoded in Jcc, SETcc and CMOVcc. */
FLAGS_INLINE bool flags_cond(const struct cpu *c, unsigned cc)
{
	bool r;
	switch (cc >> 1) {
	case 0: r = flag_of(c); break;
	case 1: r = flag_cf(c); break;
	case 2: r = flag_zf(c); break;
	case 3: r = flag_cf(c) || flag_zf(c); break;
	case 4: r = flag_sf(c); break;
	case 5: r = flag_pf(c); break;
	case 6: r = flag_sf(c) != flag_of(c); break;
	default: r = flag_zf(c) || (flag_sf(c) != flag_of(c)); break;
	}
	return r ^ (cc & 1);
}

#endif
