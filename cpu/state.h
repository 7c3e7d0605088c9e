/* The architectural and internal state of one CPU. Private to cpu/ and
 * vmx/; everyone else goes through cpu/cpu.h. */
#ifndef CPU_STATE_H
#define CPU_STATE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/fpstate.h"
#include "cpu/model.h"

/* A segment register's hidden part. attr uses the VMX access-rights layout
 * (SDM Vol. 3C 24.4.1): type 3:0, S 4, DPL 6:5, P 7, AVL 12, L 13, D/B 14,
 * G 15, unusable 16. limit is the expanded byte limit. */
struct seg {
	uint64_t base;
	uint32_t limit;
	uint32_t attr;
	uint16_t sel;
};

#define SEG_ATTR_TYPE 0x000fu
#define SEG_ATTR_S (1u << 4)
#define SEG_ATTR_DPL_SHIFT 5
#define SEG_ATTR_DPL (3u << 5)
#define SEG_ATTR_P (1u << 7)
#define SEG_ATTR_AVL (1u << 12)
#define SEG_ATTR_L (1u << 13)
#define SEG_ATTR_DB (1u << 14)
#define SEG_ATTR_G (1u << 15)
#define SEG_ATTR_UNUSABLE (1u << 16)

struct dtr {
	uint64_t base;
	uint32_t limit;
};

/* Lazily evaluated arithmetic flags (OF SF ZF AF PF CF). res holds the
 * last result sign-extended to 64 bits; aux holds what res cannot give:
 *   bit 0      SF delta (SF = res<63> ^ delta)
 *   bit 3      AF
 *   bits 15:8  PF delta byte (PF = even parity of res<7:0> ^ delta)
 *   bit 30     CF ^ OF
 *   bit 31     CF
 * ZF is res == 0. See cpu/flags.h. */
struct lazy_flags {
	uint64_t res;
	uint64_t aux;
};

/* One software-TLB entry: a linear page mapped to host memory for read,
 * write and fetch separately. A tag is the linear page address, or
 * TLB_TAG_INVALID; host address = linear address + addend. Only RAM pages
 * enter the TLB; MMIO always takes the slow path, and pages holding cached
 * code never get a write tag. */
#define TLB_BITS 10
#define TLB_SIZE (1u << TLB_BITS)
/* No compared value ever has bits 3-11 set (a page address, plus at most
 * the low three bits of a misaligned access), so this never matches. */
#define TLB_TAG_INVALID 0xff8u
#define TLB_GLOBAL 1u

struct tlb_entry {
	uint64_t rtag, wtag, xtag;
	uintptr_t addend;
	uint64_t pa;     /* physical page address */
	uint32_t flags;  /* TLB_GLOBAL */
};

/* Index 0 is for supervisor accesses, 1 for user accesses (CPL 3 explicit
 * accesses): permissions differ, so each has its own entries. */
struct tlb {
	struct tlb_entry e[2][TLB_SIZE];
};

struct block;

/* The jump cache: the block last run at a linear address, so that the
 * common case skips the TLB probe and the code cache's hash. An entry is
 * valid while its epoch is the CPU's: every TLB flush and every dropped
 * block moves the epoch on. */
#define JCACHE_BITS 12
#define JCACHE_SIZE (1u << JCACHE_BITS)

struct jcache_entry {
	uint64_t la;
	uint32_t key;     /* code size | user << 4 */
	uint32_t epoch;
	struct block *block;
};

/* Attention bits: anything that must be looked at between instructions. */
enum {
	ATTN_INTR = 1u << 0,       /* INTR line high */
	ATTN_NMI = 1u << 1,        /* NMI pending */
	ATTN_STOP = 1u << 2,       /* stop requested */
	ATTN_CODE_CHANGED = 1u << 3, /* the running block may be stale */
	ATTN_MODE = 1u << 4,       /* something that changes decoding changed */
	ATTN_SHADOW = 1u << 5,     /* interrupt shadow active (STI, MOV SS) */
	ATTN_TRAP = 1u << 6,       /* a debug trap is due (db_pending) */
	ATTN_REPEAT = 1u << 7,     /* the instruction runs again (a REP string
				      instruction between bursts): leave the
				      block so RIP and the block agree */
	ATTN_INIT = 1u << 8,       /* INIT arrived while the CPU executed */
	ATTN_BUDGET = 1u << 9,     /* icount_limit moved nearer: leave the
				      block (cpu_limit_budget()) */
};

/* Why the last fault was raised, for the log and events. */
struct fault_info {
	int vector;
	uint32_t error_code;
	bool has_error_code;
	uint64_t cr2;          /* for #PF */
	char reason[256];
};

struct cpu {
	/* Hot state first. */
	uint64_t gpr[16];
	uint64_t rip;        /* of the executing instruction */
	uint64_t next_rip;   /* where execution continues; handlers of
				control transfers set it */
	uint64_t rflags;     /* all bits but OSZAPC, which live in lf */
	struct lazy_flags lf;
	uint32_t attention;
	int cpl;
	uint64_t icount;     /* cpu_icount() */
	uint64_t icount_limit;

	struct seg seg[SEG_COUNT];
	struct dtr gdtr, idtr;
	uint64_t cr0, cr2, cr3, cr4, cr8, xcr0;
	uint64_t dr[8];
	uint64_t efer;
	uint32_t pkru;
	/* PAE paging's PDPTE registers, loaded from the PDPT at MOV CR3 and
	 * the CR0/CR4 writes of SDM Vol. 3A 4.4.1 (paging_load_pdptes()). */
	uint64_t pdpte[4];
	/* The A20M# input (cpu_set_a20()): ANDed into every physical
	 * address; all ones, or bit 20 clear while the gate is closed. */
	uint64_t a20_mask;

	/* Model-specific registers, by name (cpu/msr.def says how each is
	 * read and written). */
	uint64_t star, lstar, cstar, fmask, kernel_gs_base, tsc_aux;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t pat, apic_base, misc_enable, feature_control, tsc_offset;
	uint64_t mtrr_def_type, mtrr_fixed[11], mtrr_var[16];
	uint64_t tsc_adjust;  /* IA32_TSC_ADJUST (SDM Vol. 3B 17.17.3) */
	/* RDRAND/RDSEED generator state (cpu/ops_msr.c): the machine seeds
	 * it so that runs repeat; any value, 0 included, is a valid seed. */
	uint64_t rand_state;

	/* Floating point and vectors (cpu/fpstate.h). */
	struct x87_state x87;
	uint32_t mxcsr;
	uint64_t xss;             /* IA32_XSS */
	union vreg v[VREG_COUNT];
	bool ferr;                /* FERR# output (cpu/x87.h) */
	bool ignne;               /* IGNNE# input (cpu_set_ignne()) */
	struct xrstor_info xrstor_info;

	/* Interrupt state. */
	bool intr_line;
	bool nmi_pending;
	bool nmi_blocked;
	bool halted;
	bool wait_sipi;      /* wait-for-SIPI activity state */
	bool in_run;         /* inside cpu_run() */
	/* STI and MOV/POP SS set shadow_icount = icount + 1 (icount before
	 * they retire) and ATTN_SHADOW: events wait while icount <=
	 * shadow_icount, i.e. until one more instruction has retired. */
	uint64_t shadow_icount;

	/* Debug traps (cpu/debug.h). db_pending: the DR6 B0-B3 and BT bits
	 * found since the current instruction began, meaningful while
	 * ATTN_TRAP is set. db_held: the traps a MOV SS or POP SS holds
	 * over the next instruction (SDM Vol. 3A 6.8.3), valid while icount
	 * is db_held_icount. */
	uint32_t db_pending;
	uint32_t db_held;
	uint64_t db_held_icount;
	/* The access of the first breakpoint match in db_pending, for the
	 * #DB's log line: address, size, write, I/O port. */
	uint64_t db_hit_addr;
	uint8_t db_hit_size;
	bool db_hit_write, db_hit_io;

	/* Exceptions. fault_env is where a raised fault unwinds to. */
	jmp_buf *fault_env;
	struct fault_info fault;
	int delivering;       /* nesting depth of exception delivery */
	int first_vector;     /* vector being delivered, for #DF rules */

	struct tlb tlb;
	uint32_t jcache_epoch;
	struct jcache_entry jcache[JCACHE_SIZE];

	const struct bus *bus;
	struct code_cache *cc;
	struct cpu_model model;
	unsigned apic_id;
	bool block_cache_on;
	bool shut_down;
	char shutdown_reason[256];
};

/* Makes every jump-cache entry stale (after a TLB flush or when blocks
 * were dropped); on the rare wrap of the epoch the entries are cleared. */
static inline void jcache_invalidate(struct cpu *c)
{
	if (++c->jcache_epoch == 0)
		memset(c->jcache, 0, sizeof(c->jcache));
}

/* Current code size in bytes: 2, 4 or 8. */
static inline unsigned cpu_code_size(const struct cpu *c)
{
	if ((c->efer & (1u << 10)) && (c->seg[SEG_CS].attr & SEG_ATTR_L))
		return 8;
	return (c->seg[SEG_CS].attr & SEG_ATTR_DB) ? 4 : 2;
}

#endif
