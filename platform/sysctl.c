/* System control ports (see platform/sysctl.h), after the Intel 82371AB
 * (PIIX4) datasheet's "Port 92h", "Reset Control Register" and
 * "Coprocessor error" descriptions.
 *
 * Readings chosen where the datasheet leaves room:
 *   - Port 0x92 reads back all eight bits as written (bits 7:6 are the
 *     disk activity lights, bit 3 the password lock on PC/AT clones).
 *   - RST_CPU reads back as 0, so every write with bit 2 set is a 0 to 1
 *     transition and resets; the soft reset (INIT) that bit 1 = 0 asks
 *     for resets this machine too, as no firmware runs to recover from
 *     it.
 *   - "Shutdown" must arrive with nothing else in between; a wrong byte
 *     starts the match again (at 'S' if it is one). */
#include "platform/sysctl.h"

#include <stdlib.h>

#include "platform/pc_layout.h"
#include "util/log.h"

#define P92_FAST_RESET 0x01
#define P92_A20 0x02
#define RC_SYS_RST 0x02
#define RC_RST_CPU 0x04
#define RC_FULL_RST 0x08

static const char shutdown_word[] = "Shutdown";

struct sysctl {
	struct sysctl_config cfg;
	uint8_t port92;
	uint8_t rc;
	unsigned shutdown_pos;
	bool ferr, ignne;
};

static void sysctl_ignne(struct sysctl *s, bool level)
{
	if (level == s->ignne)
		return;
	s->ignne = level;
	if (s->cfg.set_ignne)
		s->cfg.set_ignne(s->cfg.ctx, level);
}

static void sysctl_irq13(struct sysctl *s, bool level)
{
	if (s->cfg.irqs)
		irq_set(s->cfg.irqs, PC_IRQ_FPU, level);
}

void sysctl_set_ferr(struct sysctl *s, bool level)
{
	if (level == s->ferr)
		return;
	s->ferr = level;
	sysctl_irq13(s, level);
	if (!level)
		sysctl_ignne(s, false);
}

static uint64_t port92_read(void *opaque, uint64_t offset, unsigned size)
{
	struct sysctl *s = opaque;

	(void)offset;
	(void)size;
	return s->port92;
}

static void port92_write(void *opaque, uint64_t offset, unsigned size,
			 uint64_t val)
{
	struct sysctl *s = opaque;
	uint8_t old = s->port92, v = (uint8_t)val;

	(void)offset;
	(void)size;
	s->port92 = v;
	if (((old ^ v) & P92_A20) && s->cfg.set_a20)
		s->cfg.set_a20(s->cfg.ctx, v & P92_A20);
	if ((v & ~old & P92_FAST_RESET) && s->cfg.reset)
		s->cfg.reset(s->cfg.ctx, "port 0x92 bit 0 (fast reset) went "
			     "from 0 to 1");
}

uint8_t sysctl_rc_read(struct sysctl *s)
{
	return s->rc;
}

void sysctl_rc_write(struct sysctl *s, uint8_t val)
{
	s->rc = val & (RC_SYS_RST | RC_FULL_RST);
	if ((val & RC_RST_CPU) && s->cfg.reset)
		s->cfg.reset(s->cfg.ctx, (val & RC_SYS_RST) ?
			     "hard reset through port 0xcf9" :
			     "soft reset through port 0xcf9");
}

static void ignne_write(void *opaque, uint64_t offset, unsigned size,
			uint64_t val)
{
	struct sysctl *s = opaque;

	(void)offset;
	(void)size;
	(void)val;
	/* Any write: IRQ 13 goes, IGNNE# holds while FERR# does. */
	if (!s->ferr)
		return;
	sysctl_irq13(s, false);
	sysctl_ignne(s, true);
}

static void shutdown_write(void *opaque, uint64_t offset, unsigned size,
			   uint64_t val)
{
	struct sysctl *s = opaque;
	char c = (char)val;

	(void)offset;
	(void)size;
	if (c != shutdown_word[s->shutdown_pos])
		s->shutdown_pos = 0;
	if (c != shutdown_word[s->shutdown_pos])
		return;
	if (shutdown_word[++s->shutdown_pos] != '\0')
		return;
	s->shutdown_pos = 0;
	if (s->cfg.power_off)
		s->cfg.power_off(s->cfg.ctx, "the guest wrote \"Shutdown\" to "
				 "port 0x8900");
}

static const struct iomap_ops port92_ops = {
	.read = port92_read,
	.write = port92_write,
};

static const struct iomap_ops ignne_ops = {
	.write = ignne_write,
};

static const struct iomap_ops shutdown_ops = {
	.write = shutdown_write,
};

struct sysctl *sysctl_create(const struct sysctl_config *cfg, char *err,
			     size_t errlen)
{
	struct sysctl *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "sysctl: out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	if (iomap_register(cfg->io, IOMAP_PORT, PC_PORT_SYS_CTRL_A, 1,
			   IOMAP_SIZE_1, "port92", &port92_ops, s, err,
			   errlen) != 0 ||
	    iomap_register(cfg->io, IOMAP_PORT, PC_PORT_IGNNE, 1, IOMAP_SIZE_1,
			   "ignne", &ignne_ops, s, err, errlen) != 0 ||
	    iomap_register(cfg->io, IOMAP_PORT, PC_PORT_SHUTDOWN, 1,
			   IOMAP_SIZE_1, "shutdown", &shutdown_ops, s, err,
			   errlen) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

void sysctl_destroy(struct sysctl *s)
{
	free(s);
}
