/* The instruction decoder: bytes in, a struct insn out. It knows every
 * encoding's length (legacy, VEX, EVEX) so that it can walk any code, and
 * marks the encodings this CPU does not execute as #UD with a reason. */
#ifndef CPU_DECODE_H
#define CPU_DECODE_H

#include <stdint.h>

#include "cpu/insn.h"

enum {
	DECODE_TOO_LONG = -1,  /* more than 15 bytes: #GP(0) (SDM Vol. 2A 2.3.11) */
	DECODE_NEED_MORE = -2, /* avail bytes end inside the instruction */
};

/* Decodes the instruction at bytes[0 .. avail) for code of code_size
 * bytes (2, 4 or 8). Returns its length (1..15) or DECODE_*. An invalid
 * encoding still returns its length, with i->fn raising #UD and
 * i->ud_reason saying why. */
int decode_insn(struct insn *i, const uint8_t *bytes, unsigned avail,
		unsigned code_size);

/* Handler for invalid encodings: raises #UD with i->ud_reason. */
void insn_ud(struct cpu *c, const struct insn *i);

#endif
