/* Floating-point and vector register state: the x87 unit, MXCSR and the
 * vector registers. The vector file is sized for 32 registers of 512
 * bits so that AVX and AVX-512 can grow into it; SSE uses the low 128
 * bits of the first 16. MMX registers are the significands of the x87
 * physical registers (SDM Vol. 1 9.5). */
#ifndef CPU_FPSTATE_H
#define CPU_FPSTATE_H

#include <stdbool.h>
#include <stdint.h>

/* An 80-bit extended-precision value: 64-bit significand with its
 * explicit integer bit, then sign (bit 15) and 15-bit biased exponent. */
struct f80 {
	uint64_t signif;
	uint16_t sign_exp;
};

struct x87_state {
	struct f80 r[8];   /* physical registers R0-R7; ST(i) is
			      r[(TOP + i) & 7] */
	uint16_t fcw;      /* control word */
	uint16_t fsw;      /* status word, TOP in bits 13:11 */
	uint16_t ftw;      /* full tag word, 2 bits per physical register */
	uint16_t fop;      /* last non-control opcode, 11 bits */
	uint64_t fip, fdp; /* last instruction and data pointers */
	uint16_t fcs, fds;
};

/* What the last XRSTOR or XRSTORS recorded for the modified optimization
 * of XSAVEOPT and XSAVES (SDM Vol. 1 13.6, XRSTOR_INFO): the CPL, VMX
 * non-root operation, the area's linear address and the format (XCOMP_BV
 * for XRSTORS and the compacted form, else 0), and the state it loaded.
 * A component counts as modified while it differs from what was loaded
 * (see cpu/ops_xsave.c). */
struct xrstor_info {
	bool valid;
	bool nonroot;
	uint8_t cpl;
	uint64_t la;
	uint64_t xcomp_bv;
	uint64_t rfbm;
	struct x87_state x87;
	uint8_t xmm[16][16];
};

#define VREG_BYTES 64
#define VREG_COUNT 32

union vreg {
	uint8_t b[VREG_BYTES];
	uint16_t w[VREG_BYTES / 2];
	uint32_t d[VREG_BYTES / 4];
	uint64_t q[VREG_BYTES / 8];
};

#endif
