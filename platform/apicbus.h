/* The APIC bus: interrupt messages between the local APICs and from the
 * I/O APIC, their destinations (physical, logical flat and cluster,
 * shorthands, lowest priority) and their effect on each receiver (SDM
 * Vol. 3A 10.6). Every IPI is an event with its fate, which the log shows
 * at the debug level (I/O APIC messages at the trace level).
 *
 * Lowest priority: the SDM leaves the choice to the chipset (10.6.2.4);
 * here it is the matching APIC with the lowest TPR, ties going to the
 * lowest APIC ID, so that runs repeat. */
#ifndef PLATFORM_APICBUS_H
#define PLATFORM_APICBUS_H

#include <stdbool.h>
#include <stdint.h>

#include "platform/lapic.h"

struct ioapic;
struct apic_bus;

enum apic_shorthand {
	APIC_SH_NONE = 0,
	APIC_SH_SELF = 1,
	APIC_SH_ALL = 2,          /* all including self */
	APIC_SH_OTHERS = 3,       /* all excluding self */
};

/* An interrupt message. */
struct apic_msg {
	uint32_t dest;
	uint8_t vector;
	uint8_t mode;             /* enum apic_delivery */
	uint8_t shorthand;        /* enum apic_shorthand */
	bool logical;             /* logical destination mode */
	bool level;               /* level-triggered */
	bool deassert;            /* INIT level de-assert */
	bool x2;                  /* 32-bit destination (x2APIC sender) */
	int from;                 /* sender's APIC ID, or APIC_FROM_IOAPIC */
	unsigned pin;             /* the I/O APIC pin, for the log */
};

#define APIC_FROM_IOAPIC (-1)
#define APIC_TO_NONE (-1)
#define APIC_TO_ALL (-2)

/* One message's effect on one receiver (or on none, or on all). */
struct apic_event {
	const struct apic_msg *msg;
	int to;                   /* receiver's APIC ID, APIC_TO_NONE, APIC_TO_ALL */
	bool delivered;
	const char *fate;         /* what happened and, if ignored, the rule */
};

typedef void (*apicbus_listener)(void *opaque, const struct apic_event *ev);

struct apic_bus *apicbus_create(void);
void apicbus_destroy(struct apic_bus *b);

/* lapic_create() attaches each APIC. Returns false when the bus is full. */
bool apicbus_attach(struct apic_bus *b, struct lapic *l);
/* The I/O APIC that EOI broadcasts reach. */
void apicbus_set_ioapic(struct apic_bus *b, struct ioapic *io);
/* Every event also goes to fn (tests, a later event stream). */
void apicbus_set_listener(struct apic_bus *b, apicbus_listener fn,
			  void *opaque);

unsigned apicbus_count(const struct apic_bus *b);
struct lapic *apicbus_lapic(const struct apic_bus *b, unsigned apic_id);

/* Sends m: finds the receivers and delivers to each. Returns how many
 * accepted it (the I/O APIC sets remote IRR only then). */
unsigned apicbus_send(struct apic_bus *b, const struct apic_msg *m);
/* Reports an event for m that never reached the bus (a sender refused
 * it): the log line and the listener. */
void apicbus_report(struct apic_bus *b, const struct apic_msg *m, int to,
		    bool delivered, const char *fate);
/* A local APIC's EOI of a level-triggered vector. */
void apicbus_eoi(struct apic_bus *b, uint8_t vector);

/* Names for the log: "INIT", "STARTUP", ... */
const char *apic_delivery_name(unsigned mode);

#endif
