/* Debug breakpoints against the SDM (Vol. 3B 18.2.4, 18.2.5, 18.3): the
 * LEN encodings and the alignment of DRn to LEN, matching on any byte of
 * an access, R/W types and enables, I/O breakpoints only with CR4.DE = 1;
 * the software TLB keeping pages of armed data breakpoints on the slow
 * path; and, through the run loop, the trap after the access, the trap
 * after one iteration of REP MOVSB, RF = 1 in an interrupt frame taken
 * between iterations, and matches of a faulting instruction dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/env.h"
#include "cpu/debug.h"
#include "cpu/regs.h"

enum { EN_L = 1, EN_G = 2, EN_LG = 3 };
enum { RW_X = 0, RW_W = 1, RW_IO = 2, RW_RW = 3 };
/* LEN encodings: 00 1 byte, 01 2 bytes, 10 8 bytes, 11 4 bytes. */
enum { LEN1 = 0, LEN2 = 1, LEN8 = 2, LEN4 = 3 };


/* DR7 for breakpoint n with enables en, R/W rw and LEN len. */
static uint64_t dr7_bp(unsigned n, unsigned en, unsigned rw, unsigned len)
{
	return 0x400 | ((uint64_t)en << (2 * n)) |
	       ((uint64_t)rw << (16 + 4 * n)) | ((uint64_t)len << (18 + 4 * n));
}

/* DR0-DR7 with one breakpoint n at addr. */
static void one_bp(uint64_t dr[8], unsigned n, unsigned en, unsigned rw,
		   unsigned len, uint64_t addr)
{
	memset(dr, 0, 8 * sizeof(dr[0]));
	dr[6] = 0xffff0ff0;
	dr[n] = addr;
	dr[7] = dr7_bp(n, en, rw, len);
}

static void test_len_encodings(void **state)
{
	(void)state;
	assert_int_equal(debug_len_bytes(LEN1), 1);
	assert_int_equal(debug_len_bytes(LEN2), 2);
	assert_int_equal(debug_len_bytes(LEN8), 8);
	assert_int_equal(debug_len_bytes(LEN4), 4);
}

/* Rows written from SDM Vol. 3B 18.2.5: the range is LEN bytes from DRn
 * with its low log2(LEN) bits cleared, and an access hits if any of its
 * bytes is in the range. */
static const struct data_case {
	const char *what;
	unsigned en, rw, len;
	uint64_t drn, la;
	unsigned size;
	bool write, hit;
} data_cases[] = {
	{ "W 1: the byte", EN_L, RW_W, LEN1, 0x1003, 0x1003, 1, true, true },
	{ "W 1: byte after", EN_L, RW_W, LEN1, 0x1003, 0x1004, 1, true, false },
	{ "W 1: byte before", EN_L, RW_W, LEN1, 0x1003, 0x1002, 1, true, false },
	{ "W 1: dword over it", EN_L, RW_W, LEN1, 0x1003, 0x1000, 4, true, true },
	{ "W 1: word ending on it", EN_L, RW_W, LEN1, 0x1003, 0x1002, 2, true, true },
	{ "W 1: a read", EN_L, RW_W, LEN1, 0x1003, 0x1003, 1, false, false },
	{ "RW 1: a read", EN_L, RW_RW, LEN1, 0x1003, 0x1003, 1, false, true },
	{ "RW 1: a write", EN_L, RW_RW, LEN1, 0x1003, 0x1003, 1, true, true },
	{ "W 2: last byte", EN_L, RW_W, LEN2, 0x1002, 0x1003, 1, true, true },
	{ "W 2: byte before", EN_L, RW_W, LEN2, 0x1002, 0x1001, 1, true, false },
	{ "W 2: byte after", EN_L, RW_W, LEN2, 0x1002, 0x1004, 1, true, false },
	{ "W 2: qword ending on it", EN_L, RW_W, LEN2, 0x1002, 0x0ffc, 8, true, true },
	{ "W 4: last byte", EN_L, RW_W, LEN4, 0x1004, 0x1007, 1, true, true },
	{ "W 4: byte after", EN_L, RW_W, LEN4, 0x1004, 0x1008, 1, true, false },
	{ "W 4: byte before", EN_L, RW_W, LEN4, 0x1004, 0x1003, 1, true, false },
	{ "W 4: word across its start", EN_L, RW_W, LEN4, 0x1004, 0x1003, 2, true, true },
	{ "W 8: last byte", EN_L, RW_W, LEN8, 0x1008, 0x100f, 1, true, true },
	{ "W 8: byte after", EN_L, RW_W, LEN8, 0x1008, 0x1010, 1, true, false },
	{ "W 8: byte before", EN_L, RW_W, LEN8, 0x1008, 0x1007, 1, true, false },
	{ "W 8: misaligned qword", EN_L, RW_W, LEN8, 0x1008, 0x1001, 8, true, true },
	{ "RW 8: dword read", EN_L, RW_RW, LEN8, 0x1008, 0x100c, 4, false, true },
	/* DRn is aligned down to LEN. */
	{ "W 2 at 2n+1: 2n", EN_L, RW_W, LEN2, 0x1003, 0x1002, 1, true, true },
	{ "W 2 at 2n+1: 2n+2", EN_L, RW_W, LEN2, 0x1003, 0x1004, 1, true, false },
	{ "W 4 at 4n+1: 4n", EN_L, RW_W, LEN4, 0x1005, 0x1004, 1, true, true },
	{ "W 4 at 4n+1: 4n+4", EN_L, RW_W, LEN4, 0x1005, 0x1008, 1, true, false },
	{ "W 8 at 8n+7: 8n", EN_L, RW_W, LEN8, 0x100f, 0x1008, 1, true, true },
	{ "W 8 at 8n+7: 8n+8", EN_L, RW_W, LEN8, 0x100f, 0x1010, 1, true, false },
	/* Enables: Ln or Gn. */
	{ "disabled", 0, RW_RW, LEN4, 0x1004, 0x1004, 4, true, false },
	{ "G alone", EN_G, RW_RW, LEN4, 0x1004, 0x1004, 4, true, true },
	{ "L and G", EN_LG, RW_RW, LEN4, 0x1004, 0x1004, 4, true, true },
	/* Other R/W types never match data. */
	{ "instruction type", EN_L, RW_X, LEN1, 0x1004, 0x1004, 1, false, false },
	{ "I/O type", EN_L, RW_IO, LEN1, 0x1004, 0x1004, 1, true, false },
	/* 64-bit linear addresses compare in full. */
	{ "64-bit: same", EN_L, RW_W, LEN8, 0xffff800000001008ull,
	  0xffff80000000100cull, 4, true, true },
	{ "64-bit: other upper bits", EN_L, RW_W, LEN8, 0xffff800000001008ull,
	  0x100c, 4, true, false },
};

static void test_data_matching(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(data_cases) / sizeof(data_cases[0]); k++) {
		const struct data_case *t = &data_cases[k];
		for (unsigned n = 0; n < 4; n++) {
			uint64_t dr[8];
			one_bp(dr, n, t->en, t->rw, t->len, t->drn);
			unsigned got = debug_match_data(dr, t->la, t->size, t->write);
			unsigned want = t->hit ? 1u << n : 0;
			if (got != want)
				fail_msg("%s (DR%u): B bits 0x%x, expected 0x%x",
					 t->what, n, got, want);
		}
	}
}

/* Every matching breakpoint reports its B bit in the same #DB. */
static void test_several_breakpoints_match_at_once(void **state)
{
	(void)state;
	uint64_t dr[8] = { 0x2000, 0x3000, 0x2004, 0x2001, 0, 0, 0xffff0ff0, 0 };
	dr[7] = dr7_bp(0, EN_L, RW_W, LEN4) | dr7_bp(1, EN_L, RW_W, LEN4) |
		dr7_bp(2, EN_G, RW_RW, LEN4) | dr7_bp(3, EN_L, RW_W, LEN1);
	assert_int_equal(debug_match_data(dr, 0x2001, 4, true), 0xd);
	assert_int_equal(debug_match_data(dr, 0x2001, 4, false), 0x4);
}

static void test_instruction_matching(void **state)
{
	(void)state;
	uint64_t dr[8];
	one_bp(dr, 2, EN_L, RW_X, LEN1, 0x4000);
	assert_int_equal(debug_match_insn(dr, 0x4000), 1u << 2);
	assert_int_equal(debug_match_insn(dr, 0x4001), 0);
	assert_int_equal(debug_match_insn(dr, 0x3fff), 0);
	one_bp(dr, 2, 0, RW_X, LEN1, 0x4000);
	assert_int_equal(debug_match_insn(dr, 0x4000), 0);
	one_bp(dr, 2, EN_L, RW_RW, LEN1, 0x4000);
	assert_int_equal(debug_match_insn(dr, 0x4000), 0);
}

/* SDM Vol. 3B 18.2.4: R/W = 10 is an I/O breakpoint only with CR4.DE = 1
 * (undefined otherwise: no breakpoint here); ports match like bytes. */
static const struct io_case {
	const char *what;
	unsigned en, rw, len;
	uint64_t drn;
	uint16_t port;
	unsigned size;
	bool hit_de;     /* with CR4.DE = 1; never with DE = 0 */
} io_cases[] = {
	{ "1: the port", EN_L, RW_IO, LEN1, 0x80, 0x80, 1, true },
	{ "1: next port", EN_L, RW_IO, LEN1, 0x80, 0x81, 1, false },
	{ "1: dword IN over it", EN_L, RW_IO, LEN1, 0x80, 0x7e, 4, true },
	{ "4: last port", EN_L, RW_IO, LEN4, 0x80, 0x83, 1, true },
	{ "4: port after", EN_L, RW_IO, LEN4, 0x80, 0x84, 1, false },
	{ "4: word across its start", EN_L, RW_IO, LEN4, 0x80, 0x7f, 2, true },
	{ "4: word before", EN_L, RW_IO, LEN4, 0x80, 0x7e, 2, false },
	{ "2 at 2n+1: 2n", EN_L, RW_IO, LEN2, 0x81, 0x80, 1, true },
	{ "8: last port", EN_G, RW_IO, LEN8, 0x3f8, 0x3ff, 1, true },
	{ "disabled", 0, RW_IO, LEN1, 0x80, 0x80, 1, false },
	{ "data write type", EN_L, RW_W, LEN1, 0x80, 0x80, 1, false },
	{ "data access type", EN_L, RW_RW, LEN1, 0x80, 0x80, 1, false },
	{ "instruction type", EN_L, RW_X, LEN1, 0x80, 0x80, 1, false },
	{ "DRn above the port space", EN_L, RW_IO, LEN1, 0x10080, 0x80, 1, false },
};

static void test_io_matching(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(io_cases) / sizeof(io_cases[0]); k++) {
		const struct io_case *t = &io_cases[k];
		uint64_t dr[8];
		one_bp(dr, 3, t->en, t->rw, t->len, t->drn);
		unsigned de = debug_match_io(dr, CR4_DE, t->port, t->size);
		unsigned no_de = debug_match_io(dr, 0, t->port, t->size);
		if (de != (t->hit_de ? 1u << 3 : 0))
			fail_msg("%s with CR4.DE = 1: B bits 0x%x", t->what, de);
		if (no_de)
			fail_msg("%s with CR4.DE = 0: B bits 0x%x", t->what, no_de);
		/* An I/O breakpoint never matches a memory access. */
		if (debug_match_data(dr, t->port, t->size, true) && t->rw == RW_IO)
			fail_msg("%s: an I/O breakpoint matched memory", t->what);
	}
}

static void test_page_watch(void **state)
{
	(void)state;
	uint64_t dr[8];
	one_bp(dr, 1, EN_L, RW_W, LEN4, 0x5ffc);
	assert_int_equal(debug_page_watch(dr, 0x5000), DEBUG_WATCH_WRITE);
	assert_int_equal(debug_page_watch(dr, 0x6000), 0);
	one_bp(dr, 1, EN_G, RW_RW, LEN8, 0x7009);
	assert_int_equal(debug_page_watch(dr, 0x7000),
			 DEBUG_WATCH_READ | DEBUG_WATCH_WRITE);
	one_bp(dr, 1, 0, RW_RW, LEN8, 0x7009);
	assert_int_equal(debug_page_watch(dr, 0x7000), 0);
	one_bp(dr, 1, EN_L, RW_X, LEN1, 0x7009);
	assert_int_equal(debug_page_watch(dr, 0x7000), 0);
	one_bp(dr, 1, EN_L, RW_IO, LEN1, 0x7009);
	assert_int_equal(debug_page_watch(dr, 0x7000), 0);
}

/* ---- the TLB ---- */

static const struct tlb_entry *entry(const struct cpu *c, uint64_t la)
{
	return &c->tlb.e[0][tlb_index(la)];
}

/* MOV DR1, RAX and MOV DR7, RAX as the guest would run them. */
static void mov_dr(struct cpu *c, unsigned n, uint64_t v)
{
	c->gpr[REG_RAX] = v;
	env_expect(c, ENV_RUN(c, 0x0f, 0x23, (uint8_t)(0xc0 | (n << 3))), -1,
		   NULL);
}

static void test_tlb_keeps_watched_pages_slow(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	env_expect(c, ENV_CATCH(c, mem_read32(c, SEG_DS, 0x6000)), -1, NULL);
	env_expect(c, ENV_CATCH(c, mem_write32(c, SEG_DS, 0x7000, 1)), -1, NULL);
	assert_int_equal(entry(c, 0x6000)->rtag, 0x6000);
	assert_int_equal(entry(c, 0x7000)->wtag, 0x7000);

	/* A read/write breakpoint at 0x6004: the page's tags go. */
	mov_dr(c, 1, 0x6004);
	mov_dr(c, 7, dr7_bp(1, EN_L, RW_RW, LEN4));
	assert_int_equal(entry(c, 0x6000)->rtag, TLB_TAG_INVALID);
	env_expect(c, ENV_CATCH(c, mem_read32(c, SEG_DS, 0x6000)), -1, NULL);
	env_expect(c, ENV_CATCH(c, mem_write32(c, SEG_DS, 0x6008, 1)), -1, NULL);
	env_expect(c, ENV_CATCH(c, mem_read32(c, SEG_DS, 0x7000)), -1, NULL);
	assert_int_equal(entry(c, 0x6000)->rtag, TLB_TAG_INVALID);
	assert_int_equal(entry(c, 0x6000)->wtag, TLB_TAG_INVALID);
	assert_int_equal(entry(c, 0x7000)->rtag, 0x7000);
	assert_false(c->attention & ATTN_TRAP);
	/* So the access to its bytes is seen. */
	env_expect(c, ENV_CATCH(c, mem_read8(c, SEG_DS, 0x6007)), -1, NULL);
	assert_true(c->attention & ATTN_TRAP);
	assert_int_equal(c->db_pending, 1u << 1);
	c->attention &= ~(uint32_t)ATTN_TRAP;
	c->db_pending = 0;

	/* A write breakpoint leaves the read tag. */
	mov_dr(c, 7, dr7_bp(1, EN_L, RW_W, LEN4));
	env_expect(c, ENV_CATCH(c, mem_read32(c, SEG_DS, 0x6004)), -1, NULL);
	env_expect(c, ENV_CATCH(c, mem_write32(c, SEG_DS, 0x6000, 1)), -1, NULL);
	assert_int_equal(entry(c, 0x6000)->rtag, 0x6000);
	assert_int_equal(entry(c, 0x6000)->wtag, TLB_TAG_INVALID);
	assert_false(c->attention & ATTN_TRAP);

	/* Moving the breakpoint to another page frees this one. */
	mov_dr(c, 1, 0x8004);
	env_expect(c, ENV_CATCH(c, mem_write32(c, SEG_DS, 0x6000, 1)), -1, NULL);
	assert_int_equal(entry(c, 0x6000)->wtag, 0x6000);
	mov_dr(c, 7, 0);
	assert_int_equal(c->dr[7], 0x400);
}

/* ---- through the run loop ---- */

#define IDT 0x21000u
#define HANDLERS 0x22000u  /* a HLT for vector v at HANDLERS + 16 * v */
#define STACK 0x30000u
#define SEL_CODE 0x10      /* the selectors of cpu_enter_flat_protected_mode */
#define SEL_DATA 0x18

/* Flat 32-bit protected mode with a GDT for its selectors and an IDT
 * whose interrupt gate v leads to a HLT, code loaded at ENV_RIP. */
static struct cpu *idt_cpu(bool cache, const uint8_t *code, size_t len)
{
	struct cpu *c = env_cpu(ENV_FLAT32);
	cpu_set_block_cache(c, cache);
	env_gdt_put(SEL_CODE, env_desc(0, 0xfffff, 0x9b, 0xc));
	env_gdt_put(SEL_DATA, env_desc(0, 0xfffff, 0x93, 0xc));
	env_gdt_load(c, SEL_DATA + 8);
	c->idtr.base = IDT;
	c->idtr.limit = 0x7ff;
	for (unsigned v = 0; v < 256; v++) {
		const uint8_t hlt = 0xf4;
		env_set(IDT + 8 * v, 8, env_gate(SEL_CODE, HANDLERS + 16 * v, 0x8e, 0));
		env_load(HANDLERS + 16 * v, &hlt, 1);
	}
	c->gpr[REG_RSP] = STACK;
	env_load(ENV_RIP, code, len);
	return c;
}

/* The vector whose handler the CPU halted in, or -1. */
static int handler_vector(const struct cpu *c)
{
	uint64_t off = c->rip - 1 - HANDLERS;
	if (c->rip <= HANDLERS || off >= 16 * 256 || off % 16)
		return -1;
	return (int)(off / 16);
}

/* The frame an event pushed: EIP, CS, EFLAGS. */
static uint32_t frame(const struct cpu *c, unsigned k)
{
	return (uint32_t)env_get((uint32_t)c->gpr[REG_RSP] + 4 * k, 4);
}

static void test_data_write_trap(void **state)
{
	(void)state;
	const uint8_t code[] = {
		0xa2, 0x00, 0x30, 0x00, 0x00, /* mov [0x3000], al */
		0x90,                         /* nop */
		0xf4,                         /* hlt */
	};
	for (int cache = 0; cache <= 1; cache++) {
		struct cpu *c = idt_cpu(cache, code, sizeof(code));
		c->gpr[REG_RAX] = 0x5a;
		c->dr[1] = 0x3000;
		c->dr[7] = dr7_bp(1, EN_L, RW_W, LEN1);
		assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
		assert_int_equal(handler_vector(c), EXC_DB);
		assert_int_equal(frame(c, 0), ENV_RIP + 5);
		assert_int_equal(c->dr[6], 0xffff0ff2);
		assert_int_equal(env_get(0x3000, 1), 0x5a);
		/* The byte next to it: no #DB. */
		c = idt_cpu(cache, code, sizeof(code));
		c->dr[1] = 0x3001;
		c->dr[7] = dr7_bp(1, EN_L, RW_W, LEN1);
		assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
		assert_int_equal(c->rip, ENV_RIP + 7);
	}
}

static void test_rep_movsb_traps_after_the_iteration(void **state)
{
	(void)state;
	const uint8_t code[] = { 0xf3, 0xa4, 0xf4 }; /* rep movsb ; hlt */
	for (int cache = 0; cache <= 1; cache++) {
		struct cpu *c = idt_cpu(cache, code, sizeof(code));
		c->gpr[REG_RSI] = 0x3000;
		c->gpr[REG_RDI] = 0x4000;
		c->gpr[REG_RCX] = 16;
		c->dr[1] = 0x4005;
		c->dr[7] = dr7_bp(1, EN_L, RW_W, LEN1);
		assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
		assert_int_equal(handler_vector(c), EXC_DB);
		assert_int_equal(frame(c, 0), ENV_RIP);
		assert_true(frame(c, 2) & FLAG_RF);
		assert_int_equal(c->gpr[REG_RCX], 10);
		assert_int_equal(c->gpr[REG_RSI], 0x3006);
		assert_int_equal(c->gpr[REG_RDI], 0x4006);
		assert_int_equal(c->dr[6], 0xffff0ff2);
	}
}

static bool ack_once_pending;

static int ack_once(struct env *e)
{
	(void)e;
	if (!ack_once_pending)
		return -1;
	ack_once_pending = false;
	return 0x20;
}

/* SDM Vol. 3B 18.3.1.1: an interrupt after any iteration of a repeated
 * string instruction but the last pushes RF = 1 and the instruction's
 * address. */
static void test_interrupt_between_iterations_pushes_rf(void **state)
{
	(void)state;
	const uint8_t code[] = {
		0xfb,       /* sti */
		0xf3, 0xaa, /* rep stosb */
		0xf4,       /* hlt */
	};
	for (int cache = 0; cache <= 1; cache++) {
		struct cpu *c = idt_cpu(cache, code, sizeof(code));
		env_cur->intr_ack = ack_once;
		ack_once_pending = true;
		c->gpr[REG_RDI] = 0x40000;
		c->gpr[REG_RCX] = 100000;
		cpu_set_intr(c, true);
		/* Each iteration counts against the budget. */
		assert_int_equal(cpu_run(c, 200000), CPU_STOP_HALTED);
		cpu_set_intr(c, false);
		assert_int_equal(handler_vector(c), 0x20);
		assert_int_equal(frame(c, 0), ENV_RIP + 1);
		assert_true(frame(c, 2) & FLAG_RF);
		assert_true(frame(c, 2) & FLAG_IF);
		assert_true(c->gpr[REG_RCX] > 0 && c->gpr[REG_RCX] < 100000);
		assert_false(c->rflags & FLAG_RF);
	}
}

/* A breakpoint hit by an instruction that then faults is not reported:
 * the instruction did not complete. */
static void test_fault_drops_the_match(void **state)
{
	(void)state;
	const uint8_t code[] = { 0xa4, 0xf4 }; /* movsb ; hlt */
	for (int cache = 0; cache <= 1; cache++) {
		struct cpu *c = idt_cpu(cache, code, sizeof(code));
		c->seg[SEG_ES].limit = 0xfff;
		c->gpr[REG_RSI] = 0x3000;
		c->gpr[REG_RDI] = 0x2000;
		c->dr[1] = 0x3000;
		c->dr[7] = dr7_bp(1, EN_L, RW_RW, LEN1);
		assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
		assert_int_equal(handler_vector(c), EXC_GP);
		assert_int_equal(frame(c, 1), ENV_RIP);  /* error code first */
		assert_int_equal(c->dr[6], 0xffff0ff0);
		assert_false(c->attention & ATTN_TRAP);
	}
}

static void test_io_breakpoint_needs_cr4_de(void **state)
{
	(void)state;
	const uint8_t code[] = { 0xe6, 0x80, 0xf4 }; /* out 0x80, al ; hlt */
	for (int de = 0; de <= 1; de++) {
		struct cpu *c = idt_cpu(true, code, sizeof(code));
		if (de)
			c->cr4 |= CR4_DE;
		c->dr[2] = 0x80;
		c->dr[7] = dr7_bp(2, EN_L, RW_IO, LEN1);
		assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
		if (de) {
			assert_int_equal(handler_vector(c), EXC_DB);
			assert_int_equal(frame(c, 0), ENV_RIP + 2);
			assert_int_equal(c->dr[6], 0xffff0ff4);
		} else {
			assert_int_equal(c->rip, ENV_RIP + 3);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_len_encodings),
		cmocka_unit_test(test_data_matching),
		cmocka_unit_test(test_several_breakpoints_match_at_once),
		cmocka_unit_test(test_instruction_matching),
		cmocka_unit_test(test_io_matching),
		cmocka_unit_test(test_page_watch),
		cmocka_unit_test(test_tlb_keeps_watched_pages_slow),
		cmocka_unit_test(test_data_write_trap),
		cmocka_unit_test(test_rep_movsb_traps_after_the_iteration),
		cmocka_unit_test(test_interrupt_between_iterations_pushes_rf),
		cmocka_unit_test(test_fault_drops_the_match),
		cmocka_unit_test(test_io_breakpoint_needs_cr4_de),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
