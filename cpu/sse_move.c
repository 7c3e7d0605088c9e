/* MMX and SSE data movement: MOVUPS MOVAPS MOVDQA MOVDQU LDDQU, the
 * scalar and half-register moves, MOVD/MOVQ, the MMX-XMM moves, the
 * non-temporal stores, the byte-masked stores, the sign-mask extractions
 * and EMMS (SDM Vol. 2A/2B). Non-temporal hints have no effect here:
 * there are no caches to bypass. */
#include "cpu/sse.h"

/* Whole-register moves. Vx, Wx: load; Wx, Vx: store. */
static inline __attribute__((always_inline)) void
mov_load(struct cpu *c, const struct insn *i, bool mem, bool align)
{
	union vreg t;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, XMM_BYTES, align);
	c->v[i->reg].q[0] = s->q[0];
	c->v[i->reg].q[1] = s->q[1];
}

static inline __attribute__((always_inline)) void
mov_store(struct cpu *c, const struct insn *i, bool mem, bool align)
{
	sse_enter(c, i);
	if (mem) {
		vmem_write(c, i, insn_ea(c, i), &c->v[i->reg], XMM_BYTES, align);
	} else {
		c->v[i->rm].q[0] = c->v[i->reg].q[0];
		c->v[i->rm].q[1] = c->v[i->reg].q[1];
	}
}

SSE_FORM(MOVUPS_VpsWps, mov_load, false)
SSE_FORM(MOVUPD_VpdWpd, mov_load, false)
SSE_FORM(MOVDQU_VxWx, mov_load, false)
SSE_FORM_M(LDDQU_VxMx, mov_load, false)
SSE_FORM(MOVAPS_VpsWps, mov_load, true)
SSE_FORM(MOVAPD_VpdWpd, mov_load, true)
SSE_FORM(MOVDQA_VxWx, mov_load, true)
SSE_FORM_M(MOVNTDQA_VxMx, mov_load, true)
SSE_FORM(MOVUPS_WpsVps, mov_store, false)
SSE_FORM(MOVUPD_WpdVpd, mov_store, false)
SSE_FORM(MOVDQU_WxVx, mov_store, false)
SSE_FORM(MOVAPS_WpsVps, mov_store, true)
SSE_FORM(MOVAPD_WpdVpd, mov_store, true)
SSE_FORM(MOVDQA_WxVx, mov_store, true)
SSE_FORM_M(MOVNTPS_MpsVps, mov_store, true)
SSE_FORM_M(MOVNTPD_MpdVpd, mov_store, true)
SSE_FORM_M(MOVNTDQ_MxVx, mov_store, true)

/* MOVSS/MOVSD: a register source moves the low element only; a memory
 * source zeroes the rest of the register. n is 4 or 8. */
static inline __attribute__((always_inline)) void
mov_scalar_load(struct cpu *c, const struct insn *i, bool mem, unsigned n)
{
	sse_enter(c, i);
	union vreg *d = &c->v[i->reg];
	if (mem) {
		union vreg t = { .q = { 0, 0 } };
		vmem_read(c, i, insn_ea(c, i), &t, n, false);
		d->q[0] = t.q[0];
		d->q[1] = 0;
	} else {
		memcpy(d->b, c->v[i->rm].b, n);
	}
}

static inline __attribute__((always_inline)) void
mov_scalar_store(struct cpu *c, const struct insn *i, bool mem, unsigned n)
{
	sse_enter(c, i);
	if (mem)
		vmem_write(c, i, insn_ea(c, i), &c->v[i->reg], n, false);
	else
		memcpy(c->v[i->rm].b, c->v[i->reg].b, n);
}

SSE_FORM(MOVSS_VssWss, mov_scalar_load, 4)
SSE_FORM(MOVSD_VsdWsd, mov_scalar_load, 8)
SSE_FORM(MOVSS_WssVss, mov_scalar_store, 4)
SSE_FORM(MOVSD_WsdVsd, mov_scalar_store, 8)

/* Half-register moves: q is the destination quadword (0 low, 1 high);
 * the register forms are MOVHLPS (low = source high) and MOVLHPS (high
 * = source low). */
static inline __attribute__((always_inline)) void
mov_half_load(struct cpu *c, const struct insn *i, bool mem, unsigned q)
{
	sse_enter(c, i);
	uint64_t v;
	if (mem)
		v = memf_read(c, i->seg, insn_ea(c, i), 8);
	else
		v = c->v[i->rm].q[q ^ 1];
	c->v[i->reg].q[q] = v;
}

static inline __attribute__((always_inline)) void
mov_half_store(struct cpu *c, const struct insn *i, bool mem, unsigned q)
{
	(void)mem;
	sse_enter(c, i);
	memf_write(c, i->seg, insn_ea(c, i), 8, c->v[i->reg].q[q]);
}

static void movlps_m(struct cpu *c, const struct insn *i)
{
	mov_half_load(c, i, true, 0);
}

static void movhlps_r(struct cpu *c, const struct insn *i)
{
	mov_half_load(c, i, false, 0);
}

static void movhps_m(struct cpu *c, const struct insn *i)
{
	mov_half_load(c, i, true, 1);
}

static void movlhps_r(struct cpu *c, const struct insn *i)
{
	mov_half_load(c, i, false, 1);
}

SSE_IMPL(MOVLPS_VqMq, 0, movlps_m)
SSE_IMPL(MOVLPD_VqMq, 0, movlps_m)
SSE_IMPL(MOVHLPS_VqUq, movhlps_r, 0)
SSE_IMPL(MOVHPS_VqMq, 0, movhps_m)
SSE_IMPL(MOVHPD_VqMq, 0, movhps_m)
SSE_IMPL(MOVLHPS_VqUq, movlhps_r, 0)
SSE_FORM_M(MOVLPS_MqVq, mov_half_store, 0)
SSE_FORM_M(MOVLPD_MqVq, mov_half_store, 0)
SSE_FORM_M(MOVHPS_MqVq, mov_half_store, 1)
SSE_FORM_M(MOVHPD_MqVq, mov_half_store, 1)

/* MOVSLDUP / MOVSHDUP: the even or odd dwords, each twice. */
static inline __attribute__((always_inline)) void
mov_dup_s(struct cpu *c, const struct insn *i, bool mem, unsigned odd)
{
	union vreg t;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, XMM_BYTES, true);
	uint32_t a = s->d[odd], b = s->d[2 + odd];
	union vreg *d = &c->v[i->reg];
	d->d[0] = a;
	d->d[1] = a;
	d->d[2] = b;
	d->d[3] = b;
}

SSE_FORM(MOVSLDUP_VpsWps, mov_dup_s, 0)
SSE_FORM(MOVSHDUP_VpsWps, mov_dup_s, 1)

/* MOVDDUP: the low quadword twice; the memory source is 8 bytes. */
static inline __attribute__((always_inline)) void
movddup(struct cpu *c, const struct insn *i, bool mem)
{
	sse_enter(c, i);
	uint64_t v = mem ? memf_read(c, i->seg, insn_ea(c, i), 8) :
			   c->v[i->rm].q[0];
	c->v[i->reg].q[0] = v;
	c->v[i->reg].q[1] = v;
}

SSE_FORM(MOVDDUP_VqWq, movddup)

/* Sign masks into a GPR (32-bit write, zero-extended: the REX.W form is
 * the same). */
static inline __attribute__((always_inline)) void
movmsk(struct cpu *c, const struct insn *i, bool mem, unsigned esize)
{
	(void)mem;
	sse_enter(c, i);
	const union vreg *s = &c->v[i->rm];
	uint32_t m = 0;
	for (unsigned k = 0; k < XMM_BYTES / esize; k++)
		m |= (uint32_t)(s->b[k * esize + esize - 1] >> 7) << k;
	c->gpr[i->reg] = m;
}

SSE_FORM_R(MOVMSKPS_GdUps, movmsk, 4)
SSE_FORM_R(MOVMSKPD_GdUpd, movmsk, 8)
SSE_FORM_R(PMOVMSKB_GdUx, movmsk, 1)

static void pmovmskb_mmx(struct cpu *c, const struct insn *i)
{
	mmx_enter(c, i);
	uint64_t v = mmx_get(c, i->rm);
	uint32_t m = 0;
	for (unsigned k = 0; k < 8; k++)
		m |= (uint32_t)((v >> (8 * k + 7)) & 1) << k;
	c->gpr[i->reg] = m;
	mmx_commit(c);
}

SSE_IMPL(PMOVMSKB_GdNq, pmovmskb_mmx, 0)

/* MOVD/MOVQ between a GPR or memory (Ey, 32 or 64 bits by REX.W) and an
 * MMX or XMM register; loads zero-extend. */
static inline __attribute__((always_inline)) void
movd_to_mmx(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	mmx_enter(c, i);
	uint64_t v = mem ? memf_read(c, i->seg, insn_ea(c, i), size) :
			   reg_read(c, i->rm, size);
	mmx_put(c, i->reg, v);
	mmx_commit(c);
}

static inline __attribute__((always_inline)) void
movd_from_mmx(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	mmx_enter(c, i);
	uint64_t v = mmx_get(c, i->reg);
	if (mem)
		memf_write(c, i->seg, insn_ea(c, i), size, v);
	else
		reg_write(c, i->rm, size, v);
	mmx_commit(c);
}

static inline __attribute__((always_inline)) void
movd_to_xmm(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	sse_enter(c, i);
	uint64_t v = mem ? memf_read(c, i->seg, insn_ea(c, i), size) :
			   reg_read(c, i->rm, size);
	c->v[i->reg].q[0] = v;
	c->v[i->reg].q[1] = 0;
}

static inline __attribute__((always_inline)) void
movd_from_xmm(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	sse_enter(c, i);
	uint64_t v = c->v[i->reg].q[0];
	if (mem)
		memf_write(c, i->seg, insn_ea(c, i), size, v);
	else
		reg_write(c, i->rm, size, v);
}

SSE_FORM_Y(MOVD_PqEy, movd_to_mmx)
SSE_FORM_Y(MOVD_EyPq, movd_from_mmx)
SSE_FORM_Y(MOVD_VyEy, movd_to_xmm)
SSE_FORM_Y(MOVD_EyVy, movd_from_xmm)

/* MOVQ mm, mm/m64 and back. */
static inline __attribute__((always_inline)) void
movq_mmx_load(struct cpu *c, const struct insn *i, bool mem)
{
	mmx_enter(c, i);
	mmx_put(c, i->reg, mmx_src(c, i, mem));
	mmx_commit(c);
}

static inline __attribute__((always_inline)) void
movq_mmx_store(struct cpu *c, const struct insn *i, bool mem)
{
	mmx_enter(c, i);
	uint64_t v = mmx_get(c, i->reg);
	if (mem)
		memf_write(c, i->seg, insn_ea(c, i), 8, v);
	else
		mmx_put(c, i->rm, v);
	mmx_commit(c);
}

SSE_FORM(MOVQ_PqQq, movq_mmx_load)
SSE_FORM(MOVQ_QqPq, movq_mmx_store)
SSE_FORM_M(MOVNTQ_MqPq, movq_mmx_store)

/* MOVQ xmm, xmm/m64 (F3 0F 7E) and MOVQ xmm/m64, xmm (66 0F D6): the
 * register destination's high quadword is zeroed. */
static inline __attribute__((always_inline)) void
movq_xmm_load(struct cpu *c, const struct insn *i, bool mem)
{
	sse_enter(c, i);
	uint64_t v = mem ? memf_read(c, i->seg, insn_ea(c, i), 8) :
			   c->v[i->rm].q[0];
	c->v[i->reg].q[0] = v;
	c->v[i->reg].q[1] = 0;
}

static inline __attribute__((always_inline)) void
movq_xmm_store(struct cpu *c, const struct insn *i, bool mem)
{
	sse_enter(c, i);
	uint64_t v = c->v[i->reg].q[0];
	if (mem) {
		memf_write(c, i->seg, insn_ea(c, i), 8, v);
	} else {
		c->v[i->rm].q[0] = v;
		c->v[i->rm].q[1] = 0;
	}
}

SSE_FORM(MOVQ_VqWq, movq_xmm_load)
SSE_FORM(MOVQ_WqVq, movq_xmm_store)

/* MOVQ2DQ xmm, mm and MOVDQ2Q mm, xmm: SSE and MMX rules both. */
static void movq2dq(struct cpu *c, const struct insn *i)
{
	sse_mmx_enter(c, i);
	c->v[i->reg].q[0] = mmx_get(c, i->rm);
	c->v[i->reg].q[1] = 0;
	mmx_commit(c);
}

static void movdq2q(struct cpu *c, const struct insn *i)
{
	sse_mmx_enter(c, i);
	mmx_put(c, i->reg, c->v[i->rm].q[0]);
	mmx_commit(c);
}

SSE_IMPL(MOVQ2DQ_VdqNq, movq2dq, 0)
SSE_IMPL(MOVDQ2Q_PqUq, movdq2q, 0)

/* MOVNTI m32/m64, r32/r64: a GPR store, available whatever CR0 and CR4
 * say of the x87 and SSE state. */
static inline __attribute__((always_inline)) void
movnti(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	(void)mem;
	memf_write(c, i->seg, insn_ea(c, i), size, reg_read(c, i->reg, size));
}

static void movnti_4(struct cpu *c, const struct insn *i)
{
	movnti(c, i, true, 4);
}

static void movnti_8(struct cpu *c, const struct insn *i)
{
	movnti(c, i, true, 8);
}

const struct insn_impl impl_MOVNTI_MyGy = { { { 0, 0 }, { 0, 0 },
					      { 0, movnti_4 },
					      { 0, movnti_8 } } };

/* MASKMOVQ / MASKMOVDQU: the bytes of the first register whose mask
 * byte (second register) has bit 7 set go to DS:rDI (segment override
 * allowed). Every byte to be written is checked first, so a fault
 * leaves memory as it was; an all-zero mask touches no memory. */
static void maskmov(struct cpu *c, const struct insn *i, const uint8_t *v,
		    const uint8_t *mask, unsigned n)
{
	uint64_t di = c->gpr[REG_RDI] & size_mask(i->addrsize);
	/* Under alignment checking rDI must be 8-byte aligned, for either
	 * register size and whatever the mask (the host CPU's rule). */
	uint64_t la = sse_linear(c, i, di);
	if (sse_ac_on(c) && (la & 7))
		sse_unaligned_ac(c, i, la, 8);
	for (unsigned k = 0; k < n; k++)
		if (mask[k] & 0x80)
			mem_probe_write(c, i->seg, di + k, 1);
	for (unsigned k = 0; k < n; k++)
		if (mask[k] & 0x80)
			mem_write8(c, i->seg, di + k, v[k]);
}

static void maskmovq(struct cpu *c, const struct insn *i)
{
	mmx_enter(c, i);
	uint64_t v = mmx_get(c, i->reg), m = mmx_get(c, i->rm);
	/* The transition comes before the store's faults (host behaviour). */
	mmx_commit(c);
	maskmov(c, i, (const uint8_t *)&v, (const uint8_t *)&m, 8);
}

static void maskmovdqu(struct cpu *c, const struct insn *i)
{
	sse_enter(c, i);
	maskmov(c, i, c->v[i->reg].b, c->v[i->rm].b, 16);
}

SSE_IMPL(MASKMOVQ_PqNq, maskmovq, 0)
SSE_IMPL(MASKMOVDQU_VdqUdq, maskmovdqu, 0)

/* EMMS: every x87 tag empty (SDM Vol. 2A EMMS); the MMX rules apply.
 * TOP becomes 0 as well, as the host CPU of tests/diff/sse_diff.c does
 * (SDM Vol. 1 table 9-2 leaves TOP out of EMMS's row). */
static void emms(struct cpu *c, const struct insn *i)
{
	mmx_enter(c, i);
	c->x87.fsw &= (uint16_t)~FSW_TOP;
	c->x87.ftw = 0xffff;
}

IMPL_ANY(EMMS, emms)
