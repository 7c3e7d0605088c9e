/* The 8042 keyboard controller, a PS/2 keyboard and a PS/2 mouse. See
 * platform/i8042.h. Devices answer at once; there is no key or mouse
 * input from the host yet.
 *
 * Readings chosen where the references leave room:
 *   - The status register's system flag mirrors command byte bit 2, which
 *     the self-test (0xAA) sets.
 *   - Writing a byte to the keyboard enables the keyboard interface (the
 *     controller clears command byte bit 4 to send it).
 *   - Scan-code translation (command byte bit 6) applies to the one byte
 *     above 0x7f that set 2 uses, 0x83, which becomes 0x41: the keyboard
 *     ID reads AB 41 translated, AB 83 untranslated. The keyboard sends
 *     no scan codes yet.
 *   - A new command to a device drops what it had not sent yet.
 *   - 0xDD and 0xDF (A20 off and on, as on HP Vectra controllers and in
 *     QEMU) are accepted. */
#include "platform/i8042.h"

#include <stdlib.h>

#include "platform/pc_layout.h"
#include "util/log.h"

#define STAT_OBF 0x01       /* output buffer full */
#define STAT_SYS 0x04       /* system flag */
#define STAT_A2 0x08        /* last write was a command */
#define STAT_INH 0x10       /* keyboard not inhibited */
#define STAT_AUXB 0x20      /* output buffer holds auxiliary data */

#define CMD_INT 0x01        /* keyboard interrupt enable */
#define CMD_INT2 0x02       /* auxiliary interrupt enable */
#define CMD_SYS 0x04
#define CMD_EN 0x10         /* 1: keyboard interface disabled */
#define CMD_EN2 0x20        /* 1: auxiliary interface disabled */
#define CMD_XLAT 0x40

#define OUT_RESET 0x01      /* system reset, active low */
#define OUT_A20 0x02
#define OUT_OBF 0x10        /* IRQ 1 */
#define OUT_AUXB 0x20       /* IRQ 12 */

#define DEV_ACK 0xfa
#define DEV_RESEND 0xfe
#define DEV_BAT_OK 0xaa

#define QUEUE_SIZE 16

struct ps2_queue {
	uint8_t b[QUEUE_SIZE];
	unsigned head, n;
};

struct ps2_dev {
	struct ps2_queue q;
	uint8_t arg_for;     /* command waiting for its argument, or 0 */
	uint8_t last;        /* last byte sent, for RESEND */
	bool enabled;        /* scanning / data reporting */
	/* Keyboard. */
	uint8_t scan_set, leds, typematic;
	/* Mouse. */
	uint8_t rate, resolution;
	bool scaling21, remote, wrap;
};

struct i8042 {
	struct i8042_config cfg;
	uint8_t ram[32];     /* ram[0] is the command byte */
	uint8_t outport;
	bool a2;
	uint8_t pending;     /* command waiting for a data byte, or 0 */
	struct ps2_queue ctl; /* bytes the controller itself puts in its
				 output buffer: replies, 0xD2 and 0xD3 */
	uint16_t ctl_aux;    /* bit i: ctl byte i (from the head) is
				auxiliary data */
	bool obf, ob_aux;
	uint8_t ob;
	bool irq1, irq12;
	struct ps2_dev kbd, mouse;
};

static void q_put(struct ps2_queue *q, uint8_t v)
{
	if (q->n < QUEUE_SIZE)
		q->b[(q->head + q->n++) % QUEUE_SIZE] = v;
}

static uint8_t q_get(struct ps2_queue *q)
{
	uint8_t v = q->b[q->head];

	q->head = (q->head + 1) % QUEUE_SIZE;
	q->n--;
	return v;
}

static void dev_send(struct ps2_dev *d, uint8_t v)
{
	d->last = v;
	q_put(&d->q, v);
}

/* Drives IRQ 1 and 12 from the output buffer, as output port bits 4
 * and 5 do. */
static void kbc_update_irqs(struct i8042 *k)
{
	bool i1 = k->obf && !k->ob_aux && (k->ram[0] & CMD_INT);
	bool i12 = k->obf && k->ob_aux && (k->ram[0] & CMD_INT2);

	if (i1 != k->irq1) {
		k->irq1 = i1;
		if (k->cfg.irqs)
			irq_set(k->cfg.irqs, PC_IRQ_KBD, i1);
	}
	if (i12 != k->irq12) {
		k->irq12 = i12;
		if (k->cfg.irqs)
			irq_set(k->cfg.irqs, PC_IRQ_MOUSE, i12);
	}
}

/* Fills an empty output buffer: controller replies first, then the
 * keyboard, then the mouse, each only while its interface is enabled. */
static void kbc_fill(struct i8042 *k)
{
	if (!k->obf) {
		if (k->ctl.n) {
			k->ob_aux = k->ctl_aux & 1;
			k->ctl_aux >>= 1;
			k->ob = q_get(&k->ctl);
			k->obf = true;
		} else if (k->kbd.q.n && !(k->ram[0] & CMD_EN)) {
			k->ob = q_get(&k->kbd.q);
			if ((k->ram[0] & CMD_XLAT) && k->ob == 0x83)
				k->ob = 0x41;
			k->ob_aux = false;
			k->obf = true;
		} else if (k->mouse.q.n && !(k->ram[0] & CMD_EN2)) {
			k->ob = q_get(&k->mouse.q);
			k->ob_aux = true;
			k->obf = true;
		}
	}
	kbc_update_irqs(k);
}

static void kbd_reset(struct ps2_dev *d)
{
	d->q.n = 0;
	d->arg_for = 0;
	d->enabled = true;
	d->scan_set = 2;
	d->leds = 0;
	d->typematic = 0x2b;
}

static void mouse_defaults(struct ps2_dev *d)
{
	d->enabled = false;
	d->rate = 100;
	d->resolution = 2;
	d->scaling21 = false;
	d->remote = false;
}

/* A byte for the keyboard (IBM PS/2 keyboard commands). */
static void kbd_write(struct ps2_dev *d, uint8_t v)
{
	if (d->arg_for) {
		uint8_t cmd = d->arg_for;

		d->arg_for = 0;
		d->q.n = 0;
		dev_send(d, DEV_ACK);
		if (cmd == 0xed)
			d->leds = v & 7;
		else if (cmd == 0xf3)
			d->typematic = v & 0x7f;
		else if (cmd == 0xf0 && v == 0)
			dev_send(d, d->scan_set);
		else if (cmd == 0xf0 && v <= 3)
			d->scan_set = v;
		return;
	}
	if (v == DEV_RESEND) {
		q_put(&d->q, d->last);
		return;
	}
	d->q.n = 0;
	switch (v) {
	case 0xff: /* reset: acknowledge, then the basic assurance test */
		kbd_reset(d);
		dev_send(d, DEV_ACK);
		dev_send(d, DEV_BAT_OK);
		break;
	case 0xf6: /* set default */
		kbd_reset(d);
		dev_send(d, DEV_ACK);
		break;
	case 0xf5: /* default disable */
		kbd_reset(d);
		d->enabled = false;
		dev_send(d, DEV_ACK);
		break;
	case 0xf4:
		d->enabled = true;
		dev_send(d, DEV_ACK);
		break;
	case 0xf2: /* read ID: an MF2 keyboard */
		dev_send(d, DEV_ACK);
		dev_send(d, 0xab);
		dev_send(d, 0x83);
		break;
	case 0xee:
		dev_send(d, 0xee);
		break;
	case 0xed: /* set LEDs */
	case 0xf0: /* select scan code set */
	case 0xf3: /* set typematic rate */
		d->arg_for = v;
		dev_send(d, DEV_ACK);
		break;
	case 0xf7: case 0xf8: case 0xf9: case 0xfa:
	case 0xfb: case 0xfc: case 0xfd:
		dev_send(d, DEV_ACK);
		break;
	default:
		dev_send(d, DEV_RESEND);
		break;
	}
}

/* A byte for the mouse (IBM PS/2 auxiliary device commands). */
static void mouse_write(struct ps2_dev *d, uint8_t v)
{
	if (d->arg_for) {
		uint8_t cmd = d->arg_for;

		d->arg_for = 0;
		d->q.n = 0;
		dev_send(d, DEV_ACK);
		if (cmd == 0xf3)
			d->rate = v;
		else
			d->resolution = v & 3;
		return;
	}
	if (v == DEV_RESEND) {
		q_put(&d->q, d->last);
		return;
	}
	if (d->wrap && v != 0xec && v != 0xff) {
		dev_send(d, v);
		return;
	}
	d->q.n = 0;
	switch (v) {
	case 0xff: /* reset: acknowledge, test passed, ID 0 */
		mouse_defaults(d);
		d->wrap = false;
		dev_send(d, DEV_ACK);
		dev_send(d, DEV_BAT_OK);
		dev_send(d, 0x00);
		break;
	case 0xf6:
		mouse_defaults(d);
		dev_send(d, DEV_ACK);
		break;
	case 0xf5:
		d->enabled = false;
		dev_send(d, DEV_ACK);
		break;
	case 0xf4:
		d->enabled = true;
		dev_send(d, DEV_ACK);
		break;
	case 0xf2: /* read device type: a standard mouse */
		dev_send(d, DEV_ACK);
		dev_send(d, 0x00);
		break;
	case 0xf0:
		d->remote = true;
		dev_send(d, DEV_ACK);
		break;
	case 0xee:
		d->wrap = true;
		dev_send(d, DEV_ACK);
		break;
	case 0xec:
		d->wrap = false;
		dev_send(d, DEV_ACK);
		break;
	case 0xeb: /* read data: no movement, no buttons */
		dev_send(d, DEV_ACK);
		dev_send(d, 0x08);
		dev_send(d, 0x00);
		dev_send(d, 0x00);
		break;
	case 0xea:
		d->remote = false;
		dev_send(d, DEV_ACK);
		break;
	case 0xe9: /* status request */
		dev_send(d, DEV_ACK);
		dev_send(d, (uint8_t)((d->remote ? 0x40 : 0) |
				      (d->enabled ? 0x20 : 0) |
				      (d->scaling21 ? 0x10 : 0)));
		dev_send(d, d->resolution);
		dev_send(d, d->rate);
		break;
	case 0xe8: /* set resolution */
	case 0xf3: /* set sample rate */
		d->arg_for = v;
		dev_send(d, DEV_ACK);
		break;
	case 0xe7:
		d->scaling21 = true;
		dev_send(d, DEV_ACK);
		break;
	case 0xe6:
		d->scaling21 = false;
		dev_send(d, DEV_ACK);
		break;
	default:
		dev_send(d, DEV_RESEND);
		break;
	}
}

static uint8_t kbc_outport(const struct i8042 *k)
{
	return (uint8_t)((k->outport & ~(OUT_OBF | OUT_AUXB)) |
			 (k->irq1 ? OUT_OBF : 0) | (k->irq12 ? OUT_AUXB : 0));
}

static void kbc_write_outport(struct i8042 *k, uint8_t v)
{
	uint8_t old = k->outport;

	k->outport = v;
	if ((old ^ v) & OUT_A20) {
		log_debug("i8042", "A20 %s", (v & OUT_A20) ? "on" : "off");
		if (k->cfg.set_a20)
			k->cfg.set_a20(k->cfg.ctx, v & OUT_A20);
	}
	if (!(v & OUT_RESET) && k->cfg.reset)
		k->cfg.reset(k->cfg.ctx, "the keyboard controller's output "
			     "port drove the reset line low");
}

static void kbc_command(struct i8042 *k, uint8_t v)
{
	switch (v) {
	case 0x20 ... 0x3f: /* read controller RAM */
		q_put(&k->ctl, k->ram[v & 0x1f]);
		break;
	case 0x60 ... 0x7f: /* write controller RAM: the next data byte */
	case 0xd1:          /* write output port */
	case 0xd2:          /* write keyboard output buffer */
	case 0xd3:          /* write auxiliary output buffer */
	case 0xd4:          /* write to the auxiliary device */
		k->pending = v;
		break;
	case 0xa7:
		k->ram[0] |= CMD_EN2;
		break;
	case 0xa8:
		k->ram[0] &= (uint8_t)~CMD_EN2;
		break;
	case 0xa9: /* auxiliary interface test: no error */
	case 0xab: /* keyboard interface test: no error */
		q_put(&k->ctl, 0x00);
		break;
	case 0xaa: /* self-test */
		k->ram[0] |= CMD_SYS;
		q_put(&k->ctl, 0x55);
		break;
	case 0xad:
		k->ram[0] |= CMD_EN;
		break;
	case 0xae:
		k->ram[0] &= (uint8_t)~CMD_EN;
		break;
	case 0xc0: /* read input port: keyboard not inhibited */
		q_put(&k->ctl, 0x80);
		break;
	case 0xd0:
		q_put(&k->ctl, kbc_outport(k));
		break;
	case 0xdd:
		kbc_write_outport(k, k->outport & (uint8_t)~OUT_A20);
		break;
	case 0xdf:
		kbc_write_outport(k, k->outport | OUT_A20);
		break;
	case 0xe0: /* read test inputs */
		q_put(&k->ctl, 0x00);
		break;
	case 0xf0 ... 0xff:
		/* Pulse output port bits 3:0 that are 0 in the command low
		 * for 6 us; bit 0 is the reset line. */
		if (!(v & OUT_RESET) && k->cfg.reset)
			k->cfg.reset(k->cfg.ctx, "the keyboard controller "
				     "pulsed the reset line (command 0xfe)");
		break;
	default:
		log_debug("i8042", "command 0x%02x ignored", v);
		break;
	}
}

static void kbc_data(struct i8042 *k, uint8_t v)
{
	uint8_t cmd = k->pending;

	k->pending = 0;
	switch (cmd) {
	case 0:
		k->ram[0] &= (uint8_t)~CMD_EN;
		kbd_write(&k->kbd, v);
		break;
	case 0xd1:
		kbc_write_outport(k, v);
		break;
	case 0xd2:
	case 0xd3:
		/* The controller writes its output buffer itself, whatever
		 * the interfaces' enable bits say. */
		if (cmd == 0xd3 && k->ctl.n < QUEUE_SIZE)
			k->ctl_aux |= (uint16_t)(1u << k->ctl.n);
		q_put(&k->ctl, v);
		break;
	case 0xd4:
		mouse_write(&k->mouse, v);
		break;
	default: /* 0x60-0x7f */
		k->ram[cmd & 0x1f] = v;
		break;
	}
}

/* Port 0x60: the output buffer, or a byte for the keyboard, the
 * auxiliary device or a pending controller command. */
static uint64_t kbc_data_read(void *opaque, uint64_t offset, unsigned size)
{
	struct i8042 *k = opaque;
	uint8_t v = k->ob;  /* an empty buffer reads as the last byte */

	(void)offset;
	(void)size;
	k->obf = false;
	kbc_fill(k);
	log_trace("i8042", "data read 0x%02x", v);
	return v;
}

static void kbc_data_write(void *opaque, uint64_t offset, unsigned size,
			   uint64_t val)
{
	struct i8042 *k = opaque;

	(void)offset;
	(void)size;
	log_trace("i8042", "data write 0x%02x", (unsigned)(val & 0xff));
	k->a2 = false;
	kbc_data(k, (uint8_t)val);
	kbc_fill(k);
}

/* Port 0x64: the status register, or a controller command. */
static uint64_t kbc_status_read(void *opaque, uint64_t offset, unsigned size)
{
	struct i8042 *k = opaque;

	(void)offset;
	(void)size;
	return (uint8_t)((k->obf ? STAT_OBF : 0) |
			 (k->ram[0] & CMD_SYS ? STAT_SYS : 0) |
			 (k->a2 ? STAT_A2 : 0) | STAT_INH |
			 (k->obf && k->ob_aux ? STAT_AUXB : 0));
}

static void kbc_command_write(void *opaque, uint64_t offset, unsigned size,
			      uint64_t val)
{
	struct i8042 *k = opaque;

	(void)offset;
	(void)size;
	log_trace("i8042", "command 0x%02x", (unsigned)(val & 0xff));
	k->a2 = true;
	kbc_command(k, (uint8_t)val);
	kbc_fill(k);
}

static const struct iomap_ops kbc_data_ops = {
	.read = kbc_data_read,
	.write = kbc_data_write,
};

static const struct iomap_ops kbc_cmd_ops = {
	.read = kbc_status_read,
	.write = kbc_command_write,
};

struct i8042 *i8042_create(const struct i8042_config *cfg, char *err,
			   size_t errlen)
{
	struct i8042 *k = calloc(1, sizeof(*k));

	if (!k) {
		snprintf(err, errlen, "i8042: out of memory");
		return NULL;
	}
	k->cfg = *cfg;
	k->ram[0] = CMD_INT | CMD_SYS | CMD_XLAT;
	/* Reset high, A20 on, keyboard and mouse clock and data idle. */
	k->outport = 0xcf;
	kbd_reset(&k->kbd);
	mouse_defaults(&k->mouse);
	/* Port 0x61 between the two is port B (platform/pit.h). */
	if (iomap_register(cfg->io, IOMAP_PORT, PC_PORT_KBD_DATA, 1,
			   IOMAP_SIZE_1, "i8042-data", &kbc_data_ops, k, err,
			   errlen) != 0 ||
	    iomap_register(cfg->io, IOMAP_PORT, PC_PORT_KBD_CMD, 1,
			   IOMAP_SIZE_1, "i8042-status-cmd", &kbc_cmd_ops, k,
			   err, errlen) != 0) {
		free(k);
		return NULL;
	}
	return k;
}

void i8042_destroy(struct i8042 *k)
{
	free(k);
}
