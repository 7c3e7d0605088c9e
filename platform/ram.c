/* Guest RAM backed by one anonymous host mapping. Pages are zero until the
 * guest or a loader touches them, so a large -m costs nothing up front. */
#include "platform/ram.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ram {
	uint8_t *host;
	uint64_t size;
	uint64_t low_end;   /* RAM at [0, low_end) */
	uint64_t high_size; /* RAM at [RAM_HIGH_BASE, + high_size) */
};

struct ram *ram_create(uint64_t bytes, char *err, size_t errlen)
{
	struct ram *r;
	void *p;

	if (bytes == 0 || bytes > UINT64_MAX - RAM_PAGE_SIZE ||
	    bytes > (uint64_t)SIZE_MAX - RAM_PAGE_SIZE) {
		snprintf(err, errlen, "cannot provide %llu bytes of guest RAM",
			 (unsigned long long)bytes);
		return NULL;
	}
	bytes = (bytes + RAM_PAGE_SIZE - 1) & ~(RAM_PAGE_SIZE - 1);
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* MAP_NORESERVE: the guest rarely touches all of its RAM. */
	p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(bytes >> 20), strerror(errno));
		free(r);
		return NULL;
	}
	r->host = p;
	r->size = bytes;
	if (bytes <= RAM_LOW_MAX) {
		r->low_end = bytes;
	} else {
		r->low_end = RAM_SPLIT;
		r->high_size = bytes - RAM_SPLIT;
	}
	return r;
}

void ram_destroy(struct ram *r)
{
	if (!r)
		return;
	munmap(r->host, (size_t)r->size);
	free(r);
}

uint64_t ram_size(const struct ram *r)
{
	return r->size;
}

uint64_t ram_low_end(const struct ram *r)
{
	return r->low_end;
}

uint64_t ram_high_size(const struct ram *r)
{
	return r->high_size;
}

uint64_t ram_top(const struct ram *r)
{
	return r->high_size ? RAM_HIGH_BASE + r->high_size : r->low_end;
}

uint8_t *ram_page(const struct ram *r, uint64_t pa)
{
	pa &= ~(RAM_PAGE_SIZE - 1);
	if (pa < r->low_end)
		return r->host + pa;
	if (pa - RAM_HIGH_BASE < r->high_size)
		return r->host + r->low_end + (pa - RAM_HIGH_BASE);
	return NULL;
}

uint8_t *ram_ptr(const struct ram *r, uint64_t pa, uint64_t len)
{
	if (pa <= r->low_end && len <= r->low_end - pa)
		return r->host + pa;
	if (pa >= RAM_HIGH_BASE && pa - RAM_HIGH_BASE <= r->high_size &&
	    len <= r->high_size - (pa - RAM_HIGH_BASE))
		return r->host + r->low_end + (pa - RAM_HIGH_BASE);
	return NULL;
}
