/* Guest memory access: segmentation checks (SDM Vol. 3A 5.3, 5.4; 3.4.4
 * in 64-bit mode), alignment checks, page-crossing accesses that check
 * both pages before writing, instruction fetch and physical access to
 * RAM or MMIO. The inline fast paths are in cpu/mem_fast.h. */
#include "cpu/mem.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cpu/debug.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/mem_fast.h"
#include "cpu/paging.h"
#include "cpu/tlb.h"
#include "cpu/regs.h"

static const char *const seg_names[SEG_COUNT] = {
	"ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR",
};

static bool mode64(const struct cpu *c)
{
	return cpu_code_size(c) == 8;
}

static const char *acc_verb(unsigned acc)
{
	if (acc & ACC_WRITE)
		return "write";
	return (acc & ACC_FETCH) ? "fetch" : "read";
}

/* A segmentation fault: #SS(0) for SS, #GP(0) otherwise. */
static _Noreturn __attribute__((format(printf, 3, 4)))
void seg_fault(struct cpu *c, int seg, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	cpu_raise_err(c, seg == SEG_SS ? EXC_SS : EXC_GP, 0, "%s", why);
}

uint64_t seg_linear(struct cpu *c, int seg, uint64_t off, unsigned size,
		    unsigned acc)
{
	const struct seg *s = &c->seg[seg];
	const char *name = seg_names[seg];

	if (mode64(c)) {
		/* No limit or type checks; only FS and GS have a base
		 * (SDM Vol. 3A 3.4.4, 5.3.1). */
		uint64_t la = off + ((seg == SEG_FS || seg == SEG_GS) ? s->base : 0);
		if (!paging_canonical(c, la) ||
		    !paging_canonical(c, la + size - 1))
			seg_fault(c, seg,
				  "%s of %u bytes at %s:0x%llx: linear address 0x%llx is not canonical",
				  acc_verb(acc), size, name,
				  (unsigned long long)off,
				  (unsigned long long)la);
		return la;
	}

	if (s->attr & SEG_ATTR_UNUSABLE)
		seg_fault(c, seg, "%s at %s:0x%llx: %s is unusable (null selector 0x%04x)",
			  acc_verb(acc), name, (unsigned long long)off, name,
			  s->sel);

	unsigned type = s->attr & SEG_ATTR_TYPE;
	bool code = type & 8;
	/* Real mode makes no type checks; protected and virtual-8086 mode
	 * check the hidden type (SDM Vol. 3A 5.4.1). */
	if (c->cr0 & CR0_PE) {
		if ((acc & ACC_WRITE) && code)
			seg_fault(c, seg, "write to %s:0x%llx: %s (selector 0x%04x) is a code segment (type %u)",
				  name, (unsigned long long)off, name, s->sel,
				  type);
		if ((acc & ACC_WRITE) && !(type & 2))
			seg_fault(c, seg, "write to %s:0x%llx: %s (selector 0x%04x) is a read-only data segment (type %u)",
				  name, (unsigned long long)off, name, s->sel,
				  type);
		if (!(acc & (ACC_WRITE | ACC_FETCH)) && code && !(type & 2))
			seg_fault(c, seg, "read from %s:0x%llx: %s (selector 0x%04x) is an execute-only code segment (type %u)",
				  name, (unsigned long long)off, name, s->sel,
				  type);
	}

	/* Limit checks (SDM Vol. 3A 5.3): expand-up segments allow offsets
	 * 0..limit; expand-down data segments limit+1..FFFFH, or
	 * FFFFFFFFH with B = 1. */
	uint64_t last = off + size - 1;
	if (!code && (type & 4)) {
		uint64_t upper = (s->attr & SEG_ATTR_DB) ? 0xffffffffull : 0xffff;
		if (off <= s->limit || last > upper)
			seg_fault(c, seg, "%s of %u bytes at %s:0x%llx is outside expand-down %s (limit 0x%x, upper bound 0x%llx)",
				  acc_verb(acc), size, name,
				  (unsigned long long)off, name, s->limit,
				  (unsigned long long)upper);
	} else if (last > s->limit) {
		seg_fault(c, seg, "%s of %u bytes at %s:0x%llx exceeds the %s limit 0x%x",
			  acc_verb(acc), size, name, (unsigned long long)off,
			  name, s->limit);
	}
	/* Outside 64-bit mode linear addresses wrap at 4 GiB. */
	return (uint32_t)(s->base + off);
}

/* Adds ACC_USER to an explicit access at CPL 3 (SDM Vol. 3A 4.6). */
static unsigned who(const struct cpu *c, unsigned acc)
{
	if (acc & ACC_IMPLICIT_SV)
		return acc & ~(unsigned)ACC_USER;
	return c->cpl == 3 ? acc | ACC_USER : acc;
}

/* #AC(0) for a misaligned explicit data access with CR0.AM = 1,
 * EFLAGS.AC = 1 and CPL = 3 (SDM Vol. 3A 6.15, interrupt 17). */
static void check_alignment(struct cpu *c, uint64_t la, unsigned size,
			    unsigned acc)
{
	if (size > 1 && (la & (size - 1)) && !(acc & ACC_IMPLICIT_SV) &&
	    c->cpl == 3 && (c->cr0 & CR0_AM) && (c->rflags & FLAG_AC))
		cpu_raise_err(c, EXC_AC, 0,
			      "misaligned %u-byte %s at linear 0x%llx with CR0.AM = 1, EFLAGS.AC = 1 and CPL 3",
			      size, acc_verb(acc), (unsigned long long)la);
}

static void mmio_read_bytes(struct cpu *c, uint64_t pa, uint8_t *buf,
			    unsigned n)
{
	const struct bus *b = c->bus;
	if (n == 1 || n == 2 || n == 4 || n == 8) {
		uint64_t v = b->ops->mmio_read(b->ctx, pa, n);
		memcpy(buf, &v, n);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		buf[i] = (uint8_t)b->ops->mmio_read(b->ctx, pa + i, 1);
}

static void mmio_write_bytes(struct cpu *c, uint64_t pa, const uint8_t *buf,
			     unsigned n)
{
	const struct bus *b = c->bus;
	if (n == 1 || n == 2 || n == 4 || n == 8) {
		uint64_t v = 0;
		memcpy(&v, buf, n);
		b->ops->mmio_write(b->ctx, pa, n, v);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		b->ops->mmio_write(b->ctx, pa + i, 1, buf[i]);
}

static void xlate_read(struct cpu *c, const struct tlb_xlate *x,
		       uint8_t *buf, unsigned n)
{
	if (x->host)
		memcpy(buf, x->host, n);
	else
		mmio_read_bytes(c, x->pa, buf, n);
}

static void xlate_write(struct cpu *c, const struct tlb_xlate *x,
			const uint8_t *buf, unsigned n)
{
	if (x->host) {
		memcpy(x->host, buf, n);
		tlb_note_ram_write(c, x->pa, n);
	} else {
		mmio_write_bytes(c, x->pa, buf, n);
	}
}

/* Translates the one or two pages an access of size bytes at la touches;
 * returns how many bytes lie in the first. Both translations (and their
 * faults) come before any byte moves. wrap32 wraps the second page's
 * address at 4 GiB. */
static unsigned translate_access(struct cpu *c, uint64_t la, unsigned size,
				 unsigned acc, bool wrap32,
				 struct tlb_xlate x[2])
{
	/* Callers move at most 8 bytes (cpu/mem.h). */
	assert(size >= 1 && size <= 8);
	unsigned n0 = size;
	tlb_translate(c, la, acc, &x[0]);
	if ((la & 0xfff) + size > 4096) {
		n0 = 4096 - (unsigned)(la & 0xfff);
		uint64_t la2 = la + n0;
		tlb_translate(c, wrap32 ? (uint32_t)la2 : la2, acc, &x[1]);
	}
	return n0;
}

/* Data breakpoints see each page's part of an access once both
 * translations have succeeded (cpu/debug.h). Pages that hold bytes of an
 * enabled data breakpoint have no TLB tags, so their accesses all come
 * through here. */
static void watch_access(struct cpu *c, uint64_t la, unsigned size,
			 unsigned n0, bool wrap32, bool write)
{
	debug_watch_data(c, la, n0, write);
	if (n0 < size) {
		uint64_t la2 = la + n0;
		debug_watch_data(c, wrap32 ? (uint32_t)la2 : la2, size - n0,
				 write);
	}
}

static uint64_t lin_read_bytes(struct cpu *c, uint64_t la, unsigned size,
			       unsigned acc, bool wrap32)
{
	struct tlb_xlate x[2];
	uint8_t buf[8];
	unsigned n0 = translate_access(c, la, size, acc, wrap32, x);
	watch_access(c, la, size, n0, wrap32, false);
	xlate_read(c, &x[0], buf, n0);
	if (n0 < size)
		xlate_read(c, &x[1], buf + n0, size - n0);
	uint64_t v = 0;
	memcpy(&v, buf, size);
	return v;
}

static void lin_write_bytes(struct cpu *c, uint64_t la, unsigned size,
			    uint64_t v, unsigned acc, bool wrap32)
{
	struct tlb_xlate x[2];
	uint8_t buf[8];
	memcpy(buf, &v, size);
	unsigned n0 = translate_access(c, la, size, acc | ACC_WRITE, wrap32, x);
	watch_access(c, la, size, n0, wrap32, true);
	xlate_write(c, &x[0], buf, n0);
	if (n0 < size)
		xlate_write(c, &x[1], buf + n0, size - n0);
}

uint64_t mem_read_slow(struct cpu *c, int seg, uint64_t off, unsigned size)
{
	uint64_t la = seg_linear(c, seg, off, size, ACC_READ);
	check_alignment(c, la, size, ACC_READ);
	return lin_read_bytes(c, la, size, who(c, ACC_READ), !mode64(c));
}

void mem_write_slow(struct cpu *c, int seg, uint64_t off, unsigned size,
		    uint64_t v)
{
	uint64_t la = seg_linear(c, seg, off, size, ACC_WRITE);
	check_alignment(c, la, size, ACC_WRITE);
	lin_write_bytes(c, la, size, v, who(c, ACC_WRITE), !mode64(c));
}

uint8_t mem_read8(struct cpu *c, int seg, uint64_t off)
{
	return (uint8_t)memf_read(c, seg, off, 1);
}

uint16_t mem_read16(struct cpu *c, int seg, uint64_t off)
{
	return (uint16_t)memf_read(c, seg, off, 2);
}

uint32_t mem_read32(struct cpu *c, int seg, uint64_t off)
{
	return (uint32_t)memf_read(c, seg, off, 4);
}

uint64_t mem_read64(struct cpu *c, int seg, uint64_t off)
{
	return memf_read(c, seg, off, 8);
}

void mem_write8(struct cpu *c, int seg, uint64_t off, uint8_t v)
{
	memf_write(c, seg, off, 1, v);
}

void mem_write16(struct cpu *c, int seg, uint64_t off, uint16_t v)
{
	memf_write(c, seg, off, 2, v);
}

void mem_write32(struct cpu *c, int seg, uint64_t off, uint32_t v)
{
	memf_write(c, seg, off, 4, v);
}

void mem_write64(struct cpu *c, int seg, uint64_t off, uint64_t v)
{
	memf_write(c, seg, off, 8, v);
}

uint64_t mem_read(struct cpu *c, int seg, uint64_t off, unsigned size)
{
	switch (size) {
	case 1: return memf_read(c, seg, off, 1);
	case 2: return memf_read(c, seg, off, 2);
	case 4: return memf_read(c, seg, off, 4);
	default: return memf_read(c, seg, off, 8);
	}
}

void mem_write(struct cpu *c, int seg, uint64_t off, unsigned size,
	       uint64_t v)
{
	switch (size) {
	case 1: memf_write(c, seg, off, 1, v); break;
	case 2: memf_write(c, seg, off, 2, v); break;
	case 4: memf_write(c, seg, off, 4, v); break;
	default: memf_write(c, seg, off, 8, v); break;
	}
}

static void probe(struct cpu *c, int seg, uint64_t off, unsigned size,
		  unsigned acc)
{
	struct tlb_xlate x[2];
	uint64_t la = seg_linear(c, seg, off, size, acc);
	check_alignment(c, la, size, acc);
	translate_access(c, la, size, who(c, acc), !mode64(c), x);
}

void mem_probe_write(struct cpu *c, int seg, uint64_t off, unsigned size)
{
	probe(c, seg, off, size, ACC_WRITE);
}

void mem_probe_read(struct cpu *c, int seg, uint64_t off, unsigned size)
{
	probe(c, seg, off, size, ACC_READ);
}

/* A linear address from outside segmentation: wrapped at 4 GiB outside
 * IA-32e mode, checked for canonical form in it. */
static uint64_t lin_check(struct cpu *c, uint64_t la, unsigned size,
			  unsigned acc)
{
	if (!(c->efer & EFER_LMA))
		return (uint32_t)la;
	if (!paging_canonical(c, la) || !paging_canonical(c, la + size - 1))
		cpu_gp0(c, "%s of %u bytes at non-canonical linear address 0x%llx",
			acc_verb(acc), size, (unsigned long long)la);
	return la;
}

uint64_t lin_read(struct cpu *c, uint64_t la, unsigned size, unsigned acc)
{
	acc &= ~(unsigned)(ACC_WRITE | ACC_FETCH);
	la = lin_check(c, la, size, acc);
	check_alignment(c, la, size, acc);
	return lin_read_bytes(c, la, size, who(c, acc),
			      !(c->efer & EFER_LMA));
}

void lin_write(struct cpu *c, uint64_t la, unsigned size, uint64_t v,
	       unsigned acc)
{
	acc = (acc & ~(unsigned)ACC_FETCH) | ACC_WRITE;
	la = lin_check(c, la, size, acc);
	check_alignment(c, la, size, acc);
	lin_write_bytes(c, la, size, v, who(c, acc),
			!(c->efer & EFER_LMA));
}

void mem_fetch(struct cpu *c, uint64_t la, uint8_t *buf, unsigned len)
{
	unsigned acc = ACC_FETCH | (c->cpl == 3 ? ACC_USER : 0);
	bool wrap32 = !mode64(c);
	if (!len)
		return;
	if (wrap32)
		la = (uint32_t)la;
	else if (!paging_canonical(c, la) || !paging_canonical(c, la + len - 1))
		cpu_gp0(c, "instruction fetch of %u bytes at non-canonical linear address 0x%llx",
			len, (unsigned long long)la);
	for (unsigned done = 0; done < len;) {
		uint64_t a = la + done;
		if (wrap32)
			a = (uint32_t)a;
		unsigned n = 4096 - (unsigned)(a & 0xfff);
		if (n > len - done)
			n = len - done;
		struct tlb_xlate x;
		tlb_translate(c, a, acc, &x);
		xlate_read(c, &x, buf + done, n);
		done += n;
	}
}

/* Physical accesses may cross into another page, which may be MMIO;
 * each byte's address goes through the A20 gate (cpu_set_a20()). */
uint64_t phys_read(struct cpu *c, uint64_t pa, unsigned size)
{
	uint8_t buf[8];
	assert(size >= 1 && size <= 8);
	for (unsigned done = 0; done < size;) {
		uint64_t a = (pa + done) & c->a20_mask;
		unsigned n = 4096 - (unsigned)(a & 0xfff);
		if (n > size - done)
			n = size - done;
		uint8_t *page = c->bus->ops->ram_page(c->bus->ctx, a & ~0xfffull);
		if (page)
			memcpy(buf + done, page + (a & 0xfff), n);
		else
			mmio_read_bytes(c, a, buf + done, n);
		done += n;
	}
	uint64_t v = 0;
	memcpy(&v, buf, size);
	return v;
}

void phys_write(struct cpu *c, uint64_t pa, unsigned size, uint64_t v)
{
	uint8_t buf[8];
	assert(size >= 1 && size <= 8);
	memcpy(buf, &v, size);
	for (unsigned done = 0; done < size;) {
		uint64_t a = (pa + done) & c->a20_mask;
		unsigned n = 4096 - (unsigned)(a & 0xfff);
		if (n > size - done)
			n = size - done;
		uint8_t *page = c->bus->ops->ram_page(c->bus->ctx, a & ~0xfffull);
		if (page) {
			memcpy(page + (a & 0xfff), buf + done, n);
			tlb_note_ram_write(c, a, n);
		} else {
			mmio_write_bytes(c, a, buf + done, n);
		}
		done += n;
	}
}
