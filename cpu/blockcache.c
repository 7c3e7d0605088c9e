/* The decoded-block cache: blocks looked up by physical address and code
 * size, listed per physical page so that a write can drop exactly the
 * blocks it overlaps. Dropped blocks are freed only at a safe point (the
 * start of cpu_run), because the CPU may still be executing one. */
#include "cpu/blockcache.h"
#include "cpu/block.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/mem.h"
#include "cpu/state.h"

#define HASH_BITS 16
#define HASH_SIZE (1u << HASH_BITS)
#define MAX_CPUS 256

struct code_cache {
	struct block *hash[HASH_SIZE];
	struct block **page_blocks; /* per physical page: its blocks */
	uint64_t npages;
	struct block *dropped;      /* freed at the next safe point */
	struct cpu *cpus[MAX_CPUS];
	unsigned ncpus;
	uint64_t blocks_made, blocks_dropped;
};

struct code_cache *code_cache_create(uint64_t ram_bytes)
{
	struct code_cache *cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	cc->npages = (ram_bytes + 4095) >> 12;
	cc->page_blocks = calloc(cc->npages ? cc->npages : 1,
				 sizeof(*cc->page_blocks));
	if (!cc->page_blocks) {
		free(cc);
		return NULL;
	}
	return cc;
}

static void free_list(struct block *b, size_t next_offset)
{
	while (b) {
		struct block *next =
			*(struct block **)((char *)b + next_offset);
		free(b);
		b = next;
	}
}

void code_cache_destroy(struct code_cache *cc)
{
	if (!cc)
		return;
	for (uint64_t p = 0; p < cc->npages; p++)
		free_list(cc->page_blocks[p], offsetof(struct block, page_next));
	free_list(cc->dropped, offsetof(struct block, page_next));
	free(cc->page_blocks);
	free(cc);
}

void code_cache_add_cpu(struct code_cache *cc, struct cpu *c)
{
	if (cc->ncpus < MAX_CPUS)
		cc->cpus[cc->ncpus++] = c;
}

void code_cache_remove_cpu(struct code_cache *cc, struct cpu *c)
{
	for (unsigned i = 0; i < cc->ncpus; i++) {
		if (cc->cpus[i] == c) {
			cc->cpus[i] = cc->cpus[--cc->ncpus];
			return;
		}
	}
}

static unsigned hash_index(uint64_t pa, unsigned code_size)
{
	uint64_t h = (pa ^ (pa >> HASH_BITS) ^ ((uint64_t)code_size << 13)) *
		     0x9e3779b97f4a7c15ull;
	return (unsigned)(h >> (64 - HASH_BITS));
}

bool code_cache_tracks(const struct code_cache *cc, uint64_t pa)
{
	return (pa >> 12) < cc->npages;
}

bool code_cache_is_code_page(const struct code_cache *cc, uint64_t pa)
{
	uint64_t p = pa >> 12;
	return p < cc->npages && cc->page_blocks[p] != NULL;
}

struct block *code_cache_find(struct code_cache *cc, uint64_t pa,
			      unsigned code_size)
{
	struct block *b = cc->hash[hash_index(pa, code_size)];
	for (; b; b = b->hash_next)
		if (b->pa == pa && b->code_size == code_size)
			return b;
	return NULL;
}

struct block *block_alloc(unsigned ninsns)
{
	struct block *b = malloc(sizeof(*b) + ninsns * sizeof(struct insn));
	if (b)
		memset(b, 0, sizeof(*b));
	return b;
}

void code_cache_insert(struct code_cache *cc, struct block *b)
{
	uint64_t p = b->pa >> 12;
	unsigned h = hash_index(b->pa, b->code_size);
	if (!cc->page_blocks[p]) {
		/* The page now holds code: no CPU may write it through the
		 * TLB fast path any more. */
		for (unsigned i = 0; i < cc->ncpus; i++)
			tlb_protect_code_page(cc->cpus[i], b->pa & ~0xfffull);
	}
	b->hash_next = cc->hash[h];
	cc->hash[h] = b;
	b->page_next = cc->page_blocks[p];
	cc->page_blocks[p] = b;
	cc->blocks_made++;
}

static void unhash(struct code_cache *cc, struct block *b)
{
	struct block **pp = &cc->hash[hash_index(b->pa, b->code_size)];
	while (*pp != b)
		pp = &(*pp)->hash_next;
	*pp = b->hash_next;
}

bool code_cache_drop_range(struct code_cache *cc, uint64_t pa, uint64_t len)
{
	bool dropped = false;
	uint64_t end = pa + len;
	for (uint64_t p = pa >> 12; p < cc->npages && (p << 12) < end; p++) {
		struct block **pp = &cc->page_blocks[p];
		while (*pp) {
			struct block *b = *pp;
			if (b->pa < end && pa < b->pa + b->bytes) {
				*pp = b->page_next;
				unhash(cc, b);
				b->page_next = cc->dropped;
				cc->dropped = b;
				cc->blocks_dropped++;
				dropped = true;
			} else {
				pp = &b->page_next;
			}
		}
	}
	return dropped;
}

void code_cache_note_write(struct code_cache *cc, uint64_t pa, uint64_t len)
{
	if (len && code_cache_drop_range(cc, pa, len)) {
		/* Whichever CPU runs a dropped block must leave it now. */
		for (unsigned i = 0; i < cc->ncpus; i++)
			cc->cpus[i]->attention |= ATTN_CODE_CHANGED;
	}
}

void code_cache_free_dropped(struct code_cache *cc)
{
	free_list(cc->dropped, offsetof(struct block, page_next));
	cc->dropped = NULL;
}
