/* x87 escapes and WAIT. This CPU model has no x87 unit yet (CPUID.1:EDX.FPU
 * = 0), but the CR0 rules that decide between #NM and execution apply all
 * the same (SDM Vol. 3A 2.5, table 2-2; Vol. 1 8.3.1): software that
 * emulates or lazily switches the FPU depends on them. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/regs.h"

static void esc_x87(struct cpu *c, const struct insn *i)
{
	if (c->cr0 & CR0_EM)
		cpu_raise(c, EXC_NM, "x87 instruction (%02X) with CR0.EM = 1",
			  i->opcode);
	if (c->cr0 & CR0_TS)
		cpu_raise(c, EXC_NM, "x87 instruction (%02X) with CR0.TS = 1",
			  i->opcode);
	cpu_ud(c, "x87 instruction (%02X): this CPU model has no x87 unit (CPUID.1:EDX.FPU = 0)",
	       i->opcode);
}

/* WAIT checks TS only together with MP; with no x87 unit there is never
 * an unmasked exception pending, so it is otherwise a no-op. */
static void wait_fpu(struct cpu *c, const struct insn *i)
{
	(void)i;
	if ((c->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
		cpu_raise(c, EXC_NM, "WAIT with CR0.MP = 1 and CR0.TS = 1");
}

IMPL_ANY(ESC_X87, esc_x87)
IMPL_ANY(WAIT, wait_fpu)
