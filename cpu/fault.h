/* Raising guest exceptions. A fault unwinds to the instruction boundary
 * (longjmp to c->fault_env) carrying its vector, error code and a reason
 * that says which rule the instruction broke. */
#ifndef CPU_FAULT_H
#define CPU_FAULT_H

#include <stdint.h>

#include "cpu/state.h"

enum {
	EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4,
	EXC_BR = 5, EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10,
	EXC_NP = 11, EXC_SS = 12, EXC_GP = 13, EXC_PF = 14, EXC_MF = 16,
	EXC_AC = 17, EXC_MC = 18, EXC_XM = 19, EXC_VE = 20, EXC_CP = 21,
};

/* Page-fault error code bits (SDM Vol. 3A 4.7). */
enum {
	PFEC_P = 1u << 0, PFEC_W = 1u << 1, PFEC_U = 1u << 2,
	PFEC_RSVD = 1u << 3, PFEC_I = 1u << 4, PFEC_PK = 1u << 5,
	PFEC_SS = 1u << 6, PFEC_SGX = 1u << 15,
};

/* True for the vectors that push an error code (SDM Vol. 3A 6.3.1). */
int exc_has_error_code(int vector);

/* Name of a vector, e.g. "#GP". */
const char *exc_name(int vector);

/* Raise an exception without / with an error code. */
_Noreturn void cpu_raise(struct cpu *c, int vector, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void cpu_raise_err(struct cpu *c, int vector, uint32_t error_code,
			     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* #PF with its linear address (becomes CR2 on delivery). */
_Noreturn void cpu_raise_pf(struct cpu *c, uint64_t la, uint32_t error_code,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define cpu_ud(c, ...) cpu_raise((c), EXC_UD, __VA_ARGS__)
#define cpu_gp0(c, ...) cpu_raise_err((c), EXC_GP, 0, __VA_ARGS__)

#endif
