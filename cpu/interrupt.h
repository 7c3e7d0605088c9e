/* Event delivery through the IDT in every mode: exceptions, external
 * interrupts, NMI and software interrupts, with the double-fault and
 * shutdown rules (SDM Vol. 3A 6.12-6.15, 6.14 for IA-32e mode, 20.1 for
 * real mode, 20.3 for virtual-8086 mode). */
#ifndef CPU_INTERRUPT_H
#define CPU_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/state.h"

enum intr_kind {
	INTR_EXCEPTION,    /* fault or trap raised by the CPU */
	INTR_EXTERNAL,     /* INTR from the interrupt controller */
	INTR_NMI,
	INTR_SOFTWARE,     /* INT n: IDT gate DPL is checked */
	INTR_SOFTWARE_EXC, /* INT3, INTO: DPL checked, delivered as #BP/#OF */
	INTR_PRIV_SOFTWARE_EXC, /* INT1: no DPL check */
};

/* Delivers one event. The return address pushed is c->next_rip for
 * software interrupts and traps, c->rip for faults and for external
 * events (the run loop sets both to the interrupted instruction). May
 * raise a fault like any instruction. */
void intr_deliver(struct cpu *c, int vector, enum intr_kind kind,
		  bool has_error, uint32_t error_code);

/* Called by the run loop after a raised fault unwound to it: delivers
 * c->fault, turning a fault during delivery into #DF or, after #DF, into
 * shutdown (c->shut_down set, c->shutdown_reason filled) per SDM Vol. 3A
 * table 6-5. Never unwinds to the caller's fault_env. */
void intr_deliver_fault(struct cpu *c);

/* Takes an INIT that arrived while the CPU executed (ATTN_INIT), at an
 * instruction boundary (cpu/cpu.c). */
void cpu_take_init(struct cpu *c);

#endif
