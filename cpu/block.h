/* A decoded block and the code cache's internal interface, for the run
 * loop. */
#ifndef CPU_BLOCK_H
#define CPU_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/insn.h"

struct code_cache;

/* Straight-line code within one physical page: it ends at a control
 * transfer, at a form flagged IF_ENDS_BLOCK, before an instruction that
 * would cross the page, or at BLOCK_MAX_INSNS. */
#define BLOCK_MAX_INSNS 64

struct block {
	uint64_t pa;              /* physical address of the first byte */
	struct block *hash_next;
	struct block *page_next;
	uint32_t bytes;           /* bytes covered, all in pa's page */
	uint16_t n;               /* instructions */
	uint8_t code_size;        /* 2, 4 or 8 */
	struct insn insns[];
};

struct block *block_alloc(unsigned ninsns);
struct block *code_cache_find(struct code_cache *cc, uint64_t pa,
			      unsigned code_size);
void code_cache_insert(struct code_cache *cc, struct block *b);
/* Drops the blocks overlapping [pa, pa + len); true if any was dropped. */
bool code_cache_drop_range(struct code_cache *cc, uint64_t pa, uint64_t len);
/* True if pa's page is one the cache can track (it is within RAM). */
bool code_cache_tracks(const struct code_cache *cc, uint64_t pa);
void code_cache_free_dropped(struct code_cache *cc);
void code_cache_remove_cpu(struct code_cache *cc, struct cpu *c);

#endif
