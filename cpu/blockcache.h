/* The decoded-block cache shared by the CPUs of one machine. Blocks are
 * keyed by the physical address of their first byte and the code size;
 * pages holding cached code are marked so that writes to them drop the
 * blocks they overlap. */
#ifndef CPU_BLOCKCACHE_H
#define CPU_BLOCKCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* True if physical page pa (any address in it) holds cached code. Writes
 * to such pages must go through code_cache_note_write(). */
bool code_cache_is_code_page(const struct code_cache *cc, uint64_t pa);

/* Registers a CPU so that its TLB loses write access to pages that become
 * code pages. */
void code_cache_add_cpu(struct code_cache *cc, struct cpu *c);

#endif
