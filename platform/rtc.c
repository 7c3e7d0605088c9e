/* The MC146818A (Motorola datasheet; names below are its own). See
 * platform/rtc.h for the wiring.
 *
 * Time keeping follows the chip: the time and alarm registers hold what
 * was written, in the format (BCD or binary, 12 or 24 hours) register B
 * gives when the update cycle reads them; changing DM or 24/12 converts
 * nothing. The divider chain runs at 32.768 kHz from the moment it leaves
 * reset (DV2-0 = 010); each second an update cycle begins 0.5 s after
 * that moment plus whole seconds, UIP is 1 from 244 us before it to its
 * end 1984 us later (65 periods of 32.768 kHz), and the end of the cycle
 * is when the registers take the new time and UF and AF are set.
 * Periodic edges come every rate-select period from the same moment.
 *
 * Readings chosen where the datasheet leaves room:
 *   - During the update cycle the time registers (undefined there) still
 *     read the old time.
 *   - A time the chip could not count from (a digit or field out of
 *     range) stays as written; UF is still set every second.
 *   - DV2-0 other than 010 and 11x (other time bases, test modes) stop
 *     the chain without resetting it; going back to 010 restarts it as
 *     leaving reset does.
 *   - The daylight saving bit (DSE) is stored; the spring and fall
 *     adjustments it asks for are not made.
 *   - Port 0x70 is write-only: a read gives 0xff.
 *   - Leap years are those divisible by four, as the chip counts (its
 *     year register has no century). */
#include "platform/rtc.h"

#include <stdlib.h>

#include "platform/pc_layout.h"
#include "util/log.h"

enum {
	RTC_SECONDS = 0x00,
	RTC_SECONDS_ALARM = 0x01,
	RTC_MINUTES = 0x02,
	RTC_MINUTES_ALARM = 0x03,
	RTC_HOURS = 0x04,
	RTC_HOURS_ALARM = 0x05,
	RTC_DAY_OF_WEEK = 0x06,
	RTC_DATE_OF_MONTH = 0x07,
	RTC_MONTH = 0x08,
	RTC_YEAR = 0x09,
	RTC_REG_A = 0x0a,
	RTC_REG_B = 0x0b,
	RTC_REG_C = 0x0c,
	RTC_REG_D = 0x0d,
	RTC_RAM_SIZE = 0x80,
};

#define A_UIP 0x80
#define A_DV 0x70
#define A_DV_NORMAL 0x20        /* 32.768 kHz time base */
#define A_DV_RESET 0x60         /* 11x: divider chain reset */
#define A_RS 0x0f
#define B_SET 0x80
#define B_PIE 0x40
#define B_AIE 0x20
#define B_UIE 0x10
#define B_SQWE 0x08
#define B_DM 0x04               /* binary */
#define B_24H 0x02
#define B_DSE 0x01
#define C_IRQF 0x80
#define C_PF 0x40
#define C_AF 0x20
#define C_UF 0x10
#define D_VRT 0x80
#define ALARM_DONT_CARE 0xc0
#define HOUR_PM 0x80

#define HZ 32768u
#define UPDATE_FIRST (HZ / 2)   /* first cycle 500 ms after reset */
#define UPDATE_LEAD 8u          /* tBUC: 244 us */
#define UPDATE_LEN 65u          /* tUC: 1984 us */
#define DAYS_PER_CYCLE 36525u   /* years 00-99 */
#define SECS_PER_DAY 86400u

struct rtc {
	struct clock *clk;
	struct irq_bus *irqs;
	unsigned irq_line;
	uint8_t ram[RTC_RAM_SIZE];
	uint8_t index;
	bool nmi_masked;
	uint8_t flags;          /* register C: PF AF UF */
	bool irq_level;

	bool running;           /* divider chain counting (DV = 010) */
	uint64_t origin_ns;     /* when it left reset */
	uint64_t next_update;   /* index of the next update cycle to apply */
	uint64_t pf_tick;       /* periodic edges up to here are in PF */
	struct timer timer;
};

/* A decoded time, year 0-99, hour 0-23. */
struct rtc_tm {
	unsigned sec, min, hour, dow, day, mon, year;
};

/* --- The chain's time. --- */

static uint64_t rtc_tick(const struct rtc *r)
{
	uint64_t now = clock_now_ns(r->clk);

	if (now < r->origin_ns)
		return 0;
	return (uint64_t)((unsigned __int128)(now - r->origin_ns) * HZ /
			  1000000000u);
}

static uint64_t rtc_tick_ns(const struct rtc *r, uint64_t tick)
{
	return r->origin_ns + (uint64_t)(((unsigned __int128)tick *
					   1000000000u + HZ - 1) / HZ);
}

/* The tick at which update cycle k ends. */
static uint64_t update_end(uint64_t k)
{
	return UPDATE_FIRST + UPDATE_LEN + k * HZ;
}

/* Update cycles whose end is at or before tick t. */
static uint64_t updates_by(uint64_t t)
{
	if (t < update_end(0))
		return 0;
	return (t - update_end(0)) / HZ + 1;
}

/* The periodic interrupt's period in 32.768 kHz ticks (datasheet table
 * "Periodic interrupt rate"), or 0 for none. Rate selects 1 and 2 give
 * the 32.768 kHz rows of 3.90625 ms and 7.8125 ms. */
static uint32_t periodic_ticks(uint8_t a)
{
	unsigned rs = a & A_RS;

	if (rs == 0)
		return 0;
	if (rs < 3)
		return 1u << (rs + 6);
	return 1u << (rs - 1);
}

/* --- Registers and the calendar. --- */

static bool rtc_binary(const struct rtc *r)
{
	return r->ram[RTC_REG_B] & B_DM;
}

static bool decode(const struct rtc *r, uint8_t raw, unsigned *v)
{
	if (rtc_binary(r)) {
		*v = raw;
		return true;
	}
	if ((raw & 0x0f) > 9 || (raw >> 4) > 9)
		return false;
	*v = (raw >> 4) * 10u + (raw & 0x0fu);
	return true;
}

static uint8_t encode(const struct rtc *r, unsigned v)
{
	return rtc_binary(r) ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10);
}

static bool decode_hour(const struct rtc *r, uint8_t raw, unsigned *h)
{
	if (r->ram[RTC_REG_B] & B_24H)
		return decode(r, raw, h) && *h < 24;
	if (!decode(r, raw & (uint8_t)~HOUR_PM, h) || *h < 1 || *h > 12)
		return false;
	*h = *h % 12 + ((raw & HOUR_PM) ? 12 : 0);
	return true;
}

static uint8_t encode_hour(const struct rtc *r, unsigned h)
{
	if (r->ram[RTC_REG_B] & B_24H)
		return encode(r, h);
	return (uint8_t)(encode(r, h % 12 ? h % 12 : 12) |
			 (h >= 12 ? HOUR_PM : 0));
}

static unsigned days_in_month(unsigned mon, unsigned year)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };

	return days[mon - 1] + (mon == 2 && year % 4 == 0);
}

static bool rtc_get_tm(const struct rtc *r, struct rtc_tm *t)
{
	const uint8_t *m = r->ram;

	return decode(r, m[RTC_SECONDS], &t->sec) && t->sec < 60 &&
	       decode(r, m[RTC_MINUTES], &t->min) && t->min < 60 &&
	       decode_hour(r, m[RTC_HOURS], &t->hour) &&
	       decode(r, m[RTC_DAY_OF_WEEK], &t->dow) && t->dow >= 1 &&
	       t->dow <= 7 &&
	       decode(r, m[RTC_YEAR], &t->year) && t->year < 100 &&
	       decode(r, m[RTC_MONTH], &t->mon) && t->mon >= 1 &&
	       t->mon <= 12 &&
	       decode(r, m[RTC_DATE_OF_MONTH], &t->day) && t->day >= 1 &&
	       t->day <= days_in_month(t->mon, t->year);
}

static void rtc_put_tm(struct rtc *r, const struct rtc_tm *t)
{
	r->ram[RTC_SECONDS] = encode(r, t->sec);
	r->ram[RTC_MINUTES] = encode(r, t->min);
	r->ram[RTC_HOURS] = encode_hour(r, t->hour);
	r->ram[RTC_DAY_OF_WEEK] = encode(r, t->dow);
	r->ram[RTC_DATE_OF_MONTH] = encode(r, t->day);
	r->ram[RTC_MONTH] = encode(r, t->mon);
	r->ram[RTC_YEAR] = encode(r, t->year);
}

/* Days from 1 January of year 00 to t's date. */
static uint32_t day_number(const struct rtc_tm *t)
{
	uint32_t n = t->year * 365u + (t->year + 3) / 4;

	for (unsigned m = 1; m < t->mon; m++)
		n += days_in_month(m, t->year);
	return n + t->day - 1;
}

static void set_day_number(struct rtc_tm *t, uint32_t n)
{
	t->year = 0;
	while (n >= 365u + (t->year % 4 == 0)) {
		n -= 365u + (t->year % 4 == 0);
		t->year++;
	}
	t->mon = 1;
	while (n >= days_in_month(t->mon, t->year)) {
		n -= days_in_month(t->mon, t->year);
		t->mon++;
	}
	t->day = n + 1;
}

/* The alarm matches a time of day (seconds since midnight) when each
 * alarm byte equals the time register it would hold, or is a don't-care
 * code (bits 7:6 both set). */
static bool alarm_matches(const struct rtc *r, uint32_t tod)
{
	const uint8_t *m = r->ram;
	uint8_t s = m[RTC_SECONDS_ALARM], mi = m[RTC_MINUTES_ALARM];
	uint8_t h = m[RTC_HOURS_ALARM];

	return ((s & ALARM_DONT_CARE) == ALARM_DONT_CARE ||
		s == encode(r, tod % 60)) &&
	       ((mi & ALARM_DONT_CARE) == ALARM_DONT_CARE ||
		mi == encode(r, tod / 60 % 60)) &&
	       ((h & ALARM_DONT_CARE) == ALARM_DONT_CARE ||
		h == encode_hour(r, tod / 3600));
}

/* Applies n update cycles: the time advances n seconds, UF is set, and
 * AF if the alarm matched after any of them. */
static void rtc_apply_updates(struct rtc *r, uint64_t n)
{
	struct rtc_tm t;
	uint32_t tod;
	uint64_t days;

	if (!n)
		return;
	r->flags |= C_UF;
	if (!rtc_get_tm(r, &t))
		return;
	tod = t.hour * 3600u + t.min * 60u + t.sec;
	if (!(r->flags & C_AF)) {
		uint64_t look = n < SECS_PER_DAY ? n : SECS_PER_DAY;

		for (uint64_t j = 1; j <= look; j++) {
			if (alarm_matches(r, (uint32_t)((tod + j) % SECS_PER_DAY))) {
				r->flags |= C_AF;
				break;
			}
		}
	}
	days = (tod + n) / SECS_PER_DAY;
	tod = (uint32_t)((tod + n) % SECS_PER_DAY);
	t.hour = tod / 3600;
	t.min = tod / 60 % 60;
	t.sec = tod % 60;
	t.dow = (unsigned)((t.dow - 1 + days) % 7) + 1;
	set_day_number(&t, (uint32_t)((day_number(&t) + days) % DAYS_PER_CYCLE));
	rtc_put_tm(r, &t);
}

/* Brings the registers and flags up to now. */
static void rtc_sync(struct rtc *r)
{
	uint64_t t, done;
	uint32_t p;

	if (!r->running)
		return;
	t = rtc_tick(r);
	done = updates_by(t);
	if (done > r->next_update) {
		if (!(r->ram[RTC_REG_B] & B_SET))
			rtc_apply_updates(r, done - r->next_update);
		r->next_update = done;
	}
	p = periodic_ticks(r->ram[RTC_REG_A]);
	if (p && t / p > r->pf_tick / p)
		r->flags |= C_PF;
	r->pf_tick = t;
}

static bool rtc_uip(const struct rtc *r)
{
	uint64_t t;

	if (!r->running || (r->ram[RTC_REG_B] & B_SET))
		return false;
	t = rtc_tick(r) + UPDATE_LEAD;
	return t >= UPDATE_FIRST &&
	       (t - UPDATE_FIRST) % HZ < UPDATE_LEAD + UPDATE_LEN;
}

static uint8_t rtc_irqf(const struct rtc *r)
{
	return (r->flags & r->ram[RTC_REG_B] & (C_PF | C_AF | C_UF)) ? C_IRQF : 0;
}

/* Drives the IRQ line from IRQF and arms the timer for the next event
 * that can set it. Must run after anything that changes the flags,
 * register B or the chain. */
static void rtc_update(struct rtc *r)
{
	bool level = rtc_irqf(r);
	uint8_t b = r->ram[RTC_REG_B];
	uint64_t next = UINT64_MAX, t;
	uint32_t p;

	if (!level && r->running) {
		t = rtc_tick(r);
		p = periodic_ticks(r->ram[RTC_REG_A]);
		if ((b & B_PIE) && p)
			next = (t / p + 1) * p;
		if ((b & (B_UIE | B_AIE)) && !(b & B_SET)) {
			uint64_t u = update_end(updates_by(t));

			if (u < next)
				next = u;
		}
	}
	if (next == UINT64_MAX)
		timer_disarm(&r->timer);
	else
		timer_arm(&r->timer, rtc_tick_ns(r, next));
	/* Last: a controller may act on the line at once. */
	if (level != r->irq_level) {
		r->irq_level = level;
		if (r->irqs)
			irq_set(r->irqs, r->irq_line, level);
	}
}

static void rtc_timer_fire(void *opaque)
{
	struct rtc *r = opaque;

	rtc_sync(r);
	rtc_update(r);
}

/* The divider chain leaves reset (or a stop) now. */
static void rtc_start_chain(struct rtc *r)
{
	r->running = true;
	r->origin_ns = clock_now_ns(r->clk);
	r->next_update = 0;
	r->pf_tick = 0;
}

/* --- Ports. --- */

static uint8_t rtc_read_reg(struct rtc *r, unsigned i)
{
	uint8_t v;

	switch (i) {
	case RTC_REG_A:
		return (uint8_t)(r->ram[RTC_REG_A] | (rtc_uip(r) ? A_UIP : 0));
	case RTC_REG_C:
		/* Reading clears every flag and IRQF. */
		v = r->flags | rtc_irqf(r);
		r->flags = 0;
		rtc_update(r);
		return v;
	case RTC_REG_D:
		return D_VRT;
	default:
		return r->ram[i];
	}
}

static void rtc_write_reg(struct rtc *r, unsigned i, uint8_t v)
{
	uint8_t old;

	switch (i) {
	case RTC_REG_A:
		old = r->ram[RTC_REG_A];
		r->ram[RTC_REG_A] = v & (uint8_t)~A_UIP;
		if ((v & A_DV) == A_DV_NORMAL) {
			if ((old & A_DV) != A_DV_NORMAL)
				rtc_start_chain(r);
		} else {
			r->running = false;
		}
		break;
	case RTC_REG_B:
		/* Setting SET aborts the update cycle and clears UIE. */
		if (v & B_SET)
			v &= (uint8_t)~B_UIE;
		r->ram[RTC_REG_B] = v;
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		break; /* read-only */
	default:
		r->ram[i] = v;
		break;
	}
	rtc_update(r);
}

static uint64_t rtc_port_read(void *opaque, uint64_t offset, unsigned size)
{
	struct rtc *r = opaque;
	uint8_t v;

	(void)size;
	if (offset == 0)
		return 0xff;
	rtc_sync(r);
	v = rtc_read_reg(r, r->index);
	rtc_update(r);
	log_trace("rtc", "read 0x%02x from register 0x%02x", v, r->index);
	return v;
}

static void rtc_port_write(void *opaque, uint64_t offset, unsigned size,
			   uint64_t val)
{
	struct rtc *r = opaque;
	uint8_t v = (uint8_t)val;

	(void)size;
	if (offset == 0) {
		r->index = v & 0x7f;
		r->nmi_masked = v & 0x80;
		return;
	}
	log_trace("rtc", "write 0x%02x to register 0x%02x", v, r->index);
	rtc_sync(r);
	rtc_write_reg(r, r->index, v);
}

static const struct iomap_ops rtc_ops = {
	.read = rtc_port_read,
	.write = rtc_port_write,
};

/* Day of the week of a Gregorian date, 1 = Sunday. */
static unsigned weekday(unsigned y, unsigned m, unsigned d)
{
	static const uint8_t k[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };

	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + k[m - 1] + d) % 7 + 1;
}

struct rtc *rtc_create(struct iomap *io, struct clock *clk,
		       struct irq_bus *irqs, unsigned irq_line,
		       const struct rtc_date *start, char *err, size_t errlen)
{
	struct rtc_date d = start ? *start : RTC_DEFAULT_DATE;
	struct rtc *r = calloc(1, sizeof(*r));
	struct rtc_tm t;

	if (!r) {
		snprintf(err, errlen, "rtc: out of memory");
		return NULL;
	}
	r->clk = clk;
	r->irqs = irqs;
	r->irq_line = irq_line;
	r->ram[RTC_REG_A] = A_DV_NORMAL | 0x06;
	r->ram[RTC_REG_B] = B_24H;
	t = (struct rtc_tm){ .sec = d.second, .min = d.minute, .hour = d.hour,
			     .dow = weekday(d.year, d.month, d.day),
			     .day = d.day, .mon = d.month, .year = d.year % 100 };
	rtc_put_tm(r, &t);
	r->ram[RTC_CMOS_CENTURY] = encode(r, d.year / 100 % 100);
	r->running = true;
	timer_init(&r->timer, clk, rtc_timer_fire, r);
	if (iomap_register(io, IOMAP_PORT, PC_PORT_RTC, 2, IOMAP_SIZE_1, "rtc",
			   &rtc_ops, r, err, errlen) != 0) {
		free(r);
		return NULL;
	}
	return r;
}

void rtc_destroy(struct rtc *r)
{
	if (!r)
		return;
	timer_disarm(&r->timer);
	free(r);
}

void rtc_cmos_set(struct rtc *r, unsigned index, uint8_t val)
{
	if (index > RTC_REG_D && index < RTC_RAM_SIZE)
		r->ram[index] = val;
}

uint8_t rtc_cmos_get(const struct rtc *r, unsigned index)
{
	return index < RTC_RAM_SIZE ? r->ram[index] : 0xff;
}

bool rtc_nmi_masked(const struct rtc *r)
{
	return r->nmi_masked;
}
