/* The machine the unit tests run the CPU on: RAM on a bus whose ports and
 * interrupt controller a test may plug in, a code cache and one CPU. It
 * puts the CPU in real, flat 32-bit or 64-bit mode, or in any paging mode
 * with tables built by env_map(); writes guest memory directly or as a
 * loader does; builds GDT descriptors; and runs one instruction, decoded
 * from bytes or built by hand as a struct insn (so that handler tests do
 * not depend on the decoder), with a raised fault caught.
 *
 * A test binary has one machine at a time, the current one, which the
 * memory helpers act on: env_open() makes it and env_close() ends it;
 * env_cpu() makes a default one of ENV_RAM bytes if none is open. */
#ifndef TESTS_UNIT_ENV_H
#define TESTS_UNIT_ENV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mem.h"
#include "cpu/paging.h"
#include "cpu/seg.h"
#include "cpu/state.h"
#include "cpu/tlb.h"
#include "cpu/regs.h"

#define ENV_RAM 0x100000u  /* RAM of the default machine */
#define ENV_PT 0x1000u     /* its page tables: PML4, PDPT, PD, PT */
#define ENV_HOLE 0x80000u  /* a page ENV_LONG64 leaves not present */
#define ENV_RIP 0x10000u   /* rIP after env_cpu() */
#define ENV_GDT 0x20000u   /* the GDT of env_gdt_put() */

struct env {
	uint8_t *ram;
	uint64_t ram_bytes;
	struct bus bus;
	struct code_cache *cc;
	struct cpu *c;
	/* Devices a test plugs in; NULL is none: ports read all ones and
	 * ignore writes, and no interrupt is pending. env_cpu() unplugs
	 * them. */
	uint32_t (*port_in)(struct env *e, uint16_t port, unsigned size);
	void (*port_out)(struct env *e, uint16_t port, unsigned size,
			 uint32_t val);
	int (*intr_ack)(struct env *e);
	/* Accesses outside RAM, which read all ones: counts and the last. */
	unsigned mmio_reads, mmio_writes;
	uint64_t mmio_pa, mmio_val;
	unsigned mmio_size;
	/* Page tables are taken from here up (env_table()). */
	uint64_t tables, next_table;
};

static struct env *env_cur;

/* ---- the bus ---- */

static inline uint8_t *env_bus_ram_page(void *ctx, uint64_t pa)
{
	struct env *e = ctx;
	pa &= ~0xfffull;
	return pa < e->ram_bytes ? e->ram + pa : NULL;
}

static inline uint64_t env_bus_mmio_read(void *ctx, uint64_t pa,
					 unsigned size)
{
	struct env *e = ctx;
	e->mmio_reads++;
	e->mmio_pa = pa;
	e->mmio_size = size;
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static inline void env_bus_mmio_write(void *ctx, uint64_t pa, unsigned size,
				      uint64_t val)
{
	struct env *e = ctx;
	e->mmio_writes++;
	e->mmio_pa = pa;
	e->mmio_size = size;
	e->mmio_val = val;
}

static inline uint32_t env_bus_port_in(void *ctx, uint16_t port,
				       unsigned size)
{
	struct env *e = ctx;
	return e->port_in ? e->port_in(e, port, size) : ~0u;
}

static inline void env_bus_port_out(void *ctx, uint16_t port, unsigned size,
				    uint32_t val)
{
	struct env *e = ctx;
	if (e->port_out)
		e->port_out(e, port, size, val);
}

static inline int env_bus_intr_ack(void *ctx)
{
	struct env *e = ctx;
	return e->intr_ack ? e->intr_ack(e) : -1;
}

static inline void env_bus_shutdown(void *ctx, const char *why)
{
	(void)ctx, (void)why;
}

static const struct bus_ops env_bus_ops = {
	.ram_page = env_bus_ram_page,
	.mmio_read = env_bus_mmio_read,
	.mmio_write = env_bus_mmio_write,
	.port_in = env_bus_port_in,
	.port_out = env_bus_port_out,
	.intr_ack = env_bus_intr_ack,
	.shutdown = env_bus_shutdown,
};

/* ---- the machine ---- */

/* A machine of ram_bytes of zeroed RAM (a multiple of 4 KiB) whose CPU
 * has model (NULL for the default) and takes page tables from tables
 * up; it becomes the current machine. */
static inline struct env *env_open(uint64_t ram_bytes,
				   const struct cpu_model *model,
				   uint64_t tables)
{
	struct env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	e->ram = aligned_alloc(4096, ram_bytes);
	assert_non_null(e->ram);
	memset(e->ram, 0, ram_bytes);
	e->ram_bytes = ram_bytes;
	e->bus = (struct bus){ &env_bus_ops, e };
	e->cc = code_cache_create(ram_bytes);
	e->c = cpu_create(&e->bus, e->cc, model, 0);
	assert_non_null(e->c);
	e->tables = e->next_table = tables;
	env_cur = e;
	return e;
}

static inline void env_close(struct env *e)
{
	cpu_destroy(e->c);
	code_cache_destroy(e->cc);
	free(e->ram);
	if (env_cur == e)
		env_cur = NULL;
	free(e);
}

/* cmocka fixtures for tests that want a fresh machine each, big enough
 * for large pages: ENV_BIG_RAM of RAM, page tables from ENV_BIG_TABLES
 * up, and the CPU model *state points to on entry (NULL: the default). */
#define ENV_BIG_RAM (16u << 20)
#define ENV_BIG_TABLES 0x100000u

static inline int env_setup(void **state)
{
	*state = env_open(ENV_BIG_RAM, *state, ENV_BIG_TABLES);
	return 0;
}

static inline int env_teardown(void **state)
{
	env_close(*state);
	return 0;
}

/* ---- guest memory of the current machine ---- */

/* Host address of physical address pa, which must be RAM. Writes through
 * it, like env_set(), are not reported to the code cache: load code
 * with env_load(). */
static inline uint8_t *env_ptr(uint64_t pa)
{
	assert_true(pa < env_cur->ram_bytes);
	return env_cur->ram + pa;
}

/* size (1 to 8) bytes at pa, little-endian. */
static inline uint64_t env_get(uint64_t pa, unsigned size)
{
	uint64_t v = 0;
	assert_true(pa + size <= env_cur->ram_bytes);
	memcpy(&v, env_cur->ram + pa, size);
	return v;
}

static inline void env_set(uint64_t pa, unsigned size, uint64_t v)
{
	assert_true(pa + size <= env_cur->ram_bytes);
	memcpy(env_cur->ram + pa, &v, size);
}

/* Copies bytes to pa as a loader does: the code cache is told, so that
 * blocks decoded from the old bytes are dropped. */
static inline void env_load(uint64_t pa, const void *bytes, size_t len)
{
	memcpy(env_ptr(pa), bytes, len);
	code_cache_note_write(env_cur->cc, pa, len);
}

/* ---- page tables ---- */

/* A fresh, zeroed 4-KiB table. */
static inline uint64_t env_table(void)
{
	uint64_t t = env_cur->next_table;
	assert_true(t + 4096 <= env_cur->ram_bytes);
	env_cur->next_table += 4096;
	return t;
}

/* Clears every table handed out and starts again from the first. */
static inline void env_tables_reset(void)
{
	memset(env_ptr(env_cur->tables), 0,
	       env_cur->next_table - env_cur->tables);
	env_cur->next_table = env_cur->tables;
}

/* Maps la to pa with a page of 1 << page_shift bytes in the CPU's
 * current paging mode, from CR3 down, taking missing tables from
 * env_table(); flags[i] are the flags of the entry at level i from the
 * top (PS is added to a large page's). Stores each entry's physical
 * address in epa (if not NULL) and returns the number of levels. */
static inline int env_map(uint64_t la, uint64_t pa, unsigned page_shift,
			  const uint64_t *flags, uint64_t *epa)
{
	struct cpu *c = env_cur->c;
	enum paging_mode m = paging_mode(c);
	unsigned esize = m == PAGING_32 ? 4 : 8;
	unsigned step = m == PAGING_32 ? 10 : 9;
	unsigned shift;
	uint64_t table;
	switch (m) {
	case PAGING_32: shift = 22; table = c->cr3 & 0xfffff000u; break;
	case PAGING_PAE: shift = 30; table = c->cr3 & 0xffffffe0u; break;
	case PAGING_4LEVEL: shift = 39; table = c->cr3 & ~0xfffull; break;
	default: shift = 48; table = c->cr3 & ~0xfffull; break;
	}
	for (int i = 0;; i++, shift -= step) {
		unsigned ibits = (m == PAGING_PAE && i == 0) ? 2 : step;
		uint64_t a = table +
			     ((la >> shift) & ((1u << ibits) - 1)) * esize;
		if (epa)
			epa[i] = a;
		if (shift == page_shift) {
			uint64_t v = (pa & ~((1ull << shift) - 1)) | flags[i];
			/* PSE-36: PA bits 39:32 in PDE bits 20:13. */
			if (m == PAGING_32 && shift == 22)
				v = (pa & 0xffc00000u) | ((pa >> 32) << 13) |
				    flags[i];
			if (shift > 12)
				v |= PTE_PS;
			env_set(a, esize, v);
			if (m == PAGING_PAE)
				paging_load_pdptes(c, c->cr3);
			return i + 1;
		}
		uint64_t cur = env_get(a, esize);
		uint64_t next = (cur & PTE_P) ? (cur & 0x000ffffffffff000ull)
					      : env_table();
		env_set(a, esize, next | flags[i]);
		table = next;
	}
}

/* ---- modes ---- */

/* Flat protected mode with paging in mode m (PAGING_OFF for none) and
 * fresh, empty tables: CR0 = PE | ET (| PG), CR4 and EFER only what the
 * mode needs, CPL 0, EFLAGS 2, PKRU 0. RAM is left as it is. */
static inline void env_paging(enum paging_mode m)
{
	struct cpu *c = env_cur->c;
	env_tables_reset();
	cpu_enter_flat_protected_mode(c);
	c->cr0 = CR0_PE | 0x10;  /* ET */
	c->efer = 0;
	c->cr4 = 0;
	c->cpl = 0;
	c->rflags = 2;
	c->pkru = 0;
	memset(c->pdpte, 0, sizeof(c->pdpte));
	c->cr3 = env_table();
	switch (m) {
	case PAGING_32:
		c->cr4 = CR4_PSE;
		break;
	case PAGING_PAE:
		c->cr4 = CR4_PAE;
		break;
	case PAGING_5LEVEL:
		c->cr4 = CR4_LA57;
		/* fall through */
	case PAGING_4LEVEL:
		c->cr4 |= CR4_PAE;
		c->efer = EFER_LME | EFER_LMA;
		c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr | SEG_ATTR_L) &
				      ~SEG_ATTR_DB;
		break;
	default:
		break;
	}
	if (m != PAGING_OFF)
		c->cr0 |= CR0_PG;
	tlb_flush_all(c);
}

enum env_mode {
	/* cpu_enter_flat_protected_mode(): 32-bit code, paging off. */
	ENV_FLAT32,
	/* 64-bit mode with 4-level paging at ENV_PT identity-mapping the
	 * first MiB in user-writable 4-KiB pages, but ENV_HOLE. */
	ENV_LONG64,
	/* Real-address mode entered from ENV_FLAT32 by clearing CR0.PE:
	 * the segments keep base 0 and their 4-GiB limits. */
	ENV_REAL,
};

/* The current machine's CPU after RESET in mode, with zeroed RAM (the
 * code cache told), no devices plugged in and rIP = ENV_RIP. Opens a
 * default machine of ENV_RAM bytes if none is open. */
static inline struct cpu *env_cpu(enum env_mode mode)
{
	static const uint64_t user_rw[4] = {
		PTE_P | PTE_RW | PTE_US, PTE_P | PTE_RW | PTE_US,
		PTE_P | PTE_RW | PTE_US, PTE_P | PTE_RW | PTE_US,
	};
	if (!env_cur)
		env_open(ENV_RAM, NULL, ENV_PT);
	struct env *e = env_cur;
	struct cpu *c = e->c;
	memset(e->ram, 0, e->ram_bytes);
	code_cache_note_write(e->cc, 0, e->ram_bytes);
	e->next_table = e->tables;
	e->port_in = NULL;
	e->port_out = NULL;
	e->intr_ack = NULL;
	cpu_reset(c);
	cpu_enter_flat_protected_mode(c);
	if (mode == ENV_REAL) {
		c->cr0 &= ~CR0_PE;
		seg_refresh_mode(c);
	} else if (mode == ENV_LONG64) {
		c->cr3 = env_table();
		c->cr4 |= CR4_PAE;
		c->efer |= EFER_LME | EFER_LMA;
		c->cr0 |= CR0_PG | CR0_PE;
		c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_DB) |
				      SEG_ATTR_L;
		for (uint64_t pa = 0; pa < ENV_RAM; pa += 4096)
			if (pa != ENV_HOLE)
				env_map(pa, pa, 12, user_rw, NULL);
		tlb_flush_all(c);
	}
	c->rip = c->next_rip = ENV_RIP;
	return c;
}

/* CPL cpl, with the DPL of CS and SS to match. */
static inline void env_set_cpl(struct cpu *c, int cpl)
{
	c->cpl = cpl;
	uint32_t dpl = (uint32_t)cpl << SEG_ATTR_DPL_SHIFT;
	c->seg[SEG_SS].attr = (c->seg[SEG_SS].attr & ~SEG_ATTR_DPL) | dpl;
	c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_DPL) | dpl;
}

/* ---- descriptors (SDM Vol. 3A 3.4.5, 5.8.3, 6.11) ---- */

/* A segment descriptor: access is the byte of P, DPL, S and type; flags
 * the nibble of G, D/B, L and AVL. */
static inline uint64_t env_desc(uint32_t base, uint32_t limit,
				unsigned access, unsigned flags)
{
	uint64_t lo = (limit & 0xffff) | ((uint64_t)(base & 0xffff) << 16);
	uint64_t hi = ((base >> 16) & 0xff) | ((uint64_t)access << 8) |
		      (((limit >> 16) & 0xf) << 16) | ((uint64_t)flags << 20) |
		      (base & 0xff000000u);
	return lo | (hi << 32);
}

/* A gate (or the first half of an IA-32e one): low is a call gate's
 * parameter count or an IA-32e interrupt gate's IST. */
static inline uint64_t env_gate(uint16_t sel, uint32_t off, unsigned access,
				unsigned low)
{
	uint64_t lo = (off & 0xffff) | ((uint64_t)sel << 16);
	uint64_t hi = (off & 0xffff0000u) | ((uint64_t)access << 8) | low;
	return lo | (hi << 32);
}

/* Puts descriptor d in the GDT at ENV_GDT for selector sel. */
static inline void env_gdt_put(uint16_t sel, uint64_t d)
{
	env_set(ENV_GDT + (sel & ~7u), 8, d);
}

/* GDTR = ENV_GDT with the limit that ends the table at end. */
static inline void env_gdt_load(struct cpu *c, uint16_t end)
{
	c->gdtr.base = ENV_GDT;
	c->gdtr.limit = (uint32_t)end - 1;
}

/* The segment cache the GDT's descriptor for sel gives. */
static inline struct seg env_gdt_cache(uint16_t sel)
{
	struct seg_desc d = {
		.lo = (uint32_t)env_get(ENV_GDT + (sel & ~7u), 4),
		.hi = (uint32_t)env_get(ENV_GDT + (sel & ~7u) + 4, 4),
	};
	return seg_cache_from_desc(&d, sel);
}

/* Sets sreg from the GDT without the checks of a load, as a loader
 * would, and the CPL from the result. */
static inline void env_seg_load(struct cpu *c, int sreg, uint16_t sel)
{
	c->seg[sreg] = env_gdt_cache(sel);
	seg_refresh_mode(c);
}

/* ---- running instructions ---- */

/* Runs the statement stmt on c with raised faults caught. Evaluates to
 * -1 if stmt completes, or to the vector of the fault it raised
 * (c->fault has the rest). */
#define ENV_CATCH(c, stmt)                                                \
	__extension__({                                                   \
		struct cpu *env_catch_c = (c);                            \
		jmp_buf env_catch_jb;                                     \
		/* volatile, or gcc fears the longjmp() clobbers it. */   \
		volatile int env_catch_v = -1;                            \
		env_catch_c->fault_env = &env_catch_jb;                   \
		if (setjmp(env_catch_jb)) {                               \
			env_catch_v = env_catch_c->fault.vector;          \
		} else {                                                  \
			stmt;                                             \
		}                                                         \
		env_catch_c->fault_env = NULL;                            \
		env_catch_v;                                              \
	})

/* What an access did: the fault it raised, or the value it gave. */
struct env_access {
	bool fault;
	int vector;      /* the fault's vector, error code and CR2 */
	uint32_t ec;
	uint64_t cr2;
	uint64_t value;
};

/* Evaluates expr, an access by c that gives a value, with a raised
 * fault caught; gives a struct env_access. */
#define ENV_ACCESS(c, expr)                                               \
	__extension__({                                                   \
		struct cpu *env_access_c = (c);                           \
		volatile uint64_t env_access_value = 0;                   \
		int env_access_v = ENV_CATCH(env_access_c,                \
					     env_access_value = (expr));  \
		env_access_v < 0 ?                                        \
			(struct env_access){                              \
				.value = env_access_value } :             \
			(struct env_access){                              \
				.fault = true, .vector = env_access_v,    \
				.ec = env_access_c->fault.error_code,     \
				.cr2 = env_access_c->fault.cr2 };         \
	})

/* Runs i->fn as the run loop does: next_rip past the instruction, and
 * back at rip if it faults. Returns -1 or the fault's vector. The
 * instruction count stays as it is (the TSC stands still). */
static inline int env_step(struct cpu *c, const struct insn *i)
{
	c->next_rip = c->rip + i->len;
	int v = ENV_CATCH(c, i->fn(c, i));
	if (v >= 0)
		c->next_rip = c->rip;
	return v;
}

static inline unsigned env_widx(unsigned size)
{
	return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

/* Runs impl's handler for i's operand size and form (register or
 * memory), or returns EXC_UD if there is none. rIP stays: next_rip says
 * where execution would go on. */
static inline int env_exec(struct cpu *c, const struct insn_impl *impl,
			   struct insn *i)
{
	i->fn = impl->fn[env_widx(i->opsize)][i->mod != 3];
	if (!i->fn)
		return EXC_UD;
	return env_step(c, i);
}

/* Decodes bytes (exactly one instruction) for the current code size and
 * runs it; when it completes, rIP moves on to next_rip. */
static inline int env_run(struct cpu *c, const uint8_t *bytes, unsigned len)
{
	struct insn i;
	assert_int_equal(decode_insn(&i, bytes, len, cpu_code_size(c)), len);
	int v = env_step(c, &i);
	if (v < 0)
		c->rip = c->next_rip;
	return v;
}

/* env_run() of the bytes given as arguments: ENV_RUN(c, 0x0f, 0x31). */
#define ENV_RUN(c, ...)                                                   \
	env_run((c), (const uint8_t[]){ __VA_ARGS__ },                    \
		sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* A register-form instruction of opsize bytes (64-bit addressing, DS):
 * ModRM reg and rm operands. */
static inline struct insn env_reg(unsigned opsize, unsigned reg, unsigned rm)
{
	struct insn i;
	memset(&i, 0, sizeof(i));
	i.len = 3;
	i.opsize = (uint8_t)opsize;
	i.addrsize = 8;
	i.seg = SEG_DS;
	i.mod = 3;
	i.reg = (uint8_t)reg;
	i.rm = (uint8_t)rm;
	i.base = i.index = INSN_REG_NONE;
	return i;
}

/* An instruction of len bytes with no ModRM operand. */
static inline struct insn env_insn(unsigned opsize, unsigned len)
{
	struct insn i = env_reg(opsize, 0, 0);
	i.len = (uint8_t)len;
	return i;
}

/* A memory-form instruction: [base + disp]. */
static inline struct insn env_mem(unsigned opsize, unsigned reg,
				  unsigned base, int64_t disp)
{
	struct insn i = env_reg(opsize, reg, 0);
	i.mod = disp ? 2 : 0;
	i.base = (uint8_t)base;
	i.disp = disp;
	return i;
}

/* Checks that got, the result of running an instruction, is vector
 * (-1 for none); #GP must have error code 0, and the fault's reason
 * must contain needle if that is not NULL. */
static inline void env_expect(struct cpu *c, int got, int vector,
			      const char *needle)
{
	if (got != vector)
		fail_msg("vector %d, expected %d (reason \"%s\")", got, vector,
			 got >= 0 ? c->fault.reason : "");
	if (vector == EXC_GP) {
		assert_true(c->fault.has_error_code);
		assert_int_equal(c->fault.error_code, 0);
	}
	if (vector >= 0 && needle && !strstr(c->fault.reason, needle))
		fail_msg("reason \"%s\" does not mention \"%s\"",
			 c->fault.reason, needle);
}

#endif
