/* The execution loop: between instructions it services the attention word
 * (interrupts, NMI, stop requests, stale code), then runs a decoded block
 * from the cache, or one freshly decoded instruction when the cache is off
 * or cannot be used. Both paths call the same handlers. */
#include "cpu/cpu.h"

#include <string.h>

#include "cpu/block.h"
#include "cpu/blockcache.h"
#include "cpu/debug.h"
#include "cpu/decode.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/interrupt.h"
#include "cpu/mem.h"
#include "cpu/state.h"
#include "util/log.h"

/* The instruction pointer's width as it advances from one instruction
 * to the next. Outside 64-bit mode that is EIP, in 16-bit code too: a
 * 386 or later does not wrap IP at 64 KiB like an 8086, it goes on at
 * 10000h, which the CS limit check then refuses (#GP) or, in a segment
 * with a larger limit, fetches. Branches with a 16-bit operand size
 * truncate their targets themselves (SDM Vol. 2A JMP, Jcc, CALL). */
static uint64_t rip_mask(unsigned code_size)
{
	return code_size == 8 ? ~0ull : 0xffffffffull;
}

/* Linear address of c->rip and how many bytes may be fetched from it
 * without passing the CS limit (SDM Vol. 3A 5.3). */
static inline uint64_t fetch_linear(struct cpu *c, unsigned code_size,
			     unsigned *avail)
{
	const struct seg *cs = &c->seg[SEG_CS];
	if (code_size == 8) {
		*avail = 15;
		return c->rip;
	}
	if (c->rip > cs->limit)
		cpu_gp0(c, "instruction fetch: EIP 0x%llx is beyond the CS limit 0x%x",
			(unsigned long long)c->rip, cs->limit);
	uint64_t room = (uint64_t)cs->limit - c->rip + 1;
	*avail = room < 15 ? (unsigned)room : 15;
	return (cs->base + c->rip) & 0xffffffffull;
}

/* Fetches and decodes the instruction at c->rip, touching the second page
 * only if the instruction really extends into it. */
static void fetch_decode(struct cpu *c, unsigned code_size, struct insn *i)
{
	unsigned avail;
	uint64_t la = fetch_linear(c, code_size, &avail);
	uint8_t buf[16];
	unsigned first = 4096 - (unsigned)(la & 0xfff);
	if (first > avail)
		first = avail;
	mem_fetch(c, la, buf, first);
	int len = decode_insn(i, buf, first, code_size);
	if (len == DECODE_NEED_MORE && first < avail) {
		mem_fetch(c, la + first, buf + first, avail - first);
		len = decode_insn(i, buf, avail, code_size);
	}
	if (len == DECODE_NEED_MORE)
		cpu_gp0(c, "instruction fetch: the instruction at 0x%llx crosses the CS limit 0x%x",
			(unsigned long long)c->rip, c->seg[SEG_CS].limit);
	if (len == DECODE_TOO_LONG)
		cpu_gp0(c, "instruction at 0x%llx is longer than 15 bytes",
			(unsigned long long)c->rip);
}

static inline void execute(struct cpu *c, const struct insn *i, uint64_t mask)
{
	c->next_rip = (c->rip + i->len) & mask;
	i->fn(c, i);
	c->rip = c->next_rip;
	c->icount++;
}

static void step_uncached(struct cpu *c)
{
	struct insn i;
	unsigned code_size = cpu_code_size(c);
	fetch_decode(c, code_size, &i);
	if (log_enabled(LOG_TRACE))
		log_msg(LOG_TRACE, "cpu", "cpu %u: %04x:%llx %s (%u bytes)",
			c->apic_id, c->seg[SEG_CS].sel,
			(unsigned long long)c->rip, insn_mnemonics[i.id], i.len);
	execute(c, &i, rip_mask(code_size));
}

/* Decodes a new block at physical address pa, whose page is host memory
 * page. Returns NULL when the first instruction cannot be decoded within
 * the page (it crosses into the next page or the CS limit). */
static struct block *build_block(struct cpu *c, uint64_t pa,
				 const uint8_t *page, unsigned avail_limit,
				 unsigned code_size)
{
	struct insn tmp[BLOCK_MAX_INSNS];
	unsigned off = (unsigned)(pa & 0xfff), n = 0, bytes = 0;
	while (n < BLOCK_MAX_INSNS) {
		unsigned avail = 4096 - off - bytes;
		if (avail > avail_limit - bytes)
			avail = avail_limit - bytes;
		if (avail == 0)
			break;
		int len = decode_insn(&tmp[n], page + off + bytes,
				      avail > 15 ? 15 : avail, code_size);
		if (len < 0)
			break;
		bytes += (unsigned)len;
		uint32_t fl = insn_flags[tmp[n].id];
		n++;
		if (fl & (IF_BRANCH | IF_ENDS_BLOCK) || tmp[n - 1].fn == insn_ud)
			break;
	}
	if (n == 0)
		return NULL;
	struct block *b = block_alloc(n);
	if (!b)
		return NULL;
	b->pa = pa;
	b->bytes = bytes;
	b->n = (uint16_t)n;
	b->code_size = (uint8_t)code_size;
	memcpy(b->insns, tmp, n * sizeof(tmp[0]));
	code_cache_insert(c->cc, b);
	return b;
}

/* The block at linear address la through the TLB and the code cache,
 * decoded now if need be; NULL when the code cannot be cached (MMIO, a
 * page crossing at the first instruction). */
static struct block *find_block(struct cpu *c, uint64_t la,
				unsigned code_size, unsigned limit)
{
	struct tlb_entry *e =
		&c->tlb.e[c->cpl == 3][(la >> 12) & (TLB_SIZE - 1)];
	if (e->xtag != (la & ~0xfffull)) {
		/* A fetch through the slow path walks the page tables,
		 * raises any fault and fills the TLB. */
		uint8_t byte;
		mem_fetch(c, la, &byte, 1);
		if (e->xtag != (la & ~0xfffull))
			return NULL;
	}
	uint64_t pa = e->pa | (la & 0xfff);
	if (!code_cache_tracks(c->cc, pa))
		return NULL;
	struct block *b = code_cache_find(c->cc, pa, code_size);
	if (b)
		return b;
	const uint8_t *page = c->bus->ops->ram_page(c->bus->ctx, pa & ~0xfffull);
	return page ? build_block(c, pa, page, limit, code_size) : NULL;
}

/* Runs the block at c->rip, found through the jump cache or
 * find_block(); falls back to one uncached instruction when the code
 * cannot be cached or a block would pass the CS limit. */
static void step_block(struct cpu *c)
{
	unsigned code_size = cpu_code_size(c);
	unsigned avail;
	uint64_t la = fetch_linear(c, code_size, &avail);
	uint32_t key = code_size | (c->cpl == 3) << 4;
	unsigned limit = 4096;
	/* A block ends before the CS limit (at most 4 GiB - 1, so EIP
	 * cannot wrap inside a block either). */
	if (code_size != 8 && (uint64_t)c->seg[SEG_CS].limit - c->rip + 1 < 4096)
		limit = (unsigned)(c->seg[SEG_CS].limit - c->rip + 1);

	struct jcache_entry *j =
		&c->jcache[(la ^ (la >> JCACHE_BITS)) & (JCACHE_SIZE - 1)];
	struct block *b;
	if (j->la == la && j->key == key && j->epoch == c->jcache_epoch) {
		b = j->block;
	} else {
		b = find_block(c, la, code_size, limit);
		if (!b) {
			step_uncached(c);
			return;
		}
		*j = (struct jcache_entry){ la, key, c->jcache_epoch, b };
	}
	if (b->bytes > limit) {
		step_uncached(c);
		return;
	}

	uint64_t mask = rip_mask(code_size);
	uint64_t left = c->icount_limit - c->icount;
	unsigned n = b->n < left ? b->n : (unsigned)left;
	const struct insn *i = b->insns, *end = i + n;
	for (; i < end; i++) {
		execute(c, i, mask);
		if (c->attention)
			return;
	}
}

/* Linear address of the instruction at c->rip, without the CS limit
 * check: an instruction breakpoint comes before fetch faults (SDM Vol. 3A
 * 6.9, table 6-2). */
static uint64_t code_linear(const struct cpu *c, unsigned code_size)
{
	if (code_size == 8)
		return c->rip;
	return (c->seg[SEG_CS].base + c->rip) & 0xffffffffull;
}

/* Runs the instruction at c->rip on the debug path up to its completion
 * (*tf: TF was 1 as it began). Faults unwind out of it. */
static void debug_run_insn(struct cpu *c, uint32_t held, struct insn *i,
			   bool *tf)
{
	unsigned code_size = cpu_code_size(c);
	if (!(c->rflags & FLAG_RF) && !(held & DEBUG_HELD_SHADOW))
		debug_check_insn(c, code_linear(c, code_size));
	fetch_decode(c, code_size, i);
	if (log_enabled(LOG_TRACE))
		log_msg(LOG_TRACE, "cpu", "cpu %u: %04x:%llx %s (%u bytes)",
			c->apic_id, c->seg[SEG_CS].sel,
			(unsigned long long)c->rip, insn_mnemonics[i->id], i->len);
	c->rflags &= ~(uint64_t)FLAG_RF;
	*tf = c->rflags & FLAG_TF;
	c->next_rip = (c->rip + i->len) & rip_mask(code_size);
	if (debug_is_rep_string(i) && (*tf || debug_watching(c)))
		debug_run_rep_string(c, i, *tf);
	else
		i->fn(c, i);
	c->rip = c->next_rip;
	c->icount++;
}

/* The debug path: one uncached instruction with the rules of SDM Vol. 3B
 * 18.3 (cpu/debug.h). An instruction breakpoint is a fault before the
 * instruction unless RFLAGS.RF = 1 or a MOV SS or POP SS precedes it
 * (18.3.1.1 says the breakpoint "may not be triggered" there; it is
 * not). RF is then cleared, "at the start of the instruction after the
 * check for instruction breakpoints" (18.3.1.1). A repeated string
 * instruction runs one iteration at a time while TF = 1 or a data or I/O
 * breakpoint is armed. The traps the instruction leaves (data and I/O
 * breakpoints, TF, a task switch's T flag) become one #DB after it; a
 * fault drops the breakpoint matches of its partial execution. */
static void step_debug(struct cpu *c)
{
	jmp_buf env;
	jmp_buf *volatile outer = c->fault_env;
	volatile uint32_t held = debug_take_held(c);
	struct insn i;
	bool tf = false;

	c->db_pending = 0;
	c->fault_env = &env;
	if (setjmp(env)) {
		c->fault_env = outer;
		debug_discard(c, held);
		longjmp(*outer, 1);
	}
	debug_run_insn(c, held, &i, &tf);
	c->fault_env = outer;
	debug_end_insn(c, &i, held, tf);
}

/* Interrupts and NMI between instructions (SDM Vol. 3A 6.8, 6.9). Returns
 * true if an event was delivered. */
static bool take_events(struct cpu *c)
{
	if (c->attention & ATTN_SHADOW) {
		if (c->icount <= c->shadow_icount)
			return false;
		c->attention &= ~(uint32_t)ATTN_SHADOW;
	}
	if (c->nmi_pending && !c->nmi_blocked) {
		c->nmi_pending = false;
		c->attention &= ~(uint32_t)ATTN_NMI;
		c->halted = false;
		c->next_rip = c->rip;
		c->nmi_blocked = true;
		intr_deliver(c, EXC_NMI, INTR_NMI, false, 0);
		return true;
	}
	if (c->intr_line && (c->rflags & FLAG_IF)) {
		int vector = c->bus->ops->intr_ack(c->bus->ctx);
		if (vector >= 0) {
			c->halted = false;
			c->next_rip = c->rip;
			intr_deliver(c, vector, INTR_EXTERNAL, false, 0);
			return true;
		}
	}
	return false;
}

/* Everything the loop checks between blocks. Returns a stop reason, or
 * -1 to keep running. */
static int service(struct cpu *c)
{
	if (c->attention & ATTN_STOP) {
		c->attention &= ~(uint32_t)ATTN_STOP;
		return CPU_STOP_REQUEST;
	}
	if (c->attention & ATTN_CODE_CHANGED)
		jcache_invalidate(c);
	c->attention &= ~(uint32_t)(ATTN_CODE_CHANGED | ATTN_MODE | ATTN_REPEAT |
				    ATTN_BUDGET);
	if (c->attention & ATTN_INIT)
		cpu_take_init(c);
	/* Wait-for-SIPI blocks external interrupts and NMIs (SDM Vol. 3C
	 * 26.6.2 lists what each activity state blocks): they stay
	 * pending. */
	if (c->wait_sipi)
		return CPU_STOP_HALTED;
	/* Debug traps found outside an instruction (while a fault or an
	 * event was delivered) come before interrupts (SDM Vol. 3A 6.9),
	 * and so do those the delivery of an interrupt finds. */
	if (c->attention & ATTN_TRAP)
		debug_deliver_pending(c);
	take_events(c);
	if (c->attention & ATTN_TRAP)
		debug_deliver_pending(c);
	/* ATTN_INTR stays set only while an interrupt could be taken;
	 * IF changes end a block, so this is re-evaluated in time. */
	if (!(c->intr_line && (c->rflags & FLAG_IF)))
		c->attention &= ~(uint32_t)ATTN_INTR;
	if (c->halted)
		return CPU_STOP_HALTED;
	return -1;
}

/* Principle 4: every exception says why, at the debug level. */
static void log_fault(const struct cpu *c)
{
	const struct fault_info *f = &c->fault;
	if (!log_enabled(LOG_DEBUG))
		return;
	if (f->has_error_code)
		log_msg(LOG_DEBUG, "cpu", "cpu %u: %s(0x%x) at %04x:%llx: %s",
			c->apic_id, exc_name(f->vector), f->error_code,
			c->seg[SEG_CS].sel, (unsigned long long)c->rip, f->reason);
	else
		log_msg(LOG_DEBUG, "cpu", "cpu %u: %s at %04x:%llx: %s",
			c->apic_id, exc_name(f->vector), c->seg[SEG_CS].sel,
			(unsigned long long)c->rip, f->reason);
}

static enum cpu_stop run_loop(struct cpu *c, uint64_t budget)
{
	jmp_buf env;
	jmp_buf *volatile outer = c->fault_env;

	code_cache_free_dropped(c->cc);
	c->icount_limit = c->icount + budget;
	c->fault_env = &env;
	if (setjmp(env)) {
		/* A fault unwound here with c->rip at the faulting
		 * instruction; deliver it (or shut down). */
		log_fault(c);
		intr_deliver_fault(c);
		/* A delivered exception takes time like an instruction: a
		 * handler that faults again at once must not stop the clock,
		 * the budget and with them timers, the other CPUs and a stop
		 * request (icount counts it). */
		c->icount++;
		if (c->shut_down) {
			c->fault_env = outer;
			return CPU_STOP_SHUTDOWN;
		}
	}
	for (;;) {
		if (c->intr_line && (c->rflags & FLAG_IF))
			c->attention |= ATTN_INTR;
		if (c->attention || c->halted || c->wait_sipi) {
			int stop = service(c);
			if (stop >= 0) {
				c->fault_env = outer;
				return (enum cpu_stop)stop;
			}
		}
		if (c->icount >= c->icount_limit) {
			c->fault_env = outer;
			return CPU_STOP_BUDGET;
		}
		if ((c->rflags & (FLAG_TF | FLAG_RF)) ||
		    (c->dr[7] & DR7_ENABLE_BITS))
			step_debug(c);
		else if (c->block_cache_on && !log_enabled(LOG_TRACE))
			step_block(c);
		else
			step_uncached(c);
	}
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t budget)
{
	if (c->shut_down)
		return CPU_STOP_SHUTDOWN;
	/* A CPU waiting for a SIPI costs nothing until one comes. */
	if (c->wait_sipi && !(c->attention & ATTN_INIT))
		return CPU_STOP_HALTED;
	c->in_run = true;
	enum cpu_stop why = run_loop(c, budget);
	c->in_run = false;
	return why;
}
