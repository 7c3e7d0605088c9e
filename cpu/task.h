/* Hardware task switching (SDM Vol. 3A 7.3): JMP or CALL to a TSS or task
 * gate, an interrupt or exception through a task gate, and IRET with
 * EFLAGS.NT = 1. 16-bit and 32-bit TSS formats. */
#ifndef CPU_TASK_H
#define CPU_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/seg.h"
#include "cpu/state.h"

enum task_reason {
	TASK_JMP,
	TASK_CALL,
	TASK_IRET,
	TASK_INT,   /* interrupt or exception through a task gate */
};

/* Switches to the task whose TSS descriptor d the GDT selector tss_sel
 * selects. The caller has read d and checked that it is a TSS descriptor
 * and the privilege rules of its instruction; task_switch makes the
 * checks of SDM Vol. 3A 7.3 steps 3-4 (present, limit, busy), saves the
 * current task with EIP = ret_rip and EFLAGS = flags, and loads the new
 * one. Faults after the commit point are raised in the new task's
 * context (c->rip is the new EIP). ext is the EXT bit for error codes;
 * has_err/err is an exception's error code, pushed on the new task's
 * stack. */
void task_switch(struct cpu *c, uint16_t tss_sel, struct seg_desc *d,
		 enum task_reason why, uint64_t ret_rip, uint64_t flags,
		 bool ext, bool has_err, uint32_t err);

/* True for the TSS descriptor types (available or busy, 16 or 32-bit). */
static inline bool task_is_tss_type(unsigned type)
{
	return type == DESC_TSS16_AVAIL || type == DESC_TSS16_BUSY ||
	       type == DESC_TSS32_AVAIL || type == DESC_TSS32_BUSY;
}

#endif
