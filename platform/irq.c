/* Interrupt lines fanned out to every attached controller. */
#include "platform/irq.h"

bool irq_bus_attach(struct irq_bus *b, struct irq_sink sink)
{
	if (b->nsinks >= IRQ_MAX_SINKS)
		return false;
	b->sinks[b->nsinks++] = sink;
	return true;
}

void irq_set(struct irq_bus *b, unsigned line, bool level)
{
	if (line >= IRQ_LINES)
		return;
	b->level[line] = level;
	for (unsigned i = 0; i < b->nsinks; i++)
		b->sinks[i].set_line(b->sinks[i].opaque, line, level);
}
