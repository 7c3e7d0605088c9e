/* Public interface of the x86-64 core: create a CPU on a bus, run it for a
 * budget of instructions, inspect and change its state. */
#ifndef CPU_CPU_H
#define CPU_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/bus.h"

struct cpu;
struct code_cache;
struct cpu_model;

/* Why cpu_run() returned. */
enum cpu_stop {
	CPU_STOP_BUDGET,   /* the instruction budget is spent */
	CPU_STOP_HALTED,   /* HLT (or wait-for-SIPI) with nothing to wake it */
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

/* Without the block cache every instruction is decoded afresh; the same
 * handlers run either way. */
void cpu_set_block_cache(struct cpu *c, bool enabled);

/* Retired instructions since reset. */
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

#endif
