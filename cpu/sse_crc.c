/* CRC32 (SSE4.2): the CRC-32C (Castagnoli, polynomial 11EDC6F41h) of the
 * source bytes, lowest first, accumulated into the destination's low 32
 * bits, bit-reflected as the SDM's algorithm is. A general-purpose
 * instruction: no x87/SSE state rules, no flags. The 64-bit destination
 * (REX.W) is the 32-bit result zero-extended (SDM Vol. 2A CRC32). */
#include "cpu/exec.h"
#include "cpu/fault.h"

#define CRC32C_POLY 0x82f63b78u /* reflected */

static uint32_t crc32c_table[256];

static void crc32c_init(void)
{
	for (unsigned n = 0; n < 256; n++) {
		uint32_t v = n;
		for (int k = 0; k < 8; k++)
			v = (v >> 1) ^ (v & 1 ? CRC32C_POLY : 0);
		crc32c_table[n] = v;
	}
}

static uint32_t crc32c(uint32_t crc, uint64_t src, unsigned bytes)
{
	if (!crc32c_table[1])
		crc32c_init();
	for (unsigned k = 0; k < bytes; k++)
		crc = (crc >> 8) ^ crc32c_table[(crc ^ (src >> (8 * k))) & 0xff];
	return crc;
}

/* size is the source's width; REX.W makes the destination 64-bit, which
 * a 32-bit write zero-extends all the same. */
EXEC_INLINE void crc32_gen(struct cpu *c, const struct insn *i, unsigned size,
			   bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t src = rm_read(c, i, size, mem, ea);
	c->gpr[i->reg] = crc32c((uint32_t)c->gpr[i->reg], src, size);
}

IMPL_B_RM(CRC32_GyEb, crc32_gen)
IMPL_V_RM(CRC32_GyEv, crc32_gen)
