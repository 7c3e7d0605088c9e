/* The APIC bus: who receives a message and what it does there, each
 * outcome reported as an event (see platform/apicbus.h). */
#include "platform/apicbus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "platform/ioapic.h"
#include "util/log.h"

#define APICBUS_MAX 256

struct apic_bus {
	struct lapic *lapic[APICBUS_MAX];   /* in APIC ID order */
	unsigned n;
	struct ioapic *ioapic;
	apicbus_listener listener;
	void *listener_opaque;
};

struct apic_bus *apicbus_create(void)
{
	return calloc(1, sizeof(struct apic_bus));
}

void apicbus_destroy(struct apic_bus *b)
{
	free(b);
}

bool apicbus_attach(struct apic_bus *b, struct lapic *l)
{
	if (b->n >= APICBUS_MAX)
		return false;
	unsigned i = b->n++;
	while (i > 0 && lapic_initial_id(b->lapic[i - 1]) > lapic_initial_id(l)) {
		b->lapic[i] = b->lapic[i - 1];
		i--;
	}
	b->lapic[i] = l;
	return true;
}

void apicbus_set_ioapic(struct apic_bus *b, struct ioapic *io)
{
	b->ioapic = io;
}

void apicbus_set_listener(struct apic_bus *b, apicbus_listener fn,
			  void *opaque)
{
	b->listener = fn;
	b->listener_opaque = opaque;
}

unsigned apicbus_count(const struct apic_bus *b)
{
	return b->n;
}

struct lapic *apicbus_lapic(const struct apic_bus *b, unsigned apic_id)
{
	for (unsigned i = 0; i < b->n; i++)
		if (lapic_initial_id(b->lapic[i]) == apic_id)
			return b->lapic[i];
	return NULL;
}

const char *apic_delivery_name(unsigned mode)
{
	static const char *const names[8] = {
		"fixed", "lowest-priority", "SMI", "reserved mode 3", "NMI",
		"INIT", "STARTUP", "ExtINT",
	};
	return names[mode & 7];
}

/* "INIT level de-assert", "STARTUP vector 0x9a", "fixed vector 0x41". */
static void describe_kind(const struct apic_msg *m, char *buf, size_t len)
{
	if (m->mode == APIC_DM_INIT)
		snprintf(buf, len, "INIT %s", m->deassert ? "level de-assert" :
			 "assert");
	else if (m->mode == APIC_DM_NMI || m->mode == APIC_DM_SMI ||
		 m->mode == APIC_DM_EXTINT)
		snprintf(buf, len, "%s", apic_delivery_name(m->mode));
	else
		snprintf(buf, len, "%s vector 0x%02x%s",
			 apic_delivery_name(m->mode), m->vector,
			 m->level ? " level-triggered" : "");
}

static void describe_dest(const struct apic_msg *m, char *buf, size_t len)
{
	static const char *const sh[4] = { "", "self", "all including self",
					   "all excluding self" };
	if (m->shorthand != APIC_SH_NONE)
		snprintf(buf, len, "%s", sh[m->shorthand & 3]);
	else
		snprintf(buf, len, "%s destination 0x%x",
			 m->logical ? "logical" : "physical", m->dest);
}

void apicbus_report(struct apic_bus *b, const struct apic_msg *m, int to,
		    bool delivered, const char *fate)
{
	struct apic_event ev = { m, to, delivered, fate };
	bool ipi = m->from != APIC_FROM_IOAPIC;
	enum log_level level = ipi ? LOG_DEBUG : LOG_TRACE;

	if (b->listener)
		b->listener(b->listener_opaque, &ev);
	if (!log_enabled(level))
		return;
	char from[32], target[32], kind[48], dest[48];
	if (ipi)
		snprintf(from, sizeof(from), "IPI from CPU %d", m->from);
	else
		snprintf(from, sizeof(from), "I/O APIC pin %u", m->pin);
	if (to >= 0)
		snprintf(target, sizeof(target), "CPU %d", to);
	else
		snprintf(target, sizeof(target), "%s",
			 to == APIC_TO_ALL ? "every CPU" : "no CPU");
	describe_kind(m, kind, sizeof(kind));
	describe_dest(m, dest, sizeof(dest));
	log_msg(level, "apic", "%s to %s: %s (%s): %s", from, target, kind,
		dest, fate);
}

static const char *activity_name(enum cpu_activity a)
{
	switch (a) {
	case CPU_ACTIVE: return "active";
	case CPU_HLT: return "halted (HLT)";
	case CPU_SHUTDOWN: return "shut down";
	case CPU_WAIT_FOR_SIPI: return "waiting for a SIPI";
	}
	return "in an unknown state";
}

/* The effect of m on the APIC l and its CPU. */
static bool deliver(struct apic_bus *b, const struct apic_msg *m,
		    struct lapic *l)
{
	struct cpu *c = lapic_cpu(l);
	int to = (int)lapic_initial_id(l);
	char fate[256];
	bool ok = true;

	switch (m->mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST: {
		const char *f = lapic_accept(l, m->vector, m->level);
		ok = strncmp(f, "delivered", 9) == 0;
		snprintf(fate, sizeof(fate), "%s", f);
		break;
	}
	case APIC_DM_NMI:
		if (cpu_activity(c) == CPU_WAIT_FOR_SIPI)
			snprintf(fate, sizeof(fate), "pending: CPU %d waits for "
				 "a SIPI, which blocks NMIs (SDM Vol. 3C 26.6.2)",
				 to);
		else
			snprintf(fate, sizeof(fate), "delivered");
		cpu_raise_nmi(c);
		break;
	case APIC_DM_SMI:
		ok = false;
		snprintf(fate, sizeof(fate), "ignored: this machine does not "
			 "simulate system-management mode");
		break;
	case APIC_DM_INIT: {
		bool bsp = cpu_is_bsp(c);
		lapic_init(l);
		cpu_init_signal(c);
		snprintf(fate, sizeof(fate), bsp ?
			 "delivered: CPU %d is the BSP and restarts at the "
			 "reset vector, F000:FFF0 (SDM Vol. 3A 8.4.2)" :
			 "delivered: CPU %d is an AP and enters wait-for-SIPI "
			 "(SDM Vol. 3A 8.4.2)", to);
		break;
	}
	case APIC_DM_STARTUP: {
		enum cpu_activity before = cpu_activity(c);
		if (cpu_sipi(c, m->vector)) {
			snprintf(fate, sizeof(fate), "delivered: CPU %d leaves "
				 "wait-for-SIPI and starts at %02x00:0000 "
				 "(physical 0x%05x)", to, m->vector,
				 (unsigned)m->vector << 12);
		} else {
			ok = false;
			snprintf(fate, sizeof(fate), "ignored: CPU %d is %s%s; "
				 "only a processor in wait-for-SIPI acts on a "
				 "SIPI, and only an AP enters it (SDM Vol. 3A "
				 "8.4.2, 10.6.1)", to, activity_name(before),
				 cpu_is_bsp(c) ? ", the BSP" : "");
		}
		break;
	}
	case APIC_DM_EXTINT:
		lapic_accept_extint(l);
		snprintf(fate, sizeof(fate), "delivered: the 8259 supplies the "
			 "vector at INTA");
		break;
	default:
		ok = false;
		snprintf(fate, sizeof(fate), "ignored: delivery mode 3 is "
			 "reserved");
		break;
	}
	apicbus_report(b, m, to, ok, fate);
	return ok;
}

/* Table 10-3: with the self and all-including-self shorthands only
 * fixed interrupts are valid. */
static bool shorthand_valid(const struct apic_msg *m)
{
	if (m->shorthand == APIC_SH_SELF || m->shorthand == APIC_SH_ALL)
		return m->mode == APIC_DM_FIXED;
	return true;
}

static bool selected(const struct apic_msg *m, const struct lapic *l)
{
	int id = (int)lapic_initial_id(l);
	switch (m->shorthand) {
	case APIC_SH_SELF:
		return id == m->from;
	case APIC_SH_ALL:
		return lapic_hw_enabled(l);
	case APIC_SH_OTHERS:
		return id != m->from && lapic_hw_enabled(l);
	default:
		return lapic_matches(l, m->dest, m->logical, m->x2);
	}
}

unsigned apicbus_send(struct apic_bus *b, const struct apic_msg *m)
{
	if (m->deassert) {
		/* 10.6.1: INIT level de-assert goes to every processor,
		 * whatever the destination, to resynchronise arbitration
		 * IDs; Pentium 4 and later do not support it, and it never
		 * resets a processor. */
		apicbus_report(b, m, APIC_TO_ALL, false, "ignored: INIT level "
			       "de-assert (level 0, trigger level) resets no "
			       "processor; it only synchronised arbitration IDs "
			       "and is not supported since the Pentium 4 (SDM "
			       "Vol. 3A 10.6.1)");
		return 0;
	}
	if (!shorthand_valid(m)) {
		apicbus_report(b, m, APIC_TO_NONE, false, "ignored: the self "
			       "and all-including-self shorthands are valid "
			       "only with fixed delivery (SDM Vol. 3A table 10-3)");
		return 0;
	}
	struct lapic *to[APICBUS_MAX];
	unsigned n = 0;
	for (unsigned i = 0; i < b->n; i++)
		if (selected(m, b->lapic[i]))
			to[n++] = b->lapic[i];
	if (m->mode == APIC_DM_LOWEST && n > 1) {
		/* The lowest TPR wins; ties go to the lowest APIC ID, the
		 * first in bus order (see the header). */
		struct lapic *best = to[0];
		for (unsigned i = 1; i < n; i++)
			if (lapic_tpr(to[i]) < lapic_tpr(best))
				best = to[i];
		to[0] = best;
		n = 1;
	}
	if (n == 0) {
		apicbus_report(b, m, APIC_TO_NONE, false, "ignored: no enabled "
			       "local APIC matches the destination");
		return 0;
	}
	unsigned accepted = 0;
	for (unsigned i = 0; i < n; i++)
		accepted += deliver(b, m, to[i]);
	return accepted;
}

void apicbus_eoi(struct apic_bus *b, uint8_t vector)
{
	if (b->ioapic)
		ioapic_eoi(b->ioapic, vector);
}
