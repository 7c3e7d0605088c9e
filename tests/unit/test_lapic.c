/* The local APIC against the SDM (Vol. 3A chapter 10): reset values,
 * priorities (IRR, ISR, TPR, PPR), EOI, the destinations of IPIs
 * (physical, logical flat and cluster, shorthands), the fate of NMI,
 * INIT, INIT de-assert and STARTUP IPIs, the ESR, the timer in its three
 * modes on the virtual clock, the x2APIC MSR rules, IA32_APIC_BASE
 * transitions, and the LINT pins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/state.h"
#include "platform/apicbus.h"
#include "platform/clock.h"
#include "platform/lapic.h"

#define NCPU 4

struct rig {
	struct clock *clk;
	struct apic_bus *bus;
	struct code_cache *cc;
	struct bus cpubus;
	struct cpu *cpu[NCPU];
	struct lapic *l[NCPU];
	/* Events seen by the listener. */
	struct apic_event ev[32];
	char fate[32][256];
	unsigned nev;
};

static struct rig rig;

static uint8_t *no_ram(void *ctx, uint64_t pa)
{
	(void)ctx, (void)pa;
	return NULL;
}

static uint64_t now_ns(void *ctx)
{
	(void)ctx;
	return clock_now_ns(rig.clk);
}

static const struct bus_ops rig_ops = {
	.ram_page = no_ram,
	.now_ns = now_ns,
};

static void listen(void *opaque, const struct apic_event *ev)
{
	(void)opaque;
	if (rig.nev < 32) {
		rig.ev[rig.nev] = *ev;
		snprintf(rig.fate[rig.nev], sizeof(rig.fate[0]), "%s", ev->fate);
		rig.nev++;
	}
}

static int setup(void **state)
{
	(void)state;
	memset(&rig, 0, sizeof(rig));
	rig.clk = clock_create(1000000000u);
	rig.bus = apicbus_create();
	rig.cc = code_cache_create(1 << 20);
	rig.cpubus = (struct bus){ &rig_ops, NULL };
	apicbus_set_listener(rig.bus, listen, NULL);
	for (unsigned i = 0; i < NCPU; i++) {
		struct lapic_config lc = { .apic_id = i, .x2apic = true,
					   .tsc_deadline = true };
		rig.cpu[i] = cpu_create(&rig.cpubus, rig.cc, NULL, i);
		rig.l[i] = lapic_create(&lc, rig.cpu[i], rig.bus, rig.clk);
		assert_non_null(rig.l[i]);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NCPU; i++) {
		lapic_destroy(rig.l[i]);
		cpu_destroy(rig.cpu[i]);
	}
	apicbus_destroy(rig.bus);
	code_cache_destroy(rig.cc);
	clock_destroy(rig.clk);
	return 0;
}

static uint32_t rd(unsigned cpu, unsigned reg)
{
	return (uint32_t)lapic_mmio_read(rig.l[cpu], reg, 4);
}

static void wr(unsigned cpu, unsigned reg, uint32_t val)
{
	lapic_mmio_write(rig.l[cpu], reg, 4, val);
}

static void enable(unsigned cpu)
{
	wr(cpu, LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff);
}

static bool irr_has(unsigned cpu, unsigned v)
{
	return (rd(cpu, LAPIC_IRR + (v / 32) * 16) >> (v % 32)) & 1;
}

static void ipi(unsigned from, uint32_t dest, uint32_t lo)
{
	wr(from, LAPIC_ICR_HI, dest << 24);
	wr(from, LAPIC_ICR_LO, lo);
}

/* Moves the clock to t and fires what is due, as the scheduler does. */
static void advance(uint64_t t)
{
	clock_advance_to(rig.clk, t);
	clock_run_due(rig.clk);
}

/* SDM 10.4.7.1: the state after reset. */
static void test_reset_values(void **state)
{
	(void)state;
	struct lapic *l = rig.l[2];
	assert_int_equal(lapic_base(l), 0xfee00800ull);       /* EN, not BSP */
	assert_int_equal(lapic_base(rig.l[0]), 0xfee00900ull); /* EN, BSP */
	assert_int_equal(rd(2, LAPIC_ID), 2u << 24);
	/* Version 15H, max LVT entry 6 (seven LVTs), no EOI suppression. */
	assert_int_equal(rd(2, LAPIC_VERSION), 0x00060015u);
	assert_int_equal(rd(2, LAPIC_SVR), 0xffu);
	assert_int_equal(rd(2, LAPIC_DFR), 0xffffffffu);
	assert_int_equal(rd(2, LAPIC_TPR), 0);
	static const unsigned lvts[] = { LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL,
		LAPIC_LVT_PMC, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1,
		LAPIC_LVT_ERROR, LAPIC_LVT_CMCI };
	for (unsigned n = 0; n < 7; n++)
		assert_int_equal(rd(2, lvts[n]), APIC_MASKED);
	/* A software-disabled APIC keeps LVTs masked (10.4.7.2). */
	wr(2, LAPIC_LVT_TIMER, 0x40);
	assert_int_equal(rd(2, LAPIC_LVT_TIMER), APIC_MASKED | 0x40);
	/* An AP waits for a SIPI after reset. */
	assert_int_equal(cpu_activity(rig.cpu[2]), CPU_WAIT_FOR_SIPI);
	assert_int_equal(cpu_activity(rig.cpu[0]), CPU_ACTIVE);
}

/* 10.8.3.1, 10.8.4, 10.8.5: IRR -> ISR at INTA, PPR from TPR and ISR, a
 * lower class waits for the EOI of a higher one, TPR masks classes. */
static void test_priorities_and_eoi(void **state)
{
	(void)state;
	enable(0);
	ipi(0, 0, APIC_SH_SELF << APIC_SHORTHAND_SHIFT | 0x41);
	ipi(0, 0, APIC_SH_SELF << APIC_SHORTHAND_SHIFT | 0x92);
	assert_true(irr_has(0, 0x41) && irr_has(0, 0x92));
	assert_true(rig.cpu[0]->intr_line);
	assert_int_equal(lapic_acknowledge(rig.l[0]), 0x92);
	assert_int_equal(rd(0, LAPIC_PPR), 0x90);
	/* 0x41 is of a lower class than the one in service. */
	assert_false(rig.cpu[0]->intr_line);
	assert_int_equal(lapic_acknowledge(rig.l[0]), -1);
	/* TPR 0x95 >= ISRV class: PPR = TPR. */
	wr(0, LAPIC_TPR, 0x95);
	assert_int_equal(rd(0, LAPIC_PPR), 0x95);
	wr(0, LAPIC_TPR, 0);
	wr(0, LAPIC_EOI, 0);
	assert_false(irr_has(0, 0x92));
	assert_int_equal(rd(0, LAPIC_ISR + 0x40), 0);       /* ISR 0x80-0x9f */
	assert_true(rig.cpu[0]->intr_line);
	/* TPR class 4 blocks vector 0x41 (class 4 is not above 4). */
	wr(0, LAPIC_TPR, 0x40);
	assert_false(rig.cpu[0]->intr_line);
	lapic_set_tpr(rig.l[0], 0x30);                      /* MOV CR8, 3 */
	assert_true(rig.cpu[0]->intr_line);
	assert_int_equal(lapic_acknowledge(rig.l[0]), 0x41);
	wr(0, LAPIC_EOI, 0);
	assert_false(rig.cpu[0]->intr_line);
}

/* 10.6.2: physical, logical flat, logical cluster, broadcast. */
static void test_destinations(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NCPU; i++)
		enable(i);
	/* Physical: APIC ID 2 only. */
	ipi(0, 2, 0x50);
	assert_true(irr_has(2, 0x50));
	assert_false(irr_has(1, 0x50) || irr_has(3, 0x50));
	/* Flat: LDR bit i; destination 0x0a selects CPUs 1 and 3. */
	for (unsigned i = 0; i < NCPU; i++)
		wr(i, LAPIC_LDR, (1u << i) << 24);
	ipi(0, 0x0a, APIC_DEST_LOGICAL | 0x51);
	assert_true(irr_has(1, 0x51) && irr_has(3, 0x51));
	assert_false(irr_has(0, 0x51) || irr_has(2, 0x51));
	/* Cluster (DFR model 0): cluster 1 members 1, 2 -> CPUs 2, 3 if
	 * their LDRs are 0x11, 0x12. */
	for (unsigned i = 0; i < NCPU; i++)
		wr(i, LAPIC_DFR, 0x0fffffff);
	wr(0, LAPIC_LDR, 0x01u << 24);
	wr(1, LAPIC_LDR, 0x02u << 24);
	wr(2, LAPIC_LDR, 0x11u << 24);
	wr(3, LAPIC_LDR, 0x12u << 24);
	ipi(0, 0x13, APIC_DEST_LOGICAL | 0x52);
	assert_true(irr_has(2, 0x52) && irr_has(3, 0x52));
	assert_false(irr_has(0, 0x52) || irr_has(1, 0x52));
	ipi(1, 0x01, APIC_DEST_LOGICAL | 0x53);
	assert_true(irr_has(0, 0x53));
	assert_false(irr_has(2, 0x53));
	/* Physical broadcast 0xff reaches everyone, the sender too. */
	ipi(1, 0xff, 0x54);
	for (unsigned i = 0; i < NCPU; i++)
		assert_true(irr_has(i, 0x54));
}

static void test_shorthands(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NCPU; i++)
		enable(i);
	ipi(1, 0, APIC_SH_SELF << APIC_SHORTHAND_SHIFT | 0x60);
	assert_true(irr_has(1, 0x60));
	assert_false(irr_has(0, 0x60));
	ipi(1, 0, APIC_SH_ALL << APIC_SHORTHAND_SHIFT | 0x61);
	for (unsigned i = 0; i < NCPU; i++)
		assert_true(irr_has(i, 0x61));
	ipi(1, 0, APIC_SH_OTHERS << APIC_SHORTHAND_SHIFT | 0x62);
	assert_false(irr_has(1, 0x62));
	assert_true(irr_has(0, 0x62) && irr_has(2, 0x62) && irr_has(3, 0x62));
	/* Table 10-3: self and all-including-self only with fixed. */
	rig.nev = 0;
	ipi(1, 0, APIC_SH_SELF << APIC_SHORTHAND_SHIFT | APIC_DM_NMI << 8);
	assert_int_equal(rig.nev, 1);
	assert_false(rig.ev[0].delivered);
	assert_false(rig.cpu[1]->nmi_pending);
}

/* 10.5.3: errors of the sender and of the receiver; the ESR shows them
 * after a write. */
static void test_errors(void **state)
{
	(void)state;
	enable(0);
	enable(1);
	ipi(0, 1, 0x05);                    /* fixed, vector < 16 */
	assert_false(irr_has(1, 0x05));
	wr(0, LAPIC_ESR, 0);
	assert_int_equal(rd(0, LAPIC_ESR), LAPIC_ESR_SEND_ILLEGAL_VECTOR);
	wr(0, LAPIC_ESR, 0);
	assert_int_equal(rd(0, LAPIC_ESR), 0);
	/* Lowest priority IPIs are refused (10.12.9, Redirectible IPI). */
	ipi(0, 1, APIC_DM_LOWEST << 8 | 0x70);
	assert_false(irr_has(1, 0x70));
	wr(0, LAPIC_ESR, 0);
	assert_int_equal(rd(0, LAPIC_ESR), LAPIC_ESR_REDIRECTIBLE_IPI);
	/* A reserved offset in xAPIC mode: Illegal Register Address. */
	wr(0, LAPIC_ESR, 0);
	assert_int_equal(lapic_mmio_read(rig.l[0], 0x040, 4), 0);
	wr(0, LAPIC_ESR, 0);
	assert_int_equal(rd(0, LAPIC_ESR), LAPIC_ESR_ILLEGAL_REGISTER);
	/* The error LVT delivers on a new error. */
	wr(0, LAPIC_LVT_ERROR, 0xfe);
	ipi(0, 1, 0x07);
	assert_true(irr_has(0, 0xfe));
	/* A software-disabled receiver drops fixed interrupts. */
	wr(1, LAPIC_SVR, 0xff);
	ipi(0, 1, 0x71);
	assert_false(irr_has(1, 0x71));
}

/* INIT, INIT de-assert, SIPI, SIPI: what Linux sends (seed 004). */
static void test_init_sipi_fates(void **state)
{
	(void)state;
	enable(0);
	rig.nev = 0;
	ipi(0, 1, 0xc500);                  /* INIT, assert, level */
	assert_int_equal(rig.nev, 1);
	assert_true(rig.ev[0].delivered);
	assert_int_equal(rig.ev[0].to, 1);
	assert_non_null(strstr(rig.fate[0], "wait-for-SIPI"));
	ipi(0, 1, 0x8500);                  /* INIT de-assert */
	assert_int_equal(rig.nev, 2);
	assert_false(rig.ev[1].delivered);
	assert_int_equal(rig.ev[1].to, APIC_TO_ALL);
	assert_non_null(strstr(rig.fate[1], "de-assert"));
	assert_int_equal(cpu_activity(rig.cpu[1]), CPU_WAIT_FOR_SIPI);
	ipi(0, 1, 0x0600 | 0x9a);           /* SIPI */
	assert_true(rig.ev[2].delivered);
	assert_int_equal(cpu_activity(rig.cpu[1]), CPU_ACTIVE);
	assert_int_equal(rig.cpu[1]->seg[SEG_CS].sel, 0x9a00);
	assert_int_equal(rig.cpu[1]->seg[SEG_CS].base, 0x9a000);
	assert_int_equal(rig.cpu[1]->rip, 0);
	ipi(0, 1, 0x0600 | 0x9a);           /* the second SIPI */
	assert_false(rig.ev[3].delivered);
	assert_non_null(strstr(rig.fate[3], "only a processor in wait-for-SIPI"));
	/* The BSP ignores a SIPI. */
	ipi(1, 0, 0x0600 | 0x10);
	assert_false(rig.ev[4].delivered);
	assert_non_null(strstr(rig.fate[4], "the BSP"));
	assert_int_equal(cpu_activity(rig.cpu[0]), CPU_ACTIVE);
	/* INIT to the BSP: it restarts at the reset vector, it does not
	 * wait for a SIPI (8.4.2). */
	rig.cpu[0]->rip = 0x1234;
	ipi(1, 0, 0xc500);
	assert_int_equal(cpu_activity(rig.cpu[0]), CPU_ACTIVE);
	assert_int_equal(rig.cpu[0]->rip, 0xfff0);
	assert_int_equal(rig.cpu[0]->seg[SEG_CS].base, 0xffff0000ull);
	/* INIT reset the BSP's APIC: software-disabled again. */
	assert_int_equal(rd(0, LAPIC_SVR), 0xff);
}

/* INIT keeps what table 9-1 says it keeps. */
static void test_init_keeps_state(void **state)
{
	(void)state;
	struct cpu *c = rig.cpu[1];
	c->mxcsr = 0x1f00;
	c->x87.fcw = 0x27f;
	c->pat = 0x0606060606060606ull;
	c->cr0 = 0xe0000011;                /* PG, CD, NW, ET, PE */
	c->efer = 0x500;
	c->gpr[REG_RBX] = 7;
	uint64_t icount = c->icount = 12345;
	cpu_init_signal(c);
	assert_int_equal(c->mxcsr, 0x1f00);
	assert_int_equal(c->x87.fcw, 0x27f);
	assert_int_equal(c->pat, 0x0606060606060606ull);
	assert_int_equal(c->cr0, 0x60000010);   /* CD, NW kept, ET set */
	assert_int_equal(c->efer, 0);
	assert_int_equal(c->gpr[REG_RBX], 0);
	assert_int_equal(c->icount, icount);
	assert_int_equal(cpu_activity(c), CPU_WAIT_FOR_SIPI);
}

/* 10.5.4: one-shot and periodic at LAPIC_TIMER_HZ / divisor. */
static void test_timer_one_shot_and_periodic(void **state)
{
	(void)state;
	enable(0);
	wr(0, LAPIC_TIMER_DCR, 0x0);        /* divide by 2: 20 ns a count */
	wr(0, LAPIC_LVT_TIMER, 0x30);
	wr(0, LAPIC_TIMER_ICR, 1000);
	assert_int_equal(rd(0, LAPIC_TIMER_CCR), 1000);
	advance(10000);                     /* 500 counts */
	assert_int_equal(rd(0, LAPIC_TIMER_CCR), 500);
	assert_false(irr_has(0, 0x30));
	assert_int_equal(clock_next_deadline(rig.clk), 20000);
	advance(20000);
	assert_true(irr_has(0, 0x30));
	assert_int_equal(rd(0, LAPIC_TIMER_CCR), 0);
	assert_int_equal(clock_next_deadline(rig.clk), UINT64_MAX);
	/* Periodic, divide by 1: every 100 counts = 1 us. */
	lapic_acknowledge(rig.l[0]);
	wr(0, LAPIC_EOI, 0);
	wr(0, LAPIC_TIMER_DCR, 0xb);
	wr(0, LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | 0x31);
	wr(0, LAPIC_TIMER_ICR, 100);
	advance(21000);
	assert_true(irr_has(0, 0x31));
	lapic_acknowledge(rig.l[0]);
	wr(0, LAPIC_EOI, 0);
	assert_int_equal(clock_next_deadline(rig.clk), 22000);
	advance(21500);
	assert_int_equal(rd(0, LAPIC_TIMER_CCR), 50);
	advance(22000);
	assert_true(irr_has(0, 0x31));
	/* Masked: counts on, delivers nothing. */
	lapic_acknowledge(rig.l[0]);
	wr(0, LAPIC_EOI, 0);
	wr(0, LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | APIC_MASKED | 0x31);
	advance(23000);
	assert_false(irr_has(0, 0x31));
	assert_int_equal(clock_next_deadline(rig.clk), 24000);
	/* Initial count 0 stops it. */
	wr(0, LAPIC_TIMER_ICR, 0);
	assert_int_equal(clock_next_deadline(rig.clk), UINT64_MAX);
}

/* 10.5.4.1: TSC-deadline mode. The TSC runs at the model's 2 GHz. */
static void test_timer_tsc_deadline(void **state)
{
	(void)state;
	char why[256];
	uint64_t v;
	enable(0);
	/* Outside TSC-deadline mode the MSR reads 0 and ignores writes. */
	assert_true(lapic_msr_write(rig.l[0], LAPIC_MSR_TSC_DEADLINE, 5000,
				    why, sizeof(why)));
	assert_true(lapic_msr_read(rig.l[0], LAPIC_MSR_TSC_DEADLINE, &v, why,
				   sizeof(why)));
	assert_int_equal(v, 0);
	wr(0, LAPIC_LVT_TIMER, LAPIC_TIMER_TSC_DEADLINE | 0x32);
	uint64_t tsc = cpu_tsc(rig.cpu[0]);
	lapic_msr_write(rig.l[0], LAPIC_MSR_TSC_DEADLINE, tsc + 4000, why,
			sizeof(why));
	/* 4000 ticks at 2 GHz = 2000 ns. */
	assert_int_equal(clock_next_deadline(rig.clk),
			 clock_now_ns(rig.clk) + 2000);
	/* The initial-count register is ignored; CCR reads 0. */
	wr(0, LAPIC_TIMER_ICR, 50);
	assert_int_equal(rd(0, LAPIC_TIMER_ICR), 0);
	assert_int_equal(rd(0, LAPIC_TIMER_CCR), 0);
	advance(clock_now_ns(rig.clk) + 1999);
	assert_false(irr_has(0, 0x32));
	advance(clock_now_ns(rig.clk) + 1);
	assert_true(irr_has(0, 0x32));
	lapic_msr_read(rig.l[0], LAPIC_MSR_TSC_DEADLINE, &v, why, sizeof(why));
	assert_int_equal(v, 0);
	/* A deadline already passed fires at once. */
	lapic_acknowledge(rig.l[0]);
	wr(0, LAPIC_EOI, 0);
	lapic_msr_write(rig.l[0], LAPIC_MSR_TSC_DEADLINE, 1, why, sizeof(why));
	assert_true(irr_has(0, 0x32));
	/* Changing the mode disarms. */
	lapic_msr_write(rig.l[0], LAPIC_MSR_TSC_DEADLINE, ~0ull, why,
			sizeof(why));
	assert_int_not_equal(clock_next_deadline(rig.clk), UINT64_MAX);
	wr(0, LAPIC_LVT_TIMER, 0x32);
	assert_int_equal(clock_next_deadline(rig.clk), UINT64_MAX);
}

static bool msr_rd(unsigned cpu, uint32_t index, uint64_t *v, char *why)
{
	return lapic_msr_read(rig.l[cpu], index, v, why, 256);
}

static bool msr_wr(unsigned cpu, uint32_t index, uint64_t v, char *why)
{
	return lapic_msr_write(rig.l[cpu], index, v, why, 256);
}

/* 10.12: x2APIC mode through IA32_APIC_BASE, its MSRs and their rules. */
static void test_x2apic(void **state)
{
	(void)state;
	char why[256];
	uint64_t v;
	/* xAPIC mode: the MSRs raise #GP. */
	assert_false(msr_rd(3, 0x802, &v, why));
	assert_non_null(strstr(why, "not in x2APIC mode"));
	for (unsigned i = 0; i < NCPU; i++) {
		lapic_set_base(rig.l[i], lapic_base(rig.l[i]) | LAPIC_BASE_EXTD);
		assert_true(lapic_x2apic_mode(rig.l[i]));
		assert_true(msr_wr(i, 0x80f, 0x1ff, why));
	}
	/* The xAPIC page is gone. */
	assert_false(lapic_claims(rig.l[3], 0xfee00000));
	assert_true(msr_rd(3, 0x802, &v, why));
	assert_int_equal(v, 3);
	/* LDR: cluster 0, bit 3 (10.12.10.2); read-only. */
	assert_true(msr_rd(3, 0x80d, &v, why));
	assert_int_equal(v, 1u << 3);
	assert_false(msr_wr(3, 0x80d, 0, why));
	assert_non_null(strstr(why, "read-only"));
	/* No DFR, APR, ICR high in x2APIC mode. */
	assert_false(msr_rd(3, 0x80e, &v, why));
	assert_false(msr_rd(3, 0x831, &v, why));
	/* EOI and SELF IPI are write-only; EOI takes only 0. */
	assert_false(msr_rd(3, 0x80b, &v, why));
	assert_false(msr_wr(3, 0x80b, 1, why));
	assert_false(msr_rd(3, 0x83f, &v, why));
	/* Reserved bits raise #GP: TPR 31:8, high halves. */
	assert_false(msr_wr(3, 0x808, 0x100, why));
	assert_non_null(strstr(why, "reserved"));
	assert_false(msr_wr(3, 0x808, 1ull << 32, why));
	assert_false(msr_wr(3, 0x828, 1, why));         /* ESR: only 0 */
	/* ICR: one 64-bit write with a 32-bit destination. */
	assert_true(msr_wr(0, 0x830, 2ull << 32 | 0x44, why));
	assert_true(irr_has(2, 0x44));
	assert_false(msr_wr(0, 0x830, 1u << 13 | 0x44, why));   /* bit 13 */
	/* Logical x2APIC: cluster 0, bits 1 and 2. */
	assert_true(msr_wr(0, 0x830, 6ull << 32 | APIC_DEST_LOGICAL | 0x45,
			   why));
	assert_true(irr_has(1, 0x45) && irr_has(2, 0x45));
	assert_false(irr_has(3, 0x45));
	/* SELF IPI. */
	assert_true(msr_wr(3, 0x83f, 0x46, why));
	assert_true(irr_has(3, 0x46));
	assert_false(msr_wr(3, 0x83f, 0x146, why));
	/* x2APIC to xAPIC directly is refused by the CPU (cpu/msr.c); to
	 * disabled loses the state (10.12.5.1). */
	lapic_set_base(rig.l[3], lapic_base(rig.l[3]) &
			       ~(LAPIC_BASE_EN | LAPIC_BASE_EXTD));
	lapic_set_base(rig.l[3], lapic_base(rig.l[3]) | LAPIC_BASE_EN);
	assert_false(irr_has(3, 0x46));
	assert_int_equal(rd(3, LAPIC_SVR), 0xff);
	assert_int_equal(rd(3, LAPIC_ID), 3u << 24);
}

/* 10.4.3: a globally disabled APIC passes LINT0 as INTR and LINT1 as
 * NMI; enabled, LINT0 as ExtINT reads the vector from the 8259. */
static bool pic_pending;
static bool fake_pending(void *opaque)
{
	(void)opaque;
	return pic_pending;
}
static int fake_ack(void *opaque)
{
	(void)opaque;
	pic_pending = false;
	return 0x20;
}

static void test_lint_pins(void **state)
{
	(void)state;
	struct lapic_extint src = { fake_pending, fake_ack, NULL };
	struct lapic *l = rig.l[0];
	lapic_set_extint(l, &src);
	enable(0);
	wr(0, LAPIC_LVT_LINT0, APIC_DM_EXTINT << 8);
	wr(0, LAPIC_LVT_LINT1, APIC_DM_NMI << 8);
	pic_pending = true;
	lapic_extint_changed(l);
	assert_true(rig.cpu[0]->intr_line);
	assert_int_equal(lapic_acknowledge(l), 0x20);
	assert_false(rig.cpu[0]->intr_line);
	lapic_set_lint(l, 1, true);
	assert_true(rig.cpu[0]->nmi_pending);
	/* Masked LINT0: the 8259 does not reach the CPU. */
	rig.cpu[0]->nmi_pending = false;
	wr(0, LAPIC_LVT_LINT0, APIC_MASKED | APIC_DM_EXTINT << 8);
	pic_pending = true;
	lapic_extint_changed(l);
	assert_false(rig.cpu[0]->intr_line);
	/* Globally disabled: LINT0 is INTR whatever the LVT says. */
	lapic_set_base(l, lapic_base(l) & ~LAPIC_BASE_EN);
	assert_true(rig.cpu[0]->intr_line);
	lapic_set_lint(l, 1, false);
	lapic_set_lint(l, 1, true);
	assert_true(rig.cpu[0]->nmi_pending);
	assert_false(lapic_claims(l, 0xfee00000));
}

/* Level-triggered fixed LINT0: remote IRR until EOI, then again while the
 * pin stays asserted (10.5.1). */
static void test_lint0_level(void **state)
{
	(void)state;
	struct lapic *l = rig.l[0];
	enable(0);
	wr(0, LAPIC_LVT_LINT0, APIC_TRIGGER_LEVEL | 0x66);
	lapic_set_lint(l, 0, true);
	assert_true(irr_has(0, 0x66));
	assert_true(rd(0, LAPIC_LVT_LINT0) & APIC_REMOTE_IRR);
	assert_true(rd(0, LAPIC_TMR + 0x30) & (1u << 6));
	assert_int_equal(lapic_acknowledge(l), 0x66);
	wr(0, LAPIC_EOI, 0);
	/* Still asserted: delivered again. */
	assert_true(irr_has(0, 0x66));
	assert_int_equal(lapic_acknowledge(l), 0x66);
	lapic_set_lint(l, 0, false);
	wr(0, LAPIC_EOI, 0);
	assert_false(irr_has(0, 0x66));
	assert_false(rd(0, LAPIC_LVT_LINT0) & APIC_REMOTE_IRR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priorities_and_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destinations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shorthands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_sipi_fates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_keeps_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_one_shot_and_periodic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_tsc_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_x2apic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lint_pins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lint0_level, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
