/* Inserting and extracting elements: PINSRB/W/D/Q, PEXTRB/W/D/Q,
 * EXTRACTPS and INSERTPS (SDM Vol. 2A/2B). A GPR destination is written
 * zero-extended (32 bits, or 64 with REX.W, the same value); a memory
 * destination takes the element's own size. */
#include "cpu/sse.h"

/* PINSRW mm, r32/m16, imm8. */
static inline __attribute__((always_inline)) void
pinsrw_mmx(struct cpu *c, const struct insn *i, bool mem)
{
	mmx_enter(c, i);
	uint64_t v = mem ? memf_read(c, i->seg, insn_ea(c, i), 2) :
			   c->gpr[i->rm] & 0xffff;
	unsigned sh = 16 * (i->imm & 3);
	uint64_t m = mmx_get(c, i->reg);
	mmx_put(c, i->reg, (m & ~(0xffffull << sh)) | v << sh);
	mmx_commit(c);
}

SSE_FORM(PINSRW_PqEwIb, pinsrw_mmx)

/* PINSRB / PINSRW / PINSRD / PINSRQ xmm, r/m, imm8: esize bytes into
 * element imm8 (modulo the element count). */
static inline __attribute__((always_inline)) void
pinsr(struct cpu *c, const struct insn *i, bool mem, unsigned esize)
{
	sse_enter(c, i);
	uint64_t v = mem ? memf_read(c, i->seg, insn_ea(c, i), esize) :
			   c->gpr[i->rm];
	unsigned k = (unsigned)i->imm & (XMM_BYTES / esize - 1);
	memcpy(c->v[i->reg].b + k * esize, &v, esize);
}

static inline __attribute__((always_inline)) void
pinsr_y(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	pinsr(c, i, mem, size);
}

SSE_FORM(PINSRW_VdqEwIb, pinsr, 2)
SSE_FORM(PINSRB_VdqEbIb, pinsr, 1)
SSE_FORM_Y(PINSRD_VdqEyIb, pinsr_y)

/* PEXTRW r32, mm, imm8. */
static void pextrw_mmx(struct cpu *c, const struct insn *i)
{
	mmx_enter(c, i);
	c->gpr[i->reg] = (mmx_get(c, i->rm) >> (16 * (i->imm & 3))) & 0xffff;
	mmx_commit(c);
}

SSE_IMPL(PEXTRW_GdNqIb, pextrw_mmx, 0)

/* PEXTRW r32, xmm, imm8 (0F C5: GPR in ModRM.reg). */
static void pextrw_xmm(struct cpu *c, const struct insn *i)
{
	sse_enter(c, i);
	c->gpr[i->reg] = c->v[i->rm].w[i->imm & 7];
}

SSE_IMPL(PEXTRW_GdUdqIb, pextrw_xmm, 0)

/* PEXTRB / PEXTRW / PEXTRD / PEXTRQ / EXTRACTPS r/m, xmm, imm8 (0F 3A:
 * the XMM register in ModRM.reg). */
static inline __attribute__((always_inline)) void
pextr(struct cpu *c, const struct insn *i, bool mem, unsigned esize)
{
	sse_enter(c, i);
	unsigned k = (unsigned)i->imm & (XMM_BYTES / esize - 1);
	uint64_t v = 0;
	memcpy(&v, c->v[i->reg].b + k * esize, esize);
	if (mem)
		memf_write(c, i->seg, insn_ea(c, i), esize, v);
	else
		c->gpr[i->rm] = v;
}

static inline __attribute__((always_inline)) void
pextr_y(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	pextr(c, i, mem, size);
}

SSE_FORM(PEXTRB_EbVdqIb, pextr, 1)
SSE_FORM(PEXTRW_EwVdqIb, pextr, 2)
SSE_FORM_Y(PEXTRD_EyVdqIb, pextr_y)
SSE_FORM(EXTRACTPS_EdVdqIb, pextr, 4)

/* INSERTPS xmm, xmm/m32, imm8: a dword (chosen by imm8 bits 7:6 from a
 * register; the m32 itself from memory) into element imm8 bits 5:4,
 * then the elements of the zero mask imm8 bits 3:0 cleared. */
static inline __attribute__((always_inline)) void
insertps(struct cpu *c, const struct insn *i, bool mem)
{
	sse_enter(c, i);
	unsigned imm = (unsigned)i->imm;
	uint32_t v = mem ? (uint32_t)memf_read(c, i->seg, insn_ea(c, i), 4) :
			   c->v[i->rm].d[(imm >> 6) & 3];
	union vreg *d = &c->v[i->reg];
	d->d[(imm >> 4) & 3] = v;
	for (unsigned k = 0; k < 4; k++)
		if ((imm >> k) & 1)
			d->d[k] = 0;
}

SSE_FORM(INSERTPS_VdqWdIb, insertps)
