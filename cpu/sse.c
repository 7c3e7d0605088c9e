/* What every MMX and SSE handler shares out of line: the faults that
 * make an instruction unavailable or its operand misaligned, and the
 * exact byte-wise store path (cpu/sse.h). */
#include "cpu/sse.h"

#include "cpu/mem.h"

void sse_unavailable(struct cpu *c, const struct insn *i)
{
	const char *m = insn_mnemonics[i->id];
	if (c->cr0 & CR0_EM)
		cpu_ud(c, "%s with CR0.EM = 1", m);
	if (!(c->cr4 & CR4_OSFXSR))
		cpu_ud(c, "%s with CR4.OSFXSR = 0 (the OS has not enabled SSE)",
		       m);
	cpu_raise(c, EXC_NM, "%s with CR0.TS = 1", m);
}

void mmx_unavailable(struct cpu *c, const struct insn *i)
{
	const char *m = insn_mnemonics[i->id];
	if (c->cr0 & CR0_EM)
		cpu_ud(c, "MMX instruction %s with CR0.EM = 1", m);
	if (c->cr0 & CR0_TS)
		cpu_raise(c, EXC_NM, "MMX instruction %s with CR0.TS = 1", m);
	/* SDM Vol. 1 9.5.3: a pending unmasked x87 exception is taken
	 * before the MMX instruction runs. */
	cpu_raise(c, EXC_MF,
		  "MMX instruction %s with an unmasked x87 exception pending "
		  "(FSW = 0x%04x)", m, c->x87.fsw);
}

void sse_unaligned_ac(struct cpu *c, const struct insn *i, uint64_t la,
		      unsigned bytes)
{
	cpu_raise_err(c, EXC_AC, 0, "%s: %u-byte memory operand at linear "
		      "0x%llx is not %u-byte aligned, with CR0.AM = 1, "
		      "EFLAGS.AC = 1 and CPL 3", insn_mnemonics[i->id], bytes,
		      (unsigned long long)la, bytes);
}

void sse_misaligned(struct cpu *c, const struct insn *i, uint64_t la,
		    unsigned bytes)
{
	cpu_gp0(c, "%s: %u-byte memory operand at linear 0x%llx is not "
		"%u-byte aligned", insn_mnemonics[i->id], bytes,
		(unsigned long long)la, bytes);
}

void sse_write_slow(struct cpu *c, int seg, uint64_t ea, const void *buf,
		    unsigned n)
{
	const uint8_t *p = buf;
	mem_probe_write(c, seg, ea, 1);
	mem_probe_write(c, seg, ea + n - 1, 1);
	for (unsigned k = 0; k < n; k++)
		mem_write8(c, seg, ea + k, p[k]);
}

void sse_fp_raise(struct cpu *c, const struct insn *i, unsigned unmasked)
{
	static const char *const names[6] = {
		"invalid operation", "denormal operand", "divide by zero",
		"overflow", "underflow", "precision",
	};
	const char *what = "";
	for (unsigned k = 0; k < 6; k++)
		if (unmasked & (1u << k)) {
			what = names[k];
			break;
		}
	if (c->cr4 & CR4_OSXMMEXCPT)
		cpu_raise(c, EXC_XM, "%s: unmasked SIMD floating-point %s "
			  "exception (MXCSR = 0x%08x)", insn_mnemonics[i->id],
			  what, c->mxcsr);
	cpu_ud(c, "%s: unmasked SIMD floating-point %s exception with "
	       "CR4.OSXMMEXCPT = 0 (MXCSR = 0x%08x)", insn_mnemonics[i->id],
	       what, c->mxcsr);
}
