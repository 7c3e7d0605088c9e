/* PUSHF and POPF with the privilege rules of SDM Vol. 2B (PUSHF/PUSHFD/
 * PUSHFQ, POPF/POPFD/POPFQ): which flags a pop may change depends on the
 * operand size, CPL, IOPL, virtual-8086 mode and CR4.VME. POPF may change
 * TF and IF, so its form ends a block (cpu/insn.def). */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/seg.h"
#include "cpu/regs.h"


/* Every flag software can name (bits 21:0 less the reserved ones). */
#define FLAGS_ALL 0x3f7fd5ull

static unsigned iopl(const struct cpu *c)
{
	return (c->rflags >> 12) & 3;
}

EXEC_INLINE void pushf(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	(void)i, (void)mem;
	uint64_t f = flags_read(c);
	if (seg_mode_vm86(c) && iopl(c) < 3) {
		/* With VME, a 16-bit PUSHF stores VIF in place of IF and
		 * shows IOPL 3 (SDM Vol. 3A 20.3.3). */
		if (size != 2 || !(c->cr4 & CR4_VME))
			cpu_gp0(c, "PUSHF%s in virtual-8086 mode with IOPL %u%s",
				size == 2 ? "" : "D", iopl(c),
				size == 2 ? " and CR4.VME = 0" : "");
		f &= 0xffff & ~(uint64_t)(FLAG_IF | FLAG_IOPL);
		f |= FLAG_IOPL | ((c->rflags & FLAG_VIF) ? FLAG_IF : 0);
		stack_push(c, 2, f);
		return;
	}
	/* The image has VM and RF clear. */
	stack_push(c, size, size == 2 ? f & 0xffff : f & 0xfcffff);
}

EXEC_INLINE void popf(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)i, (void)mem;
	uint64_t mask, clear = 0;

	if (!seg_mode_vm86(c)) {
		if (size == 2)
			mask = 0xffff;
		else {
			mask = FLAGS_ALL & ~(uint64_t)(FLAG_VIP | FLAG_VIF |
						       FLAG_VM | FLAG_RF);
			clear = FLAG_RF;
		}
		if (c->cpl > 0) {
			mask &= ~(uint64_t)FLAG_IOPL;
			if ((unsigned)c->cpl > iopl(c))
				mask &= ~(uint64_t)FLAG_IF;
		}
	} else if (iopl(c) == 3) {
		mask = size == 2 ? 0xffff & ~(uint64_t)FLAG_IOPL :
		       FLAGS_ALL & ~(uint64_t)(FLAG_VIP | FLAG_VIF | FLAG_IOPL |
					       FLAG_RF | FLAG_VM);
	} else {
		if (size != 2 || !(c->cr4 & CR4_VME))
			cpu_gp0(c, "POPF%s in virtual-8086 mode with IOPL %u%s",
				size == 2 ? "" : "D", iopl(c),
				size == 2 ? " and CR4.VME = 0" : "");
		/* VME (SDM Vol. 3A 20.3.3): the popped IF goes to VIF,
		 * unless an interrupt is pending (VIP) or TF would be set. */
		uint64_t t = stack_peek(c, 2, 0);
		if ((c->rflags & FLAG_VIP) && (t & FLAG_IF))
			cpu_gp0(c, "POPF in virtual-8086 mode with CR4.VME = 1: the image sets IF while VIP = 1");
		if (t & FLAG_TF)
			cpu_gp0(c, "POPF in virtual-8086 mode with CR4.VME = 1: the image sets TF");
		stack_adjust(c, 2);
		flags_write(c, t, 0xffff & ~(uint64_t)(FLAG_IOPL | FLAG_IF));
		c->rflags = (c->rflags & ~(uint64_t)FLAG_VIF) |
			    ((t & FLAG_IF) ? FLAG_VIF : 0);
		return;
	}
	uint64_t v = stack_pop(c, size);
	flags_write(c, v & ~clear, (mask & FLAGS_ALL) | clear);
}

IMPL_V_NM(PUSHF, pushf)
IMPL_V_NM(POPF, popf)
