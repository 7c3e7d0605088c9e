/* Segmentation: descriptor fetch from the GDT and LDT, the checks of every
 * segment-register load (SDM Vol. 3A 3.4-3.5 and 5.1-5.10; MOV, POP, LDS,
 * LLDT and LTR in Vol. 2), and stack accesses through an explicit stack
 * segment for the instructions that switch stacks (far calls, interrupts,
 * task switches). Everything here may raise a fault. */
#ifndef CPU_SEG_H
#define CPU_SEG_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/flags.h"
#include "cpu/state.h"

/* Mode predicates. vm86 is EFLAGS.VM with CR0.PE; 64-bit mode is
 * IA32_EFER.LMA with CS.L. */
static inline bool seg_mode_pe(const struct cpu *c)
{
	return c->cr0 & 1;
}

static inline bool seg_mode_vm86(const struct cpu *c)
{
	return seg_mode_pe(c) && (c->rflags & FLAG_VM);
}

static inline bool seg_mode_lma(const struct cpu *c)
{
	return c->efer & (1u << 10);
}

static inline bool seg_mode_64(const struct cpu *c)
{
	return seg_mode_lma(c) && (c->seg[SEG_CS].attr & SEG_ATTR_L);
}

/* Protected mode proper: PE = 1, VM = 0 (includes IA-32e mode). */
static inline bool seg_mode_prot(const struct cpu *c)
{
	return seg_mode_pe(c) && !(c->rflags & FLAG_VM);
}

/* Descriptor types with S = 0 (SDM Vol. 3A table 3-2). In IA-32e mode
 * the 32-bit encodings name the 64-bit forms. */
enum {
	DESC_TSS16_AVAIL = 0x1,
	DESC_LDT = 0x2,
	DESC_TSS16_BUSY = 0x3,
	DESC_CALL16 = 0x4,
	DESC_TASK_GATE = 0x5,
	DESC_INT16 = 0x6,
	DESC_TRAP16 = 0x7,
	DESC_TSS32_AVAIL = 0x9,
	DESC_TSS32_BUSY = 0xb,
	DESC_CALL32 = 0xc,
	DESC_INT32 = 0xe,
	DESC_TRAP32 = 0xf,
};

/* Type bits of code and data descriptors (S = 1, SDM Vol. 3A table 3-1). */
enum {
	DESC_T_ACCESSED = 1u << 0,
	DESC_T_RW = 1u << 1,   /* readable code, writable data */
	DESC_T_CE = 1u << 2,   /* conforming code, expand-down data */
	DESC_T_CODE = 1u << 3,
};
#define DESC_TSS_BUSY_BIT 0x2u

/* A descriptor as read from a table. lo and hi are its first two
 * dwords; hi2 and hi3 the second two of a 16-byte (IA-32e system)
 * descriptor, else 0. addr is its linear address, for setting the
 * accessed and busy bits. */
struct seg_desc {
	uint32_t lo, hi, hi2, hi3;
	uint64_t addr;
};

static inline unsigned desc_type(const struct seg_desc *d)
{
	return (d->hi >> 8) & 0xf;
}
static inline bool desc_s(const struct seg_desc *d)
{
	return d->hi & (1u << 12);
}
static inline int desc_dpl(const struct seg_desc *d)
{
	return (d->hi >> 13) & 3;
}
static inline bool desc_present(const struct seg_desc *d)
{
	return d->hi & (1u << 15);
}
static inline bool desc_l(const struct seg_desc *d)
{
	return d->hi & (1u << 21);
}
static inline bool desc_db(const struct seg_desc *d)
{
	return d->hi & (1u << 22);
}
static inline bool desc_is_code(const struct seg_desc *d)
{
	return desc_s(d) && (desc_type(d) & DESC_T_CODE);
}
static inline bool desc_is_data(const struct seg_desc *d)
{
	return desc_s(d) && !(desc_type(d) & DESC_T_CODE);
}
static inline bool desc_is_conforming(const struct seg_desc *d)
{
	return desc_is_code(d) && (desc_type(d) & DESC_T_CE);
}
/* Base of a segment descriptor; with hi2 for 16-byte descriptors. */
static inline uint64_t desc_base(const struct seg_desc *d)
{
	return (d->lo >> 16) | ((d->hi & 0xff) << 16) | (d->hi & 0xff000000u) |
	       ((uint64_t)d->hi2 << 32);
}
/* Byte limit, expanded by the granularity bit. */
static inline uint32_t desc_limit(const struct seg_desc *d)
{
	uint32_t l = (d->lo & 0xffff) | (d->hi & 0xf0000);
	return (d->hi & (1u << 23)) ? (l << 12) | 0xfff : l;
}
/* Access rights in the struct seg layout (VMX access-rights format). */
static inline uint32_t desc_attr(const struct seg_desc *d)
{
	return (d->hi >> 8) & 0xf0ff;
}
/* Gate fields (SDM Vol. 3A 5.8.3, 6.11, 6.14.1). */
static inline uint16_t gate_selector(const struct seg_desc *d)
{
	return d->lo >> 16;
}
static inline uint64_t gate_offset(const struct seg_desc *d)
{
	return (d->lo & 0xffff) | (d->hi & 0xffff0000u) |
	       ((uint64_t)d->hi2 << 32);
}
static inline unsigned gate_param_count(const struct seg_desc *d)
{
	return d->hi & 0x1f;
}
static inline unsigned gate_ist(const struct seg_desc *d)
{
	return d->hi & 7;
}
/* The type field of the upper half of a 16-byte descriptor, which must
 * be 0 (SDM Vol. 3A figure 5-9). */
static inline unsigned desc_upper_type(const struct seg_desc *d)
{
	return (d->hi3 >> 8) & 0x1f;
}

/* Error code of a selector fault: index and TI of sel, EXT in bit 0
 * (SDM Vol. 3A 6.13). */
static inline uint32_t seg_err(uint16_t sel, bool ext)
{
	return (sel & 0xfffcu) | (ext ? 1u : 0u);
}

/* Reads the descriptor that sel selects, 16 bytes if wide (system
 * descriptors in IA-32e mode). Returns false, reading nothing, if the
 * selector's index is beyond the GDT or LDT limit or selects the LDT while
 * LDTR is unusable: each caller raises its own fault then. The table
 * read itself may raise #PF. */
bool seg_desc_read(struct cpu *c, uint16_t sel, bool wide,
		   struct seg_desc *d);
/* Sets the accessed bit of a code or data descriptor in memory if it is
 * clear (and in d). */
void seg_desc_set_accessed(struct cpu *c, struct seg_desc *d);
/* Writes the type field of a descriptor back (busy bits). */
void seg_desc_write_type(struct cpu *c, struct seg_desc *d, unsigned type);

/* The hidden part a descriptor loads, selector included. */
struct seg seg_cache_from_desc(const struct seg_desc *d, uint16_t sel);
/* A null selector's hidden part: unusable, base and limit 0 (as Intel
 * processors load it); dpl matters for SS, whose DPL is the CPL. */
struct seg seg_cache_null(uint16_t sel, int dpl);
/* Real-address mode and virtual-8086 mode loads (SDM Vol. 3A 20.1.1,
 * 20.2.1; VMX guest-state rules 26.3.1.2): base = sel << 4. In real mode
 * the limit and attributes stay; in vm86 they become 0xffff and 0xf3. */
struct seg seg_cache_real(const struct seg *old, uint16_t sel);
struct seg seg_cache_vm86(uint16_t sel);

/* A checked load of a data-segment register, ready to commit. */
struct seg_load {
	int sreg;
	bool set_accessed;
	struct seg cache;
	struct seg_desc desc;
};

/* The checks of MOV Sreg, POP Sreg and LDS..LGS for ES, SS, DS, FS or GS
 * in the current mode at the current CPL (SDM Vol. 2B MOV operation).
 * what names the instruction in fault reasons. Raises #GP(0), #GP(sel),
 * #SS(sel) or #NP(sel); commits nothing. */
void seg_check_load(struct cpu *c, int sreg, uint16_t sel, const char *what,
		    struct seg_load *out);
/* Sets the accessed bit (may #PF) and loads the register. */
void seg_commit_load(struct cpu *c, const struct seg_load *l);
/* Both. */
void seg_load(struct cpu *c, int sreg, uint16_t sel, const char *what);

/* Loads a register's hidden part directly; for SS and CS also refreshes
 * the CPL and the mode (seg_refresh_mode). */
void seg_set(struct cpu *c, int sreg, const struct seg *s);

/* Recomputes c->cpl from the mode (0 in real mode, 3 in vm86, SS.DPL in
 * protected mode) and sets ATTN_MODE when the CPL or the code size
 * changed. Call after changing CS, SS, CR0.PE, EFER.LMA or EFLAGS.VM. */
void seg_refresh_mode(struct cpu *c);

/* After a privilege drop to the new CPL (RETF, IRET): DS, ES, FS and GS
 * that hold a data or non-conforming code segment with DPL < CPL become
 * null (SDM Vol. 2A RET, IRET). */
void seg_null_inaccessible(struct cpu *c);

/* True if size bytes at off are within the segment's limit (expand-down
 * aware). Not used in 64-bit mode. */
bool seg_limit_ok(const struct seg *s, uint64_t off, unsigned size);

/* LLDT and LTR checks and loads (also used by task switches with their own
 * vector): a non-null selector that selects a system descriptor of the
 * wanted kind in the GDT. */
void seg_load_ldtr(struct cpu *c, uint16_t sel, int vector, bool ext,
		   const char *what);

/* Stack accesses through an explicit stack segment and pointer, for the
 * instructions that build or read frames on a stack other than, or
 * before committing, the current one. Every access is checked against the
 * segment limit (or for canonical form in 64-bit mode); a violation
 * raises vector with error. */
struct seg_stack {
	struct seg ss;
	uint64_t sp;        /* full register value */
	unsigned width;     /* 2, 4 or 8: the bits of sp that move */
	bool mode64;        /* no limit checks; canonical checks */
	unsigned acc;       /* ACC_IMPLICIT_SV for a frame built at an inner
			       level while CPL is 3 (the access layer takes
			       user or supervisor from the CPL), else 0 */
	int vector;         /* EXC_SS */
	uint32_t error;
	const char *what;   /* for fault reasons */
};

/* The current stack (SS:rSP at the current CPL), faulting with #SS(0). */
void seg_stack_current(const struct cpu *c, struct seg_stack *s,
		       const char *what);
/* Checks that n pushes of size bytes each fit below sp. */
void seg_stack_check_push(struct cpu *c, const struct seg_stack *s,
			  unsigned n, unsigned size);
/* Checks that bytes [sp + off, sp + off + size) are readable. */
void seg_stack_check_read(struct cpu *c, const struct seg_stack *s,
			  uint64_t off, unsigned size);
/* Pushes a size-byte slot (checked). The _part form writes only the low
 * store bytes of it and leaves the rest of the slot as it was
 * (segment-register pushes). */
void seg_stack_push(struct cpu *c, struct seg_stack *s, unsigned size,
		    uint64_t v);
void seg_stack_push_part(struct cpu *c, struct seg_stack *s, unsigned size,
			 unsigned store, uint64_t v);
/* Reads size bytes at sp + off without moving sp (checked). */
uint64_t seg_stack_read(struct cpu *c, const struct seg_stack *s,
			uint64_t off, unsigned size);
/* Writes s->sp back to RSP, merging by the stack width. */
void seg_stack_commit_sp(struct cpu *c, const struct seg_stack *s);
/* Width-merged update of RSP to sp. */
void seg_write_sp(struct cpu *c, uint64_t sp, unsigned width);

#endif
