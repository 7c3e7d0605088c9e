/* Segmented and linear memory access against the SDM: segment limit and
 * type checks (Vol. 3A 5.3, 5.4), 64-bit mode addressing (3.4.4),
 * alignment checks (6.15), precise page-crossing faults, the TLB's
 * invalidation rules (4.10.4), code pages and MMIO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/block.h"
#include "cpu/blockcache.h"
#include "cpu/mem_fast.h"
#include "tests/unit/env.h"
#include "cpu/regs.h"

#define OK (-1)

#define PRU (PTE_P | PTE_RW | PTE_US)

/* Maps la to pa (a 4-KiB page, or 2 MiB with large) with flags in the
 * final entry; returns the physical address of that entry. */
static uint64_t map_flags(uint64_t la, uint64_t pa, uint64_t flags,
			  bool large)
{
	enum paging_mode m = paging_mode(env_cur->c);
	int last = (m == PAGING_32 ? 1 : m == PAGING_PAE ? 2 : 3) - large;
	uint64_t f[4], epa[4];
	/* Upper levels stay user-accessible and writable; the final entry
	 * decides. */
	for (int i = 0; i < last; i++)
		f[i] = PTE_P | PTE_RW | PTE_US | (flags & PTE_XD);
	if (m == PAGING_PAE)
		f[0] = PTE_P;
	f[last] = flags;
	env_map(la, pa, large ? (m == PAGING_32 ? 22 : 21) : 12, f, epa);
	return epa[last];
}

static uint64_t map(uint64_t la, uint64_t pa)
{
	return map_flags(la, pa, PRU, false);
}

enum op { OP_READ, OP_WRITE, OP_PROBE_WRITE, OP_FETCH, OP_IMPLICIT_READ };

static uint64_t op_run(struct cpu *c, enum op op, int seg, uint64_t off,
		       unsigned size, uint64_t v)
{
	uint8_t b[8] = { 0 };
	uint64_t fetched = 0;
	switch (op) {
	case OP_READ:
		return mem_read(c, seg, off, size);
	case OP_WRITE:
		mem_write(c, seg, off, size, v);
		break;
	case OP_PROBE_WRITE:
		mem_probe_write(c, seg, off, size);
		break;
	case OP_FETCH:
		mem_fetch(c, off, b, size);
		memcpy(&fetched, b, 8);
		return fetched;
	case OP_IMPLICIT_READ:
		return lin_read(c, off, size, ACC_IMPLICIT_SV);
	}
	return 0;
}

static struct env_access do_op(struct env *e, enum op op, int seg,
				uint64_t off, unsigned size, uint64_t v)
{
	return ENV_ACCESS(e->c, op_run(e->c, op, seg, off, size, v));
}

static struct env_access rd(struct env *e, int seg, uint64_t off,
			    unsigned size)
{
	return do_op(e, OP_READ, seg, off, size, 0);
}

static struct env_access wr(struct env *e, int seg, uint64_t off,
			    unsigned size, uint64_t v)
{
	return do_op(e, OP_WRITE, seg, off, size, v);
}

static void expect_fault(struct env_access r, int vector, uint32_t ec)
{
	if (!r.fault || r.vector != vector || r.ec != ec)
		print_error("expected %s(0x%x), got %s(0x%x)\n", exc_name(vector),
			    ec, r.fault ? exc_name(r.vector) : "no fault", r.ec);
	assert_true(r.fault);
	assert_int_equal(r.vector, vector);
	assert_int_equal(r.ec, ec);
}

static void expect_ok(struct env *e, struct env_access r)
{
	if (r.fault)
		print_error("unexpected %s(0x%x): %s\n", exc_name(r.vector), r.ec,
			    e->c->fault.reason);
	assert_false(r.fault);
}

/* Segment types (SDM Vol. 3A table 3-1). */
enum {
	T_RO = 0x1, T_RW = 0x3, T_RO_DOWN = 0x5, T_RW_DOWN = 0x7,
	T_XO = 0x9, T_XR = 0xb, T_XO_CONF = 0xd, T_XR_CONF = 0xf,
};

struct seg_case {
	const char *name;
	bool real_mode;
	int seg;
	unsigned type;
	bool big;          /* D/B */
	uint32_t limit;
	uint64_t off;
	unsigned size;
	bool write;
	int expect;        /* OK, EXC_GP or EXC_SS */
};

static const struct seg_case seg_cases[] = {
	{ "expand-up: last byte at the limit", 0, SEG_DS, T_RW, 1, 0xfff, 0xffc, 4, 0, OK },
	{ "expand-up: last byte past the limit", 0, SEG_DS, T_RW, 1, 0xfff, 0xffd, 4, 0, EXC_GP },
	{ "expand-up: offset past the limit", 0, SEG_ES, T_RW, 1, 0xfff, 0x1000, 1, 1, EXC_GP },
	{ "expand-up: SS past the limit is #SS", 0, SEG_SS, T_RW, 1, 0xfff, 0xffe, 4, 1, EXC_SS },
	{ "expand-up: 4-GiB limit", 0, SEG_FS, T_RW, 1, 0xffffffffu, 0xfffffffcu, 4, 0, OK },
	{ "expand-up: 4-GiB limit, last byte beyond", 0, SEG_FS, T_RW, 1, 0xffffffffu, 0xfffffffdu, 4, 0, EXC_GP },
	{ "expand-down: offset at the limit", 0, SEG_DS, T_RW_DOWN, 1, 0xfff, 0xfff, 1, 0, EXC_GP },
	{ "expand-down: offset above the limit", 0, SEG_DS, T_RW_DOWN, 1, 0xfff, 0x1000, 4, 1, OK },
	{ "expand-down: straddling the limit", 0, SEG_DS, T_RW_DOWN, 1, 0xfff, 0xffe, 4, 0, EXC_GP },
	{ "expand-down B = 1: up to FFFFFFFFH", 0, SEG_DS, T_RW_DOWN, 1, 0xfff, 0xfffffffcu, 4, 0, OK },
	{ "expand-down B = 1: beyond FFFFFFFFH", 0, SEG_DS, T_RW_DOWN, 1, 0xfff, 0xfffffffdu, 4, 0, EXC_GP },
	{ "expand-down B = 0: up to FFFFH", 0, SEG_DS, T_RO_DOWN, 0, 0xfff, 0xfffe, 2, 0, OK },
	{ "expand-down B = 0: beyond FFFFH", 0, SEG_DS, T_RO_DOWN, 0, 0xfff, 0xffff, 2, 0, EXC_GP },
	{ "expand-down B = 0: offset 10000H", 0, SEG_DS, T_RO_DOWN, 0, 0xfff, 0x10000, 1, 0, EXC_GP },
	{ "expand-down SS at the limit is #SS", 0, SEG_SS, T_RW_DOWN, 1, 0xfff, 0x800, 4, 1, EXC_SS },
	{ "expand-down SS above the limit", 0, SEG_SS, T_RW_DOWN, 1, 0xfff, 0x2000, 4, 1, OK },
	{ "write to read-only data", 0, SEG_DS, T_RO, 1, 0xffff, 0x10, 4, 1, EXC_GP },
	{ "read of read-only data", 0, SEG_DS, T_RO, 1, 0xffff, 0x10, 4, 0, OK },
	{ "write to read-only expand-down data", 0, SEG_GS, T_RO_DOWN, 1, 0xfff, 0x2000, 4, 1, EXC_GP },
	{ "write through SS to read-only data is #SS", 0, SEG_SS, T_RO, 1, 0xffff, 0x10, 4, 1, EXC_SS },
	{ "write to readable code", 0, SEG_CS, T_XR, 1, 0xffff, 0x10, 4, 1, EXC_GP },
	{ "write to a code segment via DS", 0, SEG_DS, T_XR, 1, 0xffff, 0x10, 1, 1, EXC_GP },
	{ "read of readable code", 0, SEG_DS, T_XR, 1, 0xffff, 0x10, 4, 0, OK },
	{ "read of execute-only code", 0, SEG_DS, T_XO, 1, 0xffff, 0x10, 4, 0, EXC_GP },
	{ "read of conforming readable code", 0, SEG_ES, T_XR_CONF, 1, 0xffff, 0x10, 4, 0, OK },
	{ "read of conforming execute-only code", 0, SEG_ES, T_XO_CONF, 1, 0xffff, 0x10, 4, 0, EXC_GP },
	{ "code segment limit", 0, SEG_CS, T_XR, 1, 0xffff, 0xffff, 2, 0, EXC_GP },
	{ "real mode: write through CS", 1, SEG_CS, T_XR, 0, 0xffff, 0x10, 2, 1, OK },
	{ "real mode: word at FFFFH", 1, SEG_DS, T_RW, 0, 0xffff, 0xffff, 2, 0, EXC_GP },
	{ "real mode: stack word at FFFFH is #SS", 1, SEG_SS, T_RW, 0, 0xffff, 0xffff, 2, 1, EXC_SS },
	{ "real mode: byte at FFFFH", 1, SEG_ES, T_RW, 0, 0xffff, 0xffff, 1, 1, OK },
	{ "real mode: 4-GiB limit kept from protected mode", 1, SEG_DS, T_RW, 0, 0xffffffffu, 0x100000, 4, 1, OK },
};

static void test_segment_checks(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	for (size_t i = 0; i < sizeof(seg_cases) / sizeof(seg_cases[0]); i++) {
		const struct seg_case *t = &seg_cases[i];
		env_paging(PAGING_OFF);
		if (t->real_mode)
			c->cr0 &= ~CR0_PE;
		struct seg *s = &c->seg[t->seg];
		s->base = 0x10000;
		s->limit = t->limit;
		s->attr = t->type | SEG_ATTR_S | SEG_ATTR_P |
			  (t->big ? SEG_ATTR_DB : 0);
		s->sel = 0x28;
		struct env_access r =
			t->write ? wr(e, t->seg, t->off, t->size, 0x5a)
				 : rd(e, t->seg, t->off, t->size);
		if (t->expect == OK) {
			if (r.fault)
				print_error("%s: %s\n", t->name, c->fault.reason);
			assert_false(r.fault);
		} else {
			if (!r.fault || r.vector != t->expect)
				print_error("%s: got %s\n", t->name,
					    r.fault ? exc_name(r.vector) : "no fault");
			static const char *const names[] = { "ES:", "CS:", "SS:",
							     "DS:", "FS:", "GS:" };
			expect_fault(r, t->expect, 0);
			/* The reason names the segment and offset. */
			assert_non_null(strstr(c->fault.reason, names[t->seg]));
		}
	}
}

/* A null selector leaves the segment unusable: #GP(0), #SS(0) for SS. */
static void test_unusable_segment(void **state)
{
	struct env *e = *state;
	env_paging(PAGING_OFF);
	e->c->seg[SEG_DS].attr |= SEG_ATTR_UNUSABLE;
	e->c->seg[SEG_SS].attr |= SEG_ATTR_UNUSABLE;
	expect_fault(rd(e, SEG_DS, 0, 1), EXC_GP, 0);
	assert_non_null(strstr(e->c->fault.reason, "unusable"));
	expect_fault(wr(e, SEG_SS, 0, 4, 0), EXC_SS, 0);
	expect_ok(e, rd(e, SEG_ES, 0, 4));
}

/* Outside 64-bit mode the linear address wraps at 4 GiB, also within
 * one access. */
static void test_wrap_at_4g(void **state)
{
	struct env *e = *state;
	env_paging(PAGING_OFF);
	struct seg *ds = &e->c->seg[SEG_DS];
	ds->base = 0xfffff000u;
	env_set(0x1000, 4, 0xcafef00d);
	struct env_access r = rd(e, SEG_DS, 0x2000, 4);
	expect_ok(e, r);
	assert_int_equal(r.value, 0xcafef00d);

	/* Bytes at FFFFFFFEH-FFFFFFFFH are not RAM (all ones); 0-1 are. */
	ds->base = 0xfffffffeu;
	env_set(0, 2, 0x1234);
	r = rd(e, SEG_DS, 0, 4);
	expect_ok(e, r);
	assert_int_equal(r.value, 0x1234ffff);
	/* The offset is still limit-checked: FFFFFFFEH + 4 passes it. */
	ds->base = 0;
	expect_fault(rd(e, SEG_DS, 0xfffffffeu, 4), EXC_GP, 0);
}

/* 64-bit mode: no limit or type checks, only FS and GS bases, canonical
 * addresses (SDM Vol. 3A 3.4.4, 5.3.1). */
static void test_64bit_addressing(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_4LEVEL);
	map_flags(0, 0, PRU, true);
	for (uint64_t la = 0x200000; la < 0x1000000; la += 0x200000)
		map_flags(la, la, PRU, true);
	env_set(0x3000, 8, 0x1122334455667788ull);
	env_set(0x4010, 4, 0xfeedface);

	c->seg[SEG_DS].base = 0x5000;
	c->seg[SEG_DS].limit = 0;
	c->seg[SEG_DS].attr = T_RO | SEG_ATTR_S | SEG_ATTR_P;
	struct env_access r = rd(e, SEG_DS, 0x3000, 8);
	expect_ok(e, r);
	assert_int_equal(r.value, 0x1122334455667788ull);
	expect_ok(e, wr(e, SEG_DS, 0x3000, 8, 1));   /* read-only ignored */
	c->seg[SEG_ES].attr |= SEG_ATTR_UNUSABLE;
	expect_ok(e, rd(e, SEG_ES, 0x3000, 4));       /* null ES usable */

	c->seg[SEG_FS].base = 0x4000;
	r = rd(e, SEG_FS, 0x10, 4);
	expect_ok(e, r);
	assert_int_equal(r.value, 0xfeedface);
	c->seg[SEG_GS].base = 0x4008;
	r = rd(e, SEG_GS, 0x8, 4);
	expect_ok(e, r);
	assert_int_equal(r.value, 0xfeedface);

	expect_fault(rd(e, SEG_DS, 0x0000800000000000ull, 1), EXC_GP, 0);
	expect_fault(wr(e, SEG_SS, 0xffff7fffffffffffull, 8, 0), EXC_SS, 0);
	/* The last byte decides too. */
	expect_fault(rd(e, SEG_DS, 0x00007ffffffffffeull, 4), EXC_GP, 0);
	c->seg[SEG_FS].base = 0x00007ffffffff000ull;
	expect_fault(rd(e, SEG_FS, 0x1000, 1), EXC_GP, 0);
	assert_non_null(strstr(c->fault.reason, "canonical"));

	/* Compatibility mode: limits apply again and addresses are 32-bit. */
	c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_L) | SEG_ATTR_DB;
	c->seg[SEG_DS].base = 0;
	c->seg[SEG_DS].limit = 0xfff;
	c->seg[SEG_DS].attr = T_RW | SEG_ATTR_S | SEG_ATTR_P | SEG_ATTR_DB;
	expect_fault(rd(e, SEG_DS, 0x3000, 4), EXC_GP, 0);
	c->seg[SEG_DS].limit = 0xffffffffu;
	c->seg[SEG_DS].base = 0xfffff000u;
	r = rd(e, SEG_DS, 0x4010, 4);    /* wraps to 0x3010 */
	expect_ok(e, r);
	assert_int_equal(r.value, env_get(0x3010, 4));
}

/* #AC(0): CR0.AM = 1, EFLAGS.AC = 1, CPL 3, misaligned explicit access;
 * segment checks come first, then #AC, then paging. */
static void test_alignment_check(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_32);
	map(0x400000, 0x200000);
	c->cr0 |= CR0_AM;
	c->rflags |= FLAG_AC;
	c->cpl = 3;
	expect_fault(rd(e, SEG_DS, 0x400002, 4), EXC_AC, 0);
	expect_fault(wr(e, SEG_DS, 0x400001, 2, 0), EXC_AC, 0);
	expect_fault(rd(e, SEG_DS, 0x400004, 8), EXC_AC, 0);
	expect_ok(e, rd(e, SEG_DS, 0x400004, 4));
	expect_ok(e, rd(e, SEG_DS, 0x400003, 1));
	/* Implicit supervisor accesses are not checked. */
	expect_ok(e, do_op(e, OP_IMPLICIT_READ, 0, 0x400002, 4, 0));
	/* #AC before #PF on a missing page. */
	expect_fault(rd(e, SEG_DS, 0x800002, 4), EXC_AC, 0);
	expect_fault(rd(e, SEG_DS, 0x800000, 4), EXC_PF, 0x04);
	/* The limit check comes first. */
	c->seg[SEG_DS].limit = 0x400001;
	expect_fault(rd(e, SEG_DS, 0x400001, 4), EXC_GP, 0);
	c->seg[SEG_DS].limit = 0xffffffffu;
	/* Each condition is needed. */
	c->cpl = 0;
	expect_ok(e, rd(e, SEG_DS, 0x400002, 4));
	c->cpl = 3;
	c->rflags &= ~(uint64_t)FLAG_AC;
	expect_ok(e, rd(e, SEG_DS, 0x400002, 4));
	c->rflags |= FLAG_AC;
	c->cr0 &= ~CR0_AM;
	expect_ok(e, rd(e, SEG_DS, 0x400002, 4));
}

/* A write that spans two pages checks both before writing a byte, and
 * CR2 is the first address on the page that faulted. */
static void test_page_crossing(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_32);
	map(0x400000, 0x200000);
	env_set(0x200ffc, 4, 0x44332211);

	struct env_access r = wr(e, SEG_DS, 0x400ffe, 4, 0xaabbccdd);
	expect_fault(r, EXC_PF, 0x02);
	assert_int_equal(r.cr2, 0x401000);
	assert_int_equal(env_get(0x200ffc, 4), 0x44332211);
	r = do_op(e, OP_PROBE_WRITE, SEG_DS, 0x400ffe, 4, 0);
	expect_fault(r, EXC_PF, 0x02);
	assert_int_equal(r.cr2, 0x401000);

	/* Second page read-only with WP = 1. */
	map_flags(0x401000, 0x300000, PTE_P | PTE_US, false);
	c->cr0 |= CR0_WP;
	r = wr(e, SEG_DS, 0x400ffe, 4, 0xaabbccdd);
	expect_fault(r, EXC_PF, 0x03);
	assert_int_equal(r.cr2, 0x401000);
	assert_int_equal(env_get(0x200ffc, 4), 0x44332211);
	/* ... which reads fine, from both pages. */
	env_set(0x300000, 2, 0x6655);
	r = rd(e, SEG_DS, 0x400ffe, 4);
	expect_ok(e, r);
	assert_int_equal(r.value, 0x66554433);

	map(0x401000, 0x300000);
	tlb_flush_page(c, 0x401000);
	r = do_op(e, OP_PROBE_WRITE, SEG_DS, 0x400ffe, 4, 0);
	expect_ok(e, r);
	assert_int_equal(env_get(0x200ffc, 4), 0x44332211);
	expect_ok(e, wr(e, SEG_DS, 0x400ffd, 8, 0x8877665544332211ull));
	assert_int_equal(env_get(0x200ffd, 3), 0x332211);
	assert_int_equal(env_get(0x300000, 5), 0x8877665544ull);

	/* The first page faults first. */
	r = wr(e, SEG_DS, 0x3ffffe, 4, 0);
	expect_fault(r, EXC_PF, 0x02);
	assert_int_equal(r.cr2, 0x3ffffe);
}

/* Instruction fetch across a page boundary: CR2 is the second page. */
static void test_fetch(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_32);
	map(0x400000, 0x200000);
	env_set(0x200ffe, 2, 0x0f90);
	struct env_access r = do_op(e, OP_FETCH, 0, 0x400ffe, 4, 0);
	expect_fault(r, EXC_PF, 0x00);
	assert_int_equal(r.cr2, 0x401000);
	map(0x401000, 0x300000);
	env_set(0x300000, 2, 0xc3cc);
	r = do_op(e, OP_FETCH, 0, 0x400ffe, 4, 0);
	expect_ok(e, r);
	assert_int_equal(r.value, 0xc3cc0f90);

	/* After a fetch the TLB gives the host byte and the physical
	 * address without a walk. */
	const uint8_t *p = memf_fetch_ptr(c, 0x400ffe);
	assert_non_null(p);
	assert_int_equal(p[0], 0x90);
	uint64_t pa;
	assert_true(memf_fetch_pa(c, 0x400ffe, &pa));
	assert_int_equal(pa, 0x200ffe);
	assert_null(memf_fetch_ptr(c, 0x500000));
	if (ENV_CATCH(c, assert_int_equal(tlb_fetch_pa(c, 0x401002),
					  0x300002)) >= 0)
		fail_msg("%s", c->fault.reason);
}

/* Translations stay cached until invalidated; INVLPG drops the page for
 * both privilege sets. */
static void test_invlpg(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_32);
	map(0x400000, 0x200000);
	env_set(0x200000, 4, 0xaaaa);
	env_set(0x300000, 4, 0xbbbb);
	assert_int_equal(rd(e, SEG_DS, 0x400000, 4).value, 0xaaaa);
	c->cpl = 3;
	assert_int_equal(rd(e, SEG_DS, 0x400000, 4).value, 0xaaaa);
	map(0x400000, 0x300000);
	assert_int_equal(rd(e, SEG_DS, 0x400000, 4).value, 0xaaaa);
	tlb_flush_page(c, 0x400abc);
	assert_int_equal(rd(e, SEG_DS, 0x400000, 4).value, 0xbbbb);
	c->cpl = 0;
	assert_int_equal(rd(e, SEG_DS, 0x400000, 4).value, 0xbbbb);

	/* A large page goes as a whole, whichever address is named. */
	env_paging(PAGING_PAE);
	map_flags(0x40000000, 0x200000, PRU, true);
	env_set(0x201000, 4, 0x1111);
	env_set(0x205000, 4, 0x5555);
	env_set(0x601000, 4, 0x1112);
	env_set(0x605000, 4, 0x5556);
	assert_int_equal(rd(e, SEG_DS, 0x40001000, 4).value, 0x1111);
	assert_int_equal(rd(e, SEG_DS, 0x40005000, 4).value, 0x5555);
	map_flags(0x40000000, 0x600000, PRU, true);
	assert_int_equal(rd(e, SEG_DS, 0x40005000, 4).value, 0x5555);
	tlb_flush_page(c, 0x40001000);
	assert_int_equal(rd(e, SEG_DS, 0x40005000, 4).value, 0x5556);
	assert_int_equal(rd(e, SEG_DS, 0x40001000, 4).value, 0x1112);
}

/* Maps two pages, one global, reads both, then remaps both; returns
 * with the TLB holding the old translations. */
static void two_pages(struct env *e, uint64_t la_g, uint64_t la_n)
{
	map_flags(la_g, 0x200000, PRU | PTE_G, false);
	map(la_n, 0x201000);
	env_set(0x200000, 4, 0xa0);
	env_set(0x201000, 4, 0xa1);
	env_set(0x300000, 4, 0xb0);
	env_set(0x301000, 4, 0xb1);
	assert_int_equal(rd(e, SEG_DS, la_g, 4).value, 0xa0);
	assert_int_equal(rd(e, SEG_DS, la_n, 4).value, 0xa1);
	map_flags(la_g, 0x300000, PRU | PTE_G, false);
	map(la_n, 0x301000);
}

static uint64_t rd32(struct env *e, uint64_t la)
{
	struct env_access r = rd(e, SEG_DS, la, 4);
	expect_ok(e, r);
	return r.value;
}

/* MOV CR3 keeps global entries (CR4.PGE = 1) and drops the rest; with
 * PGE = 0 G is ignored; a PGE change drops everything. */
static void test_cr3_and_global(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	const uint64_t g = 0x7f0000400000ull, n = 0x7f0000801000ull;

	env_paging(PAGING_4LEVEL);
	c->cr4 |= CR4_PGE;
	two_pages(e, g, n);
	tlb_on_cr_write(c, 3, c->cr3, c->cr3);
	assert_int_equal(rd32(e, g), 0xa0);
	assert_int_equal(rd32(e, n), 0xb1);
	tlb_flush_nonglobal(c);
	assert_int_equal(rd32(e, g), 0xa0);
	uint64_t old = c->cr4;
	c->cr4 &= ~CR4_PGE;
	tlb_on_cr_write(c, 4, old, c->cr4);
	assert_int_equal(rd32(e, g), 0xb0);

	env_paging(PAGING_4LEVEL);
	two_pages(e, g, n);           /* PGE = 0 */
	tlb_on_cr_write(c, 3, c->cr3, c->cr3);
	assert_int_equal(rd32(e, g), 0xb0);
	assert_int_equal(rd32(e, n), 0xb1);

	env_paging(PAGING_4LEVEL);
	c->cr4 |= CR4_PGE;
	two_pages(e, g, n);
	tlb_flush_all(c);
	assert_int_equal(rd32(e, g), 0xb0);
	assert_int_equal(rd32(e, n), 0xb1);
}

/* PCIDs (SDM Vol. 3A 4.10.4.1): bit 63 of the MOV CR3 source keeps the
 * current PCID's entries; other PCIDs' entries are not held. */
static void test_pcid(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	const uint64_t g = 0x7f0000400000ull, n = 0x7f0000801000ull;
	uint64_t base;

#define PCID_SETUP()                                                    \
	do {                                                            \
		env_paging(PAGING_4LEVEL);                             \
		c->cr4 |= CR4_PGE | CR4_PCIDE;                  \
		base = c->cr3;                                          \
		c->cr3 = base | 1;                                      \
		two_pages(e, g, n);                                     \
	} while (0)

	PCID_SETUP();
	tlb_on_cr_write(c, 3, c->cr3, base | 1 | CR3_NOFLUSH);
	assert_int_equal(rd32(e, n), 0xa1);    /* kept */
	tlb_on_cr_write(c, 3, c->cr3, base | 1);
	assert_int_equal(rd32(e, n), 0xb1);    /* dropped */
	assert_int_equal(rd32(e, g), 0xa0);

	PCID_SETUP();
	tlb_on_cr_write(c, 3, base | 1, base | 2 | CR3_NOFLUSH);
	c->cr3 = base | 2;
	assert_int_equal(rd32(e, n), 0xb1);
	assert_int_equal(rd32(e, g), 0xa0);

	/* INVPCID type 0: one address of one PCID, not globals. */
	PCID_SETUP();
	tlb_invpcid(c, 0, 2, n);
	assert_int_equal(rd32(e, n), 0xa1);
	tlb_invpcid(c, 0, 1, g);
	assert_int_equal(rd32(e, g), 0xa0);
	tlb_invpcid(c, 0, 1, n);
	assert_int_equal(rd32(e, n), 0xb1);

	/* Type 1: one PCID, not globals. */
	PCID_SETUP();
	tlb_invpcid(c, 1, 7, 0);
	assert_int_equal(rd32(e, n), 0xa1);
	tlb_invpcid(c, 1, 1, 0);
	assert_int_equal(rd32(e, n), 0xb1);
	assert_int_equal(rd32(e, g), 0xa0);

	/* Type 2: everything; type 3: everything but globals. */
	PCID_SETUP();
	tlb_invpcid(c, 3, 0, 0);
	assert_int_equal(rd32(e, n), 0xb1);
	assert_int_equal(rd32(e, g), 0xa0);
	tlb_invpcid(c, 2, 0, 0);
	assert_int_equal(rd32(e, g), 0xb0);
#undef PCID_SETUP
}

/* Control-register bits folded into the cached permissions drop the TLB
 * when they change; others leave it. */
static void test_cr_changes(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	static const struct { int cr; uint64_t bit; bool flushes; } bits[] = {
		{ 0, CR0_PG, true }, { 0, CR0_WP, true },
		{ 0, CR0_AM, false }, { 0, 1ull << 30 /* CD */, false },
		{ 4, CR4_PSE, true }, { 4, CR4_PAE, true },
		{ 4, CR4_PGE, true }, { 4, CR4_LA57, true },
		{ 4, CR4_PCIDE, true }, { 4, CR4_SMEP, true },
		{ 4, CR4_SMAP, true }, { 4, CR4_PKE, true },
		{ 4, 1ull << 9 /* OSFXSR */, false },
		{ 4, 1ull << 13 /* VMXE */, false },
	};
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		env_paging(PAGING_32);
		two_pages(e, 0x400000, 0x801000);
		uint64_t cur = bits[i].cr == 0 ? c->cr0 : c->cr4;
		tlb_on_cr_write(c, bits[i].cr, cur, cur ^ bits[i].bit);
		assert_int_equal(rd32(e, 0x801000), bits[i].flushes ? 0xb1 : 0xa1);
	}
	/* EFER.NXE is folded in as well. */
	env_paging(PAGING_PAE);
	two_pages(e, 0x400000, 0x801000);
	tlb_on_efer_write(c, c->efer, c->efer | EFER_NXE);
	assert_int_equal(rd32(e, 0x801000), 0xb1);

	/* CR0.WP: a supervisor write to a read-only page succeeds with
	 * WP = 0 and faults once WP = 1 is in effect. */
	env_paging(PAGING_32);
	map_flags(0x400000, 0x200000, PTE_P | PTE_US | PTE_D, false);
	expect_ok(e, wr(e, SEG_DS, 0x400000, 4, 1));
	uint64_t old = c->cr0;
	c->cr0 |= CR0_WP;
	tlb_on_cr_write(c, 0, old, c->cr0);
	expect_fault(wr(e, SEG_DS, 0x400000, 4, 2), EXC_PF, 0x03);
}

/* The first write to a page sets D in its PTE even when the TLB already
 * holds the page from a read. */
static void test_dirty_after_read(void **state)
{
	struct env *e = *state;
	env_paging(PAGING_32);
	uint64_t pte = map(0x400000, 0x200000);
	expect_ok(e, rd(e, SEG_DS, 0x400000, 4));
	assert_true(env_get(pte, 4) & PTE_A);
	assert_false(env_get(pte, 4) & PTE_D);
	expect_ok(e, wr(e, SEG_DS, 0x400010, 4, 7));
	assert_true(env_get(pte, 4) & PTE_D);
	assert_int_equal(env_get(0x200010, 4), 7);
	/* Now the fast path writes. */
	assert_non_null(memf_tlb(e->c, 0x400020, 4, true));
	expect_ok(e, wr(e, SEG_DS, 0x400020, 4, 8));
	assert_int_equal(env_get(0x200020, 4), 8);
}

/* SMAP depends on EFLAGS.AC, which STAC/CLAC change without a flush;
 * SMEP and user/supervisor use separate entries. */
static void test_privilege_sets(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_32);
	c->cr4 |= CR4_SMAP | CR4_SMEP;
	map(0x400000, 0x200000);
	c->rflags |= FLAG_AC;
	expect_ok(e, rd(e, SEG_DS, 0x400000, 4));
	expect_ok(e, wr(e, SEG_DS, 0x400000, 4, 1));
	c->rflags &= ~(uint64_t)FLAG_AC;
	expect_fault(rd(e, SEG_DS, 0x400000, 4), EXC_PF, 0x01);
	expect_fault(wr(e, SEG_DS, 0x400000, 4, 2), EXC_PF, 0x03);
	c->rflags |= FLAG_AC;
	expect_ok(e, rd(e, SEG_DS, 0x400000, 4));

	/* A user fetch caches nothing a supervisor fetch can use. */
	c->cpl = 3;
	expect_ok(e, do_op(e, OP_FETCH, 0, 0x400000, 4, 0));
	c->cpl = 0;
	expect_fault(do_op(e, OP_FETCH, 0, 0x400000, 4, 0), EXC_PF, 0x11);

	/* An implicit access at CPL 3 caches nothing a user access can use. */
	env_paging(PAGING_32);
	map_flags(0x400000, 0x200000, PTE_P | PTE_RW, false);
	c->cpl = 3;
	expect_ok(e, do_op(e, OP_IMPLICIT_READ, 0, 0x400000, 4, 0));
	expect_fault(rd(e, SEG_DS, 0x400000, 4), EXC_PF, 0x05);
	c->cpl = 0;
	expect_ok(e, rd(e, SEG_DS, 0x400000, 4));
	c->cpl = 3;
	expect_fault(rd(e, SEG_DS, 0x400000, 4), EXC_PF, 0x05);
}

/* WRPKRU flushes (our cache folds PKRU into the tags). */
static void test_pkru_change(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_4LEVEL);
	c->cr4 |= CR4_PKE;
	map_flags(0x400000, 0x200000, PRU | (3ull << 59), false);
	c->cpl = 3;
	expect_ok(e, rd(e, SEG_DS, 0x400000, 4));
	c->pkru = 1u << 6;   /* AD3 */
	tlb_flush_all(c);
	expect_fault(rd(e, SEG_DS, 0x400000, 4), EXC_PF, 0x25);
	c->pkru = 1u << 7;   /* WD3 */
	tlb_flush_all(c);
	expect_ok(e, rd(e, SEG_DS, 0x400000, 4));
	expect_fault(wr(e, SEG_DS, 0x400000, 4, 0), EXC_PF, 0x27);
}

/* Writes to pages holding cached code never take the fast path: they
 * drop the overlapping blocks and raise ATTN_CODE_CHANGED. */
static void test_code_pages(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_OFF);
	/* A write tag first, then the page becomes code. */
	expect_ok(e, wr(e, SEG_DS, 0x5000, 4, 0x90909090));
	assert_non_null(memf_tlb(c, 0x5000, 4, true));
	struct block *b = block_alloc(1);
	b->pa = 0x5000;
	b->bytes = 4;
	b->n = 1;
	b->code_size = 4;
	code_cache_insert(e->cc, b);
	assert_true(code_cache_is_code_page(e->cc, 0x5000));
	assert_null(memf_tlb(c, 0x5000, 4, true));
	assert_non_null(memf_tlb(c, 0x5000, 4, false));

	c->attention = 0;
	expect_ok(e, wr(e, SEG_DS, 0x5800, 4, 1));  /* same page, no overlap */
	assert_true(c->attention & ATTN_CODE_CHANGED);
	assert_non_null(code_cache_find(e->cc, 0x5000, 4));
	assert_null(memf_tlb(c, 0x5800, 4, true));
	c->attention = 0;
	expect_ok(e, wr(e, SEG_DS, 0x5002, 1, 0xcc));
	assert_true(c->attention & ATTN_CODE_CHANGED);
	assert_null(code_cache_find(e->cc, 0x5000, 4));
	assert_int_equal(e->ram[0x5002], 0xcc);
	code_cache_free_dropped(e->cc);

	/* Other pages do not raise it. */
	c->attention = 0;
	expect_ok(e, wr(e, SEG_DS, 0x7000, 4, 1));
	assert_false(c->attention & ATTN_CODE_CHANGED);
}

/* MMIO is never cached: every access reaches the bus. */
static void test_mmio(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_OFF);
	unsigned before = e->mmio_reads;
	struct env_access r = rd(e, SEG_DS, 0xfee00020u, 4);
	expect_ok(e, r);
	assert_int_equal(r.value, 0xffffffffu);
	expect_ok(e, rd(e, SEG_DS, 0xfee00020u, 4));
	assert_int_equal(e->mmio_reads, before + 2);
	assert_int_equal(e->mmio_pa, 0xfee00020u);
	assert_int_equal(e->mmio_size, 4);
	expect_ok(e, wr(e, SEG_DS, 0xfee000b0u, 4, 0));
	expect_ok(e, wr(e, SEG_DS, 0xfee000b0u, 4, 0x12345678));
	assert_int_equal(e->mmio_writes, 2);
	assert_int_equal(e->mmio_val, 0x12345678);
	assert_null(memf_tlb(c, 0xfee00020u, 4, false));

	/* Through paging too. */
	env_paging(PAGING_32);
	map(0x400000, 0xfec00000u);
	before = e->mmio_reads;
	expect_ok(e, rd(e, SEG_DS, 0x400010, 4));
	expect_ok(e, rd(e, SEG_DS, 0x400010, 4));
	assert_int_equal(e->mmio_reads, before + 2);
	assert_int_equal(e->mmio_pa, 0xfec00010u);
}

/* Physical access: all ones and ignored writes where there is no RAM,
 * and accesses may span RAM and non-RAM. */
static void test_phys(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	assert_int_equal(phys_read(c, 0xfff00000u, 4), 0xffffffffu);
	assert_int_equal(phys_read(c, 0x4000000000ull, 8), ~0ull);
	phys_write(c, 0xfff00000u, 4, 0);
	env_set(ENV_BIG_RAM - 2, 2, 0xbeef);
	assert_int_equal(phys_read(c, ENV_BIG_RAM - 2, 4), 0xffffbeef);
	phys_write(c, 0x1ffe, 4, 0x11223344);
	assert_int_equal(env_get(0x1ffe, 4), 0x11223344);
	assert_int_equal(phys_read(c, 0x1ffe, 4), 0x11223344);
}

/* A misaligned access in linear page 0 goes through the page tables
 * whatever TLB entry 0 holds: never filled, or filled and invalidated
 * (its old host address must not be used). An invalid tag once matched
 * a word at an odd address there. */
static void test_misaligned_page0(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_32);
	map(0, 0x200000);
	env_set(0x20003d, 2, 0x1234);
	assert_int_equal(rd(e, SEG_DS, 0x3d, 2).value, 0x1234);
	expect_ok(e, wr(e, SEG_DS, 0x1, 4, 0xa1b2c3d4));
	assert_int_equal(env_get(0x200001, 4), 0xa1b2c3d4);

	/* Fill entry 0, remap the page, INVLPG: the entry's host address
	 * is stale. */
	assert_int_equal(rd(e, SEG_DS, 0x10, 4).value, env_get(0x200010, 4));
	map(0, 0x300000);
	tlb_flush_page(c, 0);
	env_set(0x30003d, 2, 0x5678);
	assert_int_equal(rd(e, SEG_DS, 0x3d, 2).value, 0x5678);
	expect_ok(e, wr(e, SEG_DS, 0x5, 4, 0x01020304));
	assert_int_equal(env_get(0x300005, 4), 0x01020304);
	assert_int_equal(env_get(0x200005, 4), 0);
}

/* Without paging there are no access rights (SDM Vol. 3A 4.6): CR4.SMEP,
 * SMAP and PKE, which MOV to CR4 accepts with CR0.PG = 0, refuse
 * nothing, at CPL 0 or 3. */
static void test_no_paging_no_rights(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	env_paging(PAGING_OFF);
	c->cr4 = CR4_SMEP | CR4_SMAP | CR4_PKE;
	c->pkru = 0xffffffff;
	env_set(0x3000, 4, 0x90909090);
	for (int cpl = 0; cpl <= 3; cpl += 3) {
		c->cpl = cpl;
		tlb_flush_all(c);
		assert_int_equal(do_op(e, OP_FETCH, SEG_CS, 0x3000, 4, 0).value,
				 0x90909090);
		assert_int_equal(rd(e, SEG_DS, 0x3000, 4).value, 0x90909090);
		expect_ok(e, wr(e, SEG_DS, 0x3004, 4, 0x1234));
		expect_ok(e, do_op(e, OP_IMPLICIT_READ, 0, 0x3000, 4, 0));
	}
}

/* Every test gets a fresh machine (env_setup()). */
#define MEM_TEST(f) cmocka_unit_test_setup_teardown(f, env_setup, env_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		MEM_TEST(test_segment_checks),
		MEM_TEST(test_unusable_segment),
		MEM_TEST(test_wrap_at_4g),
		MEM_TEST(test_64bit_addressing),
		MEM_TEST(test_alignment_check),
		MEM_TEST(test_page_crossing),
		MEM_TEST(test_fetch),
		MEM_TEST(test_invlpg),
		MEM_TEST(test_cr3_and_global),
		MEM_TEST(test_pcid),
		MEM_TEST(test_cr_changes),
		MEM_TEST(test_dirty_after_read),
		MEM_TEST(test_privilege_sets),
		MEM_TEST(test_pkru_change),
		MEM_TEST(test_code_pages),
		MEM_TEST(test_mmio),
		MEM_TEST(test_phys),
		MEM_TEST(test_misaligned_page0),
		MEM_TEST(test_no_paging_no_rights),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
