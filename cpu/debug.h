/* Debug registers at work (SDM Vol. 3B 18.2, 18.3): matching instruction,
 * data and I/O breakpoints, the debug traps an instruction leaves pending
 * (data and I/O breakpoints, single-step, task-switch T flag) and their
 * delivery as one #DB when the instruction completes.
 *
 * How the pieces meet:
 *   - the run loop's debug path (cpu/run.c step_debug) checks instruction
 *     breakpoints, runs one instruction, then calls debug_end_insn();
 *   - the memory slow paths (cpu/mem.c) report every data access through
 *     debug_watch_data(), port I/O (cpu/ops_io.c) through
 *     debug_watch_io(), a task switch into a TSS with T = 1 (cpu/task.c)
 *     through debug_task_trap(); each records DR6 B0-B3 (or BT) bits in
 *     c->db_pending and raises ATTN_TRAP;
 *   - the software TLB (cpu/tlb.c) gives no read or write tag to a page
 *     holding bytes of an enabled data breakpoint, so that every access
 *     to such a page takes the slow path; the inline fast paths never
 *     need to look at the debug registers. Whoever changes DR0-DR3 or
 *     DR7 calls debug_dr_written() so that stale tags are dropped;
 *   - traps found outside an instruction (during event delivery, or a
 *     task switch through a task gate) are delivered by the run loop
 *     between instructions with debug_deliver_pending(). */
#ifndef CPU_DEBUG_H
#define CPU_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/insn.h"
#include "cpu/state.h"
#include "cpu/regs.h"

/* DR6 (SDM Vol. 3B 18.2.3). B0-B3, BD, BS and BT are the bits the
 * processor sets; the others read as 1 (bits 4-11 and 16-31, bit 16
 * being RTM, which this CPU model does not support) or 0 (bit 12). */
#define DR6_B_MASK 0xfu
#define DR6_FIXED1 0xffff0ff0u

/* DR7 (SDM Vol. 3B 18.2.4): L0, G0 .. L3, G3, and per breakpoint n the
 * R/W field at bit 16 + 4n and the LEN field at bit 18 + 4n. */

enum debug_rw {
	DEBUG_RW_EXEC = 0,   /* instruction execution */
	DEBUG_RW_WRITE = 1,  /* data writes */
	DEBUG_RW_IO = 2,     /* I/O reads and writes (CR4.DE = 1) */
	DEBUG_RW_ACCESS = 3, /* data reads and writes */
};

/* What an enabled data breakpoint watches on a page (debug_page_watch). */
enum {
	DEBUG_WATCH_READ = 1u << 0,
	DEBUG_WATCH_WRITE = 1u << 1,
};

/* ---- matching (pure: the registers are arguments) ----
 * Each returns the DR6 B0-B3 bits of the enabled breakpoints (Ln or Gn
 * set) that match. dr holds DR0-DR7 as the CPU keeps them. */

/* Bytes covered by a LEN encoding: 00 1, 01 2, 10 8, 11 4 (SDM Vol. 3B
 * 18.2.4). */
unsigned debug_len_bytes(unsigned len_field);

/* Instruction breakpoints (R/W = 00) at linear address la, the first
 * byte of the instruction. */
unsigned debug_match_insn(const uint64_t dr[8], uint64_t la);

/* Data breakpoints hit by an access of size bytes at linear address la:
 * R/W = 01 for writes, R/W = 11 for reads and writes. Any byte of the
 * access in the breakpoint's range matches; the range is LEN bytes at
 * DRn with its low bits cleared to a multiple of LEN (SDM Vol. 3B
 * 18.2.5). */
unsigned debug_match_data(const uint64_t dr[8], uint64_t la, unsigned size,
			  bool write);

/* I/O breakpoints (R/W = 10) hit by an access of size bytes at port.
 * They exist only with CR4.DE = 1; with DE = 0 the encoding is undefined
 * and this model treats it as no breakpoint (SDM Vol. 3B 18.2.4). */
unsigned debug_match_io(const uint64_t dr[8], uint64_t cr4, uint16_t port,
			unsigned size);

/* DEBUG_WATCH_* for the 4-KiB linear page at page: which accesses to it
 * an enabled data breakpoint may match. */
unsigned debug_page_watch(const uint64_t dr[8], uint64_t page);

/* ---- recording ---- */

void debug_data_access(struct cpu *c, uint64_t la, unsigned size,
		       bool write);
void debug_io_access(struct cpu *c, uint16_t port, unsigned size);

/* Every data access that moves bytes (explicit or implicit: stack,
 * descriptor tables, TSS, IDT) reports each page's part here once its
 * translation has succeeded. Probes that do not move bytes do not. */
static inline void debug_watch_data(struct cpu *c, uint64_t la, unsigned size,
				    bool write)
{
	if (c->dr[7] & DR7_ENABLE_BITS)
		debug_data_access(c, la, size, write);
}

/* IN, OUT, INS, OUTS report each port access here. */
static inline void debug_watch_io(struct cpu *c, uint16_t port, unsigned size)
{
	if (c->dr[7] & DR7_ENABLE_BITS)
		debug_io_access(c, port, size);
}

/* A task switch loaded a TSS whose T flag is 1: #DB with DR6.BT before
 * the new task's first instruction (SDM Vol. 3A 7.3, Vol. 3B 18.3.1.5). */
void debug_task_trap(struct cpu *c);

/* After a MOV to DR0-DR3 (n = 0-3) or DR7 (n = 7) that changed the
 * register: drops the TLB tags the old breakpoints allowed or the new
 * ones forbid. old is the register's previous value. */
void debug_dr_written(struct cpu *c, unsigned n, uint64_t old);

/* True while some enabled data or I/O breakpoint could be hit: repeated
 * string instructions then run one iteration at a time. */
bool debug_watching(const struct cpu *c);

/* ---- the run loop's debug path ---- */

/* Raises the #DB fault of an instruction breakpoint at linear address la
 * if one matches (the caller checks RFLAGS.RF first). */
void debug_check_insn(struct cpu *c, uint64_t la);

/* A repeated string instruction (REP/REPE/REPNE MOVS CMPS STOS LODS SCAS
 * INS OUTS). */
bool debug_is_rep_string(const struct insn *i);

/* Runs the handler of the repeated string instruction i one iteration at
 * a time, with c->next_rip past it, and stops after the iteration that
 * leaves a debug trap pending, after one iteration if step (TF = 1), or
 * after a burst. Ends with c->next_rip past the instruction if it
 * completed, else at it and RFLAGS.RF = 1 (SDM Vol. 3B 18.3.1.1: a trap
 * or interrupt after any iteration but the last pushes RF = 1). */
void debug_run_rep_string(struct cpu *c, const struct insn *i, bool step);

/* A fault unwound out of the instruction: the breakpoint matches of its
 * partial execution are dropped (the instruction will run again), while
 * the traps held for it (held, from debug_take_held()) become pending,
 * to be delivered once the fault's handler is entered. */
void debug_discard(struct cpu *c, uint32_t held);

/* After instruction i has completed (c->rip is where execution goes on):
 * held are the traps a preceding MOV SS or POP SS held (0 if none), tf
 * whether TF was 1 when i began. Delivers #DB for everything pending, or
 * holds it over the next instruction if i loads SS (SDM Vol. 3A 6.8.3).
 * May raise a fault while delivering. */
void debug_end_insn(struct cpu *c, const struct insn *i, uint32_t held,
		    bool tf);

/* The traps held by a MOV SS or POP SS for the instruction about to
 * start, which are then no longer held; 0 if none. Bit DEBUG_HELD_SHADOW
 * says that the instruction follows a MOV SS or POP SS. */
#define DEBUG_HELD_SHADOW (1u << 31)
uint32_t debug_take_held(struct cpu *c);

/* Delivers the #DB of traps found outside an instruction (ATTN_TRAP set
 * between instructions). May raise a fault while delivering. */
void debug_deliver_pending(struct cpu *c);

#endif
