/* Public interface of the x86-64 core: create a CPU on a bus, run it for a
 * budget of instructions, inspect and change its state. */
#ifndef CPU_CPU_H
#define CPU_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/bus.h"

struct cpu;
struct code_cache;
struct cpu_model;

/* Why cpu_run() returned. */
enum cpu_stop {
	CPU_STOP_BUDGET,   /* the instruction budget is spent */
	CPU_STOP_HALTED,   /* HLT or wait-for-SIPI with nothing to wake it;
			      cpu_activity() tells which */
	CPU_STOP_SHUTDOWN, /* triple fault or other shutdown condition */
	CPU_STOP_REQUEST,  /* cpu_request_stop() or a device asked to end the run */
};

/* General-purpose register numbers, in encoding order. */
enum {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

/* Segment registers in encoding order, then the system segments. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT };

/* The code cache holds decoded blocks for all CPUs of one machine, keyed by
 * physical address; ram_bytes bounds the physical pages it tracks. */
struct code_cache *code_cache_create(uint64_t ram_bytes);
void code_cache_destroy(struct code_cache *cc);
/* Every write to RAM that does not go through a CPU (devices, loaders,
 * DMA) must be reported so that cached code over it is dropped. */
void code_cache_note_write(struct code_cache *cc, uint64_t pa, uint64_t len);

/* model may be NULL for the built-in default model. */
struct cpu *cpu_create(const struct bus *bus, struct code_cache *cc,
		       const struct cpu_model *model, unsigned apic_id);
void cpu_destroy(struct cpu *c);

/* Power-on / RESET state (SDM Vol. 3A 9.1.1). */
void cpu_reset(struct cpu *c);

/* Runs until budget more instructions have retired or the CPU stops. */
enum cpu_stop cpu_run(struct cpu *c, uint64_t budget);

/* Asks a running CPU to return at the next instruction boundary. */
void cpu_request_stop(struct cpu *c);

/* Raises or lowers the CPU's INTR line (external interrupt pending at the
 * interrupt controller) and NMI edge. */
void cpu_set_intr(struct cpu *c, bool level);
void cpu_raise_nmi(struct cpu *c);
/* The A20 gate (the A20M# input, inverted): while it is disabled, bit 20
 * of every physical address the CPU produces (linear addresses without
 * paging, page-walk and page-frame addresses) is 0. A new CPU has it
 * enabled; RESET and INIT do not change it, as it is an input pin. */
void cpu_set_a20(struct cpu *c, bool enabled);
/* The IGNNE# input: while asserted, a pending x87 exception does not
 * stop the next waiting x87 instruction when CR0.NE = 0 (SDM Vol. 1
 * D.2.1). A PC asserts it from port 0F0H while FERR# is asserted. */
void cpu_set_ignne(struct cpu *c, bool level);

/* Activity states, numbered as the VMCS guest activity state (SDM Vol.
 * 3C 24.4.2). A CPU in HLT or wait-for-SIPI executes nothing and costs
 * no host time: cpu_run() returns CPU_STOP_HALTED at once. */
enum cpu_activity {
	CPU_ACTIVE = 0,
	CPU_HLT = 1,
	CPU_SHUTDOWN = 2,
	CPU_WAIT_FOR_SIPI = 3,
};

enum cpu_activity cpu_activity(const struct cpu *c);
/* True if cpu_run() would execute or deliver something: the CPU is
 * active, or halted with an event pending that ends HLT (an unblocked
 * NMI, INTR with RFLAGS.IF = 1, INIT, a debug trap). */
bool cpu_runnable(const struct cpu *c);
/* IA32_APIC_BASE.BSP (SDM Vol. 3A 8.4.1): the bootstrap processor. At
 * RESET the CPU with APIC ID 0 is the BSP; the others are APs and enter
 * wait-for-SIPI (8.4.3). */
bool cpu_is_bsp(const struct cpu *c);
unsigned cpu_apic_id(const struct cpu *c);

/* The INIT signal (INIT# or an INIT IPI): the state of SDM Vol. 3A table
 * 9-1's INIT column; then the BSP executes from the reset vector and an
 * AP enters wait-for-SIPI (8.4.2). The local APIC, which is the
 * platform's, resets itself. A CPU that is executing takes it at the
 * next instruction boundary; any other at once. */
void cpu_init_signal(struct cpu *c);
/* A start-up IPI with vector v: a CPU in wait-for-SIPI starts in real
 * mode at CS:IP = v00:0000 (CS base v000H) and returns true; in any other
 * state the SIPI is ignored and it returns false (SDM Vol. 3A 8.4.2,
 * 10.6.1). */
bool cpu_sipi(struct cpu *c, uint8_t vector);

/* For the scheduler: a running CPU (cpu_run() in progress) returns after
 * at most n more instructions, e.g. when a device arms a timer that is
 * due before the slice would end. */
void cpu_limit_budget(struct cpu *c, uint64_t n);
/* The instruction counter itself (cpu_icount()), for the machine's
 * clock. */
const uint64_t *cpu_icount_counter(const struct cpu *c);
/* The time-stamp counter as RDTSC reads it now, and its rate in Hz. */
uint64_t cpu_tsc(const struct cpu *c);
uint64_t cpu_tsc_hz(const struct cpu *c);

/* Without the block cache every instruction is decoded afresh; the same
 * handlers run either way. */
void cpu_set_block_cache(struct cpu *c, bool enabled);

/* Instructions retired since reset, with each iteration of a REP string
 * instruction and each delivered exception counted as one: the clock and
 * the budget follow the work done, and go on while a handler faults
 * again and again without retiring anything. */
uint64_t cpu_icount(const struct cpu *c);

/* State access for loaders, the CLI and scripts. */
uint64_t cpu_get_gpr(const struct cpu *c, int reg);
void cpu_set_gpr(struct cpu *c, int reg, uint64_t val);
uint64_t cpu_get_rip(const struct cpu *c);
void cpu_set_rip(struct cpu *c, uint64_t rip);
uint64_t cpu_get_rflags(const struct cpu *c);
void cpu_set_rflags(struct cpu *c, uint64_t val);

/* A flat 32-bit protected-mode state with paging off, as multiboot
 * requires (Multiboot spec 3.2): CS = 32-bit code base 0 limit 4G, other
 * segments 32-bit data base 0 limit 4G, CR0.PE = 1, IF = 0. */
void cpu_enter_flat_protected_mode(struct cpu *c);

/* The last shutdown or fault reason, for messages. */
const char *cpu_last_reason(const struct cpu *c);

/* Where the CPU is, in one line for messages: CS:rIP, the mode, CPL
 * and the activity state, e.g. "0010:ffffffff81000000, 64-bit mode,
 * CPL 0, halted". */
void cpu_describe(const struct cpu *c, char *buf, size_t len);

#endif
