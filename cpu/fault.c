/* Raising guest exceptions: record vector, error code and reason, then
 * unwind to the instruction boundary. */
#include "cpu/fault.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int exc_has_error_code(int vector)
{
	switch (vector) {
	case EXC_DF: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
	case EXC_PF: case EXC_AC: case EXC_CP:
		return 1;
	default:
		return 0;
	}
}

const char *exc_name(int vector)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", "#MF(9)", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
		"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
	};
	if (vector >= 0 && vector < 32)
		return names[vector];
	return "INT";
}

/* Records the fault; the reason was formatted by the caller. */
static _Noreturn void unwind(struct cpu *c, int vector, bool has_err,
			     uint32_t err, uint64_t cr2)
{
	struct fault_info *f = &c->fault;
	f->vector = vector;
	f->has_error_code = has_err;
	f->error_code = has_err ? err : 0;
	f->cr2 = cr2;
	if (!c->fault_env) {
		/* A fault outside any instruction is a simulator bug. */
		fprintf(stderr, "vmxsim: internal error: %s (%s) outside an instruction\n",
			exc_name(vector), f->reason);
		abort();
	}
	longjmp(*c->fault_env, 1);
}

#define FORMAT_REASON(c, fmt) do {					\
		va_list ap;						\
		va_start(ap, fmt);					\
		vsnprintf((c)->fault.reason, sizeof((c)->fault.reason), \
			  fmt, ap);					\
		va_end(ap);						\
	} while (0)

void cpu_raise(struct cpu *c, int vector, const char *fmt, ...)
{
	FORMAT_REASON(c, fmt);
	unwind(c, vector, false, 0, 0);
}

void cpu_raise_err(struct cpu *c, int vector, uint32_t error_code,
		   const char *fmt, ...)
{
	FORMAT_REASON(c, fmt);
	unwind(c, vector, true, error_code, 0);
}

void cpu_raise_pf(struct cpu *c, uint64_t la, uint32_t error_code,
		  const char *fmt, ...)
{
	FORMAT_REASON(c, fmt);
	unwind(c, EXC_PF, true, error_code, la);
}
