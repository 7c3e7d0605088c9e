/* The x87 control instructions: FLDCW, FNSTCW, FNSTSW, FNCLEX, FNINIT,
 * and the environment and state images of FLDENV, FNSTENV, FRSTOR and
 * FNSAVE in their four layouts: 16- or 32-bit operand size, protected or
 * real-address/virtual-8086 mode (SDM Vol. 1 8.1.10, figures 8-9 to
 * 8-12). In the real-mode layouts the pointers are 20-bit linear
 * addresses (selector * 16 + offset); loading such an image leaves the
 * selectors 0. The reserved upper halves of the 32-bit layouts are
 * written as FFFFH, as processors do. */
#include "cpu/x87_ops.h"

#include "cpu/flags.h"
#include "cpu/mem.h"

#define ENV_MAX 28
#define SAVE_MAX (ENV_MAX + 80)

static uint64_t off_at(const struct insn *i, uint64_t ea, unsigned k)
{
	return (ea + k) & size_mask(i->addrsize);
}

static bool real_layout(const struct cpu *c)
{
	return !(c->cr0 & 1) || (c->rflags & FLAG_VM);
}

static unsigned env_size(const struct insn *i)
{
	return i->opsize == 2 ? 14 : 28;
}

static void put(uint8_t *b, unsigned off, unsigned n, uint64_t v)
{
	for (unsigned k = 0; k < n; k++)
		b[off + k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get(const uint8_t *b, unsigned off, unsigned n)
{
	uint64_t v = 0;
	for (unsigned k = 0; k < n; k++)
		v |= (uint64_t)b[off + k] << (8 * k);
	return v;
}

/* Writes n bytes after checking that all of them can be written. */
static void store(struct cpu *c, const struct insn *i, uint64_t ea,
		  const uint8_t *b, unsigned n)
{
	for (unsigned k = 0; k < n; k += 2)
		mem_probe_write(c, i->seg, off_at(i, ea, k), 2);
	for (unsigned k = 0; k < n; k += 2)
		mem_write16(c, i->seg, off_at(i, ea, k), (uint16_t)get(b, k, 2));
}

static void load(struct cpu *c, const struct insn *i, uint64_t ea,
		 uint8_t *b, unsigned n)
{
	for (unsigned k = 0; k < n; k += 2)
		put(b, k, 2, mem_read16(c, i->seg, off_at(i, ea, k)));
}

static void env_image(const struct cpu *c, const struct insn *i, uint8_t *b)
{
	const struct x87_state *x = &c->x87;
	uint16_t ftw = x87_retag(c, x->ftw);
	if (real_layout(c)) {
		uint32_t ip = (uint32_t)((x->fcs << 4) + x->fip);
		uint32_t dp = (uint32_t)((x->fds << 4) + x->fdp);
		if (i->opsize == 2) {
			put(b, 0, 2, x->fcw);
			put(b, 2, 2, x->fsw);
			put(b, 4, 2, ftw);
			put(b, 6, 2, ip);
			put(b, 8, 2, (x->fop & 0x7ff) | ((ip >> 16) & 0xf) << 12);
			put(b, 10, 2, dp);
			put(b, 12, 2, ((dp >> 16) & 0xf) << 12);
		} else {
			put(b, 0, 4, 0xffff0000u | x->fcw);
			put(b, 4, 4, 0xffff0000u | x->fsw);
			put(b, 8, 4, 0xffff0000u | ftw);
			put(b, 12, 4, 0xffff0000u | (ip & 0xffff));
			put(b, 16, 4, (x->fop & 0x7ffu) | (ip >> 16) << 12);
			put(b, 20, 4, 0xffff0000u | (dp & 0xffff));
			put(b, 24, 4, (dp >> 16) << 12);
		}
		return;
	}
	if (i->opsize == 2) {
		put(b, 0, 2, x->fcw);
		put(b, 2, 2, x->fsw);
		put(b, 4, 2, ftw);
		put(b, 6, 2, x->fip);
		put(b, 8, 2, x->fcs);
		put(b, 10, 2, x->fdp);
		put(b, 12, 2, x->fds);
	} else {
		put(b, 0, 4, 0xffff0000u | x->fcw);
		put(b, 4, 4, 0xffff0000u | x->fsw);
		put(b, 8, 4, 0xffff0000u | ftw);
		put(b, 12, 4, (uint32_t)x->fip);
		put(b, 16, 4, x->fcs | (uint32_t)(x->fop & 0x7ff) << 16);
		put(b, 20, 4, (uint32_t)x->fdp);
		put(b, 24, 4, 0xffff0000u | x->fds);
	}
}

/* Loads an environment image; the tags of registers that are not empty
 * come from their contents (as FNSTENV would report them). */
static void env_load(struct cpu *c, const struct insn *i, const uint8_t *b)
{
	struct x87_state *x = &c->x87;
	bool wide = i->opsize != 2;
	unsigned w = wide ? 4 : 2;
	x->fcw = x87_fcw_value((uint16_t)get(b, 0, 2));
	x->fsw = (uint16_t)get(b, w, 2);
	uint16_t ftw = (uint16_t)get(b, 2 * w, 2);
	if (real_layout(c)) {
		uint32_t ip = (uint32_t)get(b, 3 * w, 2);
		uint32_t hi = (uint32_t)get(b, 4 * w, w);
		uint32_t dp = (uint32_t)get(b, 5 * w, 2);
		uint32_t dhi = (uint32_t)get(b, 6 * w, w);
		x->fop = (uint16_t)(hi & 0x7ff);
		x->fip = ip | (wide ? (hi >> 12) & 0xffff : (hi >> 12) & 0xf) << 16;
		x->fdp = dp | (wide ? (dhi >> 12) & 0xffff : (dhi >> 12) & 0xf) << 16;
		x->fcs = x->fds = 0;
	} else if (wide) {
		x->fip = get(b, 12, 4);
		x->fcs = (uint16_t)get(b, 16, 2);
		x->fop = (uint16_t)(get(b, 18, 2) & 0x7ff);
		x->fdp = get(b, 20, 4);
		x->fds = (uint16_t)get(b, 24, 2);
	} else {
		x->fip = get(b, 6, 2);
		x->fcs = (uint16_t)get(b, 8, 2);
		x->fdp = get(b, 10, 2);
		x->fds = (uint16_t)get(b, 12, 2);
	}
	x->ftw = x87_retag(c, ftw);
	x87_sync_es(c);
}

void x87_fldcw(struct cpu *c, const struct insn *i)
{
	uint16_t v = mem_read16(c, i->seg, insn_ea(c, i));
	c->x87.fcw = x87_fcw_value(v);
	x87_sync_es(c);
}

void x87_fnstcw(struct cpu *c, const struct insn *i)
{
	mem_write16(c, i->seg, insn_ea(c, i), c->x87.fcw);
}

/* FNSTSW m2byte (DD /7) and FNSTSW AX (DF E0). */
void x87_fnstsw(struct cpu *c, const struct insn *i)
{
	if (i->mod == 3)
		reg_write(c, REG_RAX, 2, c->x87.fsw);
	else
		mem_write16(c, i->seg, insn_ea(c, i), c->x87.fsw);
}

void x87_fldenv(struct cpu *c, const struct insn *i)
{
	uint8_t b[ENV_MAX];
	load(c, i, insn_ea(c, i), b, env_size(i));
	env_load(c, i, b);
}

/* FNSTENV then masks every exception (SDM Vol. 2A FSTENV). */
void x87_fnstenv(struct cpu *c, const struct insn *i)
{
	uint8_t b[ENV_MAX];
	env_image(c, i, b);
	store(c, i, insn_ea(c, i), b, env_size(i));
	c->x87.fcw |= FP_X_ALL;
	x87_sync_es(c);
}

/* The registers follow the environment in stack order, ST(0) first. */
void x87_frstor(struct cpu *c, const struct insn *i)
{
	uint8_t b[SAVE_MAX];
	unsigned n = env_size(i);
	load(c, i, insn_ea(c, i), b, n + 80);
	unsigned top = (get(b, n == 14 ? 2 : 4, 2) & FSW_TOP) >> FSW_TOP_SHIFT;
	for (unsigned s = 0; s < 8; s++)
		c->x87.r[(top + s) & 7] = (struct f80){
			get(b, n + 10 * s, 8), (uint16_t)get(b, n + 10 * s + 8, 2) };
	env_load(c, i, b);
}

/* FNSAVE then initializes the unit as FNINIT does. */
void x87_fnsave(struct cpu *c, const struct insn *i)
{
	uint8_t b[SAVE_MAX];
	unsigned n = env_size(i);
	env_image(c, i, b);
	for (unsigned s = 0; s < 8; s++) {
		struct f80 v = x87_st(c, s);
		put(b, n + 10 * s, 8, v.signif);
		put(b, n + 10 * s + 8, 2, v.sign_exp);
	}
	store(c, i, insn_ea(c, i), b, n + 80);
	x87_finit(c);
}

/* DB E0-E4: FNENI and FNDISI (8087 interrupt control) and FNSETPM
 * (80287 protected mode) do nothing on later processors; FNCLEX clears
 * the exception flags, ES, SF and B (SDM Vol. 2A FCLEX); FNINIT. */
void x87_db_e0(struct cpu *c, const struct insn *i)
{
	switch (x87_rm(i)) {
	case 2:
		c->x87.fsw &= (uint16_t)~(FP_X_ALL | FSW_SF | FSW_ES | FSW_B);
		x87_update_ferr(c);
		break;
	case 3:
		x87_finit(c);
		break;
	default:
		break;
	}
}
