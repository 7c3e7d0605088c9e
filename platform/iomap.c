/* Port and MMIO range registration and dispatch. Each space keeps its
 * ranges sorted by base, so lookup is a binary search. */
#include "platform/iomap.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define PORT_SPACE_END 0x10000u

struct iomap_table {
	struct iomap_range *r;
	size_t n, cap;
};

struct iomap {
	struct iomap_table t[2];
};

static const char *const space_names[] = {
	[IOMAP_PORT] = "port",
	[IOMAP_MMIO] = "mmio",
};

struct iomap *iomap_create(void)
{
	return calloc(1, sizeof(struct iomap));
}

void iomap_destroy(struct iomap *m)
{
	if (!m)
		return;
	free(m->t[IOMAP_PORT].r);
	free(m->t[IOMAP_MMIO].r);
	free(m);
}

/* Index of the first range whose end is above addr (it holds addr if its
 * base is at or below addr). */
static size_t table_lower_bound(const struct iomap_table *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct iomap_range *r = &t->r[mid];

		if (r->base + (r->len - 1) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int iomap_register(struct iomap *m, enum iomap_space space, uint64_t base,
		   uint64_t len, unsigned sizes, const char *name,
		   const struct iomap_ops *ops, void *opaque, char *err,
		   size_t errlen)
{
	unsigned allowed = space == IOMAP_PORT ?
		IOMAP_SIZE_1 | IOMAP_SIZE_2 | IOMAP_SIZE_4 :
		IOMAP_SIZE_1 | IOMAP_SIZE_2 | IOMAP_SIZE_4 | IOMAP_SIZE_8;
	struct iomap_table *t;
	size_t i;

	if (space != IOMAP_PORT && space != IOMAP_MMIO) {
		snprintf(err, errlen, "%s: no such address space", name);
		return -1;
	}
	t = &m->t[space];
	if (len == 0 || base + (len - 1) < base) {
		snprintf(err, errlen, "%s: %s range at 0x%llx of length 0x%llx "
			 "is empty or wraps", name, space_names[space],
			 (unsigned long long)base, (unsigned long long)len);
		return -1;
	}
	if (space == IOMAP_PORT && (base >= PORT_SPACE_END ||
				    len > PORT_SPACE_END - base)) {
		snprintf(err, errlen, "%s: ports 0x%llx-0x%llx are beyond 0xffff",
			 name, (unsigned long long)base,
			 (unsigned long long)(base + len - 1));
		return -1;
	}
	if (sizes == 0 || (sizes & ~allowed)) {
		snprintf(err, errlen, "%s: access size mask 0x%x is not valid "
			 "for %s space", name, sizes, space_names[space]);
		return -1;
	}

	i = table_lower_bound(t, base);
	if (i < t->n && t->r[i].base <= base + (len - 1)) {
		const struct iomap_range *o = &t->r[i];

		snprintf(err, errlen, "%s: %s range 0x%llx-0x%llx overlaps "
			 "%s at 0x%llx-0x%llx", name, space_names[space],
			 (unsigned long long)base,
			 (unsigned long long)(base + len - 1), o->name,
			 (unsigned long long)o->base,
			 (unsigned long long)(o->base + o->len - 1));
		return -1;
	}

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct iomap_range *r = realloc(t->r, cap * sizeof(*r));

		if (!r) {
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		t->r = r;
		t->cap = cap;
	}
	memmove(&t->r[i + 1], &t->r[i], (t->n - i) * sizeof(t->r[0]));
	t->n++;
	t->r[i] = (struct iomap_range){
		.space = space,
		.base = base,
		.len = len,
		.sizes = sizes,
		.ops = ops,
		.opaque = opaque,
	};
	snprintf(t->r[i].name, sizeof(t->r[i].name), "%s", name);
	log_debug("iomap", "%s 0x%llx-0x%llx: %s", space_names[space],
		  (unsigned long long)base, (unsigned long long)(base + len - 1),
		  name);
	return 0;
}

const struct iomap_range *iomap_find(const struct iomap *m,
				     enum iomap_space space, uint64_t addr)
{
	const struct iomap_table *t = &m->t[space];
	size_t i = table_lower_bound(t, addr);

	if (i < t->n && t->r[i].base <= addr)
		return &t->r[i];
	return NULL;
}

/* True if the whole access lies in r and r takes accesses of this size. */
static bool range_takes(const struct iomap_range *r, uint64_t addr,
			unsigned size)
{
	return r && (r->sizes & size) && size <= r->len &&
	       addr - r->base <= r->len - size;
}

uint64_t iomap_read(struct iomap *m, enum iomap_space space, uint64_t addr,
		    unsigned size)
{
	const struct iomap_range *r = iomap_find(m, space, addr);
	uint64_t lo, hi;
	unsigned half;

	if (range_takes(r, addr, size)) {
		if (!r->ops || !r->ops->read)
			return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
		return r->ops->read(r->opaque, addr - r->base, size);
	}
	if (size == 1) {
		log_trace("iomap", "%s read 0x%llx: %s", space_names[space],
			  (unsigned long long)addr,
			  r ? "size not accepted" : "nothing there");
		return 0xff;
	}
	half = size / 2;
	lo = iomap_read(m, space, addr, half);
	hi = iomap_read(m, space, addr + half, half);
	return lo | hi << (half * 8);
}

void iomap_write(struct iomap *m, enum iomap_space space, uint64_t addr,
		 unsigned size, uint64_t val)
{
	const struct iomap_range *r = iomap_find(m, space, addr);
	unsigned half;

	if (range_takes(r, addr, size)) {
		if (r->ops && r->ops->write)
			r->ops->write(r->opaque, addr - r->base, size, val);
		return;
	}
	if (size == 1) {
		log_trace("iomap", "%s write 0x%llx = 0x%02x: %s",
			  space_names[space], (unsigned long long)addr,
			  (unsigned)(val & 0xff),
			  r ? "size not accepted" : "nothing there");
		return;
	}
	half = size / 2;
	iomap_write(m, space, addr, half, val);
	iomap_write(m, space, addr + half, half, val >> (half * 8));
}

void iomap_foreach(const struct iomap *m, enum iomap_space space,
		   void (*fn)(void *ctx, const struct iomap_range *r),
		   void *ctx)
{
	const struct iomap_table *t = &m->t[space];

	for (size_t i = 0; i < t->n; i++)
		fn(ctx, &t->r[i]);
}

static void print_range(void *ctx, const struct iomap_range *r)
{
	FILE *f = ctx;
	char sizes[16] = "";
	size_t n = 0;

	for (unsigned s = 1; s <= 8; s <<= 1) {
		if (r->sizes & s)
			n += (size_t)snprintf(sizes + n, sizeof(sizes) - n,
					      "%s%u", n ? "," : "", s);
	}
	fprintf(f, "%-4s 0x%08llx-0x%08llx  sizes %-7s  %s\n",
		space_names[r->space], (unsigned long long)r->base,
		(unsigned long long)(r->base + r->len - 1), sizes, r->name);
}

void iomap_print(const struct iomap *m, FILE *f)
{
	iomap_foreach(m, IOMAP_PORT, print_range, f);
	iomap_foreach(m, IOMAP_MMIO, print_range, f);
}
