/* The x87 unit's state rules: tags, the status word's summary bits,
 * FERR# and IGNNE#, pending-exception delivery and the initial
 * configurations. */
#include "cpu/x87.h"

#include "cpu/fault.h"
#include "cpu/regs.h"

unsigned x87_tag_of(struct f80 v)
{
	unsigned exp = v.sign_exp & 0x7fff;
	if (exp == 0)
		return v.signif == 0 ? X87_TAG_ZERO : X87_TAG_SPECIAL;
	if (exp == 0x7fff)
		return X87_TAG_SPECIAL;
	/* An unnormal (integer bit clear) is an unsupported format. */
	return (v.signif >> 63) ? X87_TAG_VALID : X87_TAG_SPECIAL;
}

uint8_t x87_abridged_tags(const struct cpu *c)
{
	uint8_t t = 0;
	for (unsigned p = 0; p < 8; p++)
		if (x87_tag(c, p) != X87_TAG_EMPTY)
			t |= (uint8_t)(1u << p);
	return t;
}

uint16_t x87_full_tags(const struct cpu *c, uint8_t abridged)
{
	uint16_t ftw = 0;
	for (unsigned p = 0; p < 8; p++) {
		unsigned tag = ((abridged >> p) & 1) ? x87_tag_of(c->x87.r[p])
						     : X87_TAG_EMPTY;
		ftw |= (uint16_t)(tag << (2 * p));
	}
	return ftw;
}

uint16_t x87_retag(const struct cpu *c, uint16_t ftw)
{
	uint8_t abridged = 0;
	for (unsigned p = 0; p < 8; p++)
		if (((ftw >> (2 * p)) & 3) != X87_TAG_EMPTY)
			abridged |= (uint8_t)(1u << p);
	return x87_full_tags(c, abridged);
}

void x87_update_ferr(struct cpu *c)
{
	bool level = !(c->cr0 & CR0_NE) && (c->x87.fsw & FSW_ES);
	if (level == c->ferr)
		return;
	c->ferr = level;
	if (c->bus && c->bus->ops->ferr)
		c->bus->ops->ferr(c->bus->ctx, level);
}

void x87_sync_es(struct cpu *c)
{
	uint16_t fsw = c->x87.fsw & (uint16_t)~(FSW_ES | FSW_B);
	if (fsw & ~c->x87.fcw & FP_X_ALL)
		fsw |= FSW_ES | FSW_B;
	c->x87.fsw = fsw;
	x87_update_ferr(c);
}

void x87_finit(struct cpu *c)
{
	struct x87_state *x = &c->x87;
	x->fcw = FCW_INIT;
	x->fsw = 0;
	x->ftw = 0xffff;
	x->fop = 0;
	x->fip = x->fdp = 0;
	x->fcs = x->fds = 0;
	x87_update_ferr(c);
}

void x87_init_config(struct cpu *c)
{
	x87_finit(c);
	for (unsigned p = 0; p < 8; p++)
		c->x87.r[p] = (struct f80){ 0, 0 };
}

bool x87_is_init_config(const struct cpu *c)
{
	const struct x87_state *x = &c->x87;
	if (x->fcw != FCW_INIT || x->fsw || x->ftw != 0xffff || x->fop ||
	    x->fip || x->fdp || x->fcs || x->fds)
		return false;
	for (unsigned p = 0; p < 8; p++)
		if (x->r[p].signif || x->r[p].sign_exp)
			return false;
	return true;
}

bool x87_check_pending(struct cpu *c, const char *what)
{
	if (!(c->x87.fsw & FSW_ES))
		return true;
	if (c->cr0 & CR0_NE)
		cpu_raise(c, EXC_MF, "%s with an unmasked x87 exception pending (FSW = 0x%04x, FCW = 0x%04x) and CR0.NE = 1",
			  what, c->x87.fsw, c->x87.fcw);
	if (c->ignne)
		return true;
	/* MS-DOS compatibility: stop before the instruction with FERR#
	 * asserted until the interrupt it causes is taken; the handler
	 * returns here and the instruction starts again. */
	x87_update_ferr(c);
	c->next_rip = c->rip;
	c->halted = true;
	c->attention |= ATTN_REPEAT;
	return false;
}

void cpu_set_ignne(struct cpu *c, bool level)
{
	c->ignne = level;
}
