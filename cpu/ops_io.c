/* Port I/O: IN, OUT, INS, OUTS (SDM Vol. 2A/2B) and the I/O permission
 * check of protected and virtual-8086 mode (SDM Vol. 1 19.5). Ports go
 * to the bus (cpu/bus.h); devices answer there.
 *
 * INS and OUTS with REP iterate like the other string instructions
 * (cpu/ops_string.c): registers are up to date after every iteration, at
 * most IO_BURST iterations run per call, and then next_rip points back
 * at the instruction so that it continues. INS checks its store before
 * it reads the port, so that a fault does not lose the port's data. */
#include "cpu/msr.h"

#include <stdio.h>

#include "cpu/debug.h"
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/mem.h"
#include "cpu/seg.h"

#define IO_BURST 4096

/* The I/O map base is the 16-bit field at offset 0x66 of a 32-bit or
 * 64-bit TSS (SDM Vol. 3A 7.2.1, 7.7). */
#define TSS_IOMAP_BASE 0x66

void io_check_permission(struct cpu *c, uint16_t port, unsigned size)
{
	unsigned iopl = (c->rflags >> 12) & 3;
	bool vm86 = seg_mode_vm86(c);
	if (!seg_mode_pe(c) || (!vm86 && (unsigned)c->cpl <= iopl))
		return;

	const struct seg *tr = &c->seg[SEG_TR];
	unsigned type = tr->attr & SEG_ATTR_TYPE;
	char who[48];
	if (vm86)
		snprintf(who, sizeof(who), "virtual-8086 mode");
	else
		snprintf(who, sizeof(who), "CPL %d > IOPL %u", c->cpl, iopl);

	if ((tr->attr & SEG_ATTR_UNUSABLE) ||
	    (type != DESC_TSS32_AVAIL && type != DESC_TSS32_BUSY))
		cpu_gp0(c, "I/O port 0x%x (%u bytes) in %s: TR holds no 32-bit TSS (type %u), so there is no I/O permission bitmap",
			port, size, who, type);
	if (tr->limit < TSS_IOMAP_BASE + 1)
		cpu_gp0(c, "I/O port 0x%x (%u bytes) in %s: the TSS limit 0x%x does not reach the I/O map base at offset 0x66",
			port, size, who, tr->limit);
	uint64_t mask32 = seg_mode_lma(c) ? ~0ull : 0xffffffffull;
	uint32_t base = (uint32_t)lin_read(c, (tr->base + TSS_IOMAP_BASE) & mask32,
					   2, ACC_IMPLICIT_SV);
	/* The processor reads the two bitmap bytes that may hold the
	 * port's bits; both must lie within the TSS limit. */
	uint32_t off = base + port / 8;
	if (off + 1 > tr->limit)
		cpu_gp0(c, "I/O port 0x%x (%u bytes) in %s: the bitmap bytes at TSS offset 0x%x lie beyond the TSS limit 0x%x (I/O map base 0x%x)",
			port, size, who, off, tr->limit, base);
	uint32_t bits = (uint32_t)lin_read(c, (tr->base + off) & mask32, 2,
					   ACC_IMPLICIT_SV);
	uint32_t want = ((1u << size) - 1) << (port & 7);
	if (bits & want)
		cpu_gp0(c, "I/O port 0x%x (%u bytes) in %s: bit %u of the I/O permission bitmap is 1",
			port, size, who,
			port + (unsigned)__builtin_ctz((bits & want) >> (port & 7)));
}

static uint32_t port_in(struct cpu *c, uint16_t port, unsigned size)
{
	return c->bus->ops->port_in(c->bus->ctx, port, size);
}

static void port_out(struct cpu *c, uint16_t port, unsigned size, uint32_t v)
{
	c->bus->ops->port_out(c->bus->ctx, port, size, v);
}

/* IN and OUT: the port is an 8-bit immediate or DX; the eAX forms move 2
 * or 4 bytes (REX.W does not make them 8). */
static void do_in(struct cpu *c, uint16_t port, unsigned size)
{
	io_check_permission(c, port, size);
	reg_write(c, REG_RAX, size, port_in(c, port, size));
	debug_watch_io(c, port, size);
}

static void do_out(struct cpu *c, uint16_t port, unsigned size)
{
	io_check_permission(c, port, size);
	port_out(c, port, size, (uint32_t)reg_read(c, REG_RAX, size));
	debug_watch_io(c, port, size);
}

static unsigned eax_size(const struct insn *i)
{
	return i->opsize == 2 ? 2 : 4;
}

static void in_al_ib(struct cpu *c, const struct insn *i)
{
	do_in(c, i->imm & 0xff, 1);
}

static void in_eax_ib(struct cpu *c, const struct insn *i)
{
	do_in(c, i->imm & 0xff, eax_size(i));
}

static void in_al_dx(struct cpu *c, const struct insn *i)
{
	(void)i;
	do_in(c, (uint16_t)c->gpr[REG_RDX], 1);
}

static void in_eax_dx(struct cpu *c, const struct insn *i)
{
	do_in(c, (uint16_t)c->gpr[REG_RDX], eax_size(i));
}

static void out_ib_al(struct cpu *c, const struct insn *i)
{
	do_out(c, i->imm & 0xff, 1);
}

static void out_ib_eax(struct cpu *c, const struct insn *i)
{
	do_out(c, i->imm & 0xff, eax_size(i));
}

static void out_dx_al(struct cpu *c, const struct insn *i)
{
	(void)i;
	do_out(c, (uint16_t)c->gpr[REG_RDX], 1);
}

static void out_dx_eax(struct cpu *c, const struct insn *i)
{
	do_out(c, (uint16_t)c->gpr[REG_RDX], eax_size(i));
}

IMPL_ANY(IN_ALIb, in_al_ib)
IMPL_ANY(IN_eAXIb, in_eax_ib)
IMPL_ANY(IN_ALDX, in_al_dx)
IMPL_ANY(IN_eAXDX, in_eax_dx)
IMPL_ANY(OUT_IbAL, out_ib_al)
IMPL_ANY(OUT_IbeAX, out_ib_eax)
IMPL_ANY(OUT_DXAL, out_dx_al)
IMPL_ANY(OUT_DXeAX, out_dx_eax)

/* One INS or OUTS iteration: ES:rDI <- port, or port <- seg:rSI. */
EXEC_INLINE void io_str_step(struct cpu *c, const struct insn *i,
			     unsigned size, bool in)
{
	unsigned as = i->addrsize;
	uint16_t port = (uint16_t)c->gpr[REG_RDX];
	uint64_t d = (c->rflags & FLAG_DF) ? -(uint64_t)size : size;
	io_check_permission(c, port, size);
	if (in) {
		uint64_t di = reg_read(c, REG_RDI, as);
		mem_probe_write(c, SEG_ES, di, size);
		mem_write(c, SEG_ES, di, size, port_in(c, port, size));
		reg_write(c, REG_RDI, as, di + d);
	} else {
		uint64_t si = reg_read(c, REG_RSI, as);
		port_out(c, port, size, (uint32_t)mem_read(c, i->seg, si, size));
		reg_write(c, REG_RSI, as, si + d);
	}
	debug_watch_io(c, port, size);
}

EXEC_INLINE void io_str(struct cpu *c, const struct insn *i, unsigned size,
			bool mem, bool in)
{
	(void)mem;
	/* z operands: 16 or 32 bits, never 64. */
	if (size == 8)
		size = 4;
	/* F2 and F3 both repeat: INS and OUTS have no condition. */
	if (!(i->prefixes & (PFX_REP | PFX_REPNE))) {
		io_str_step(c, i, size, in);
		return;
	}
	unsigned as = i->addrsize;
	uint64_t cnt = reg_read(c, REG_RCX, as);
	unsigned burst = insn_repeat_burst(c, IO_BURST);
	for (unsigned n = 0; n < burst; n++) {
		if (cnt == 0)
			return;
		insn_repeat_tick(c, n);
		io_str_step(c, i, size, in);
		cnt = (cnt - 1) & size_mask(as);
		reg_write(c, REG_RCX, as, cnt);
	}
	if (cnt != 0)
		insn_repeat(c);
}

IMPL_B_NM(INS_YbDX, io_str, true)
IMPL_V_NM(INS_YzDX, io_str, true)
IMPL_B_NM(OUTS_DXXb, io_str, false)
IMPL_V_NM(OUTS_DXXz, io_str, false)
