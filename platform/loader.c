/* Boot files into guest RAM: whole-file reads with one-line errors, and
 * placement that tells the code cache about every byte it writes. */
#include "platform/loader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Past the end of the most RAM -m gives (1 TiB): no -m helps a range
 * beyond it. */
#define LOADER_RAM_TOP_MAX (RAM_HIGH_BASE + (1ull << 40))

const char *loader_fmt_size(uint64_t bytes, char *buf, size_t len)
{
	if (bytes % (1ull << 30) == 0)
		snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes % (1ull << 20) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	return buf;
}

int loader_read_file(const char *what, const char *path,
		     const struct ram *ram, uint8_t **data, size_t *size,
		     char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s '%s': %s", what, path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot read %s '%s': %s", what, path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot read %s '%s': %s", what, path,
			 strerror(EISDIR));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s '%s' is not a regular file", what,
			 path);
		close(fd);
		return -1;
	}
	if (ram && (uint64_t)st.st_size > ram_low_end(ram)) {
		char sz[32];

		if (ram_high_size(ram))
			snprintf(err, errlen, "%s '%s' (%lld bytes) does not fit "
				 "in the %s of RAM below 4 GiB", what, path,
				 (long long)st.st_size,
				 loader_fmt_size(ram_low_end(ram), sz,
						 sizeof(sz)));
		else
			snprintf(err, errlen, "%s '%s' (%lld bytes) does not fit "
				 "in %s of RAM; use a larger -m", what, path,
				 (long long)st.st_size,
				 loader_fmt_size(ram_size(ram), sz, sizeof(sz)));
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > LOADER_FILE_MAX) {
		snprintf(err, errlen, "%s '%s' is too large (%lld bytes)", what,
			 path, (long long)st.st_size);
		close(fd);
		return -1;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory reading %s '%s'", what,
			 path);
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "cannot read %s '%s': %s", what,
				 path, n < 0 ? strerror(errno) :
				 "file shrank while reading");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	*data = buf;
	*size = got;
	return 0;
}

uint8_t *loader_ram(struct loader *l, uint64_t pa, uint64_t len,
		    const char *what)
{
	uint8_t *p = ram_ptr(l->ram, pa, len);
	uint64_t last = len ? pa + (len - 1) : pa;
	char sz[32];

	if (p)
		return p;
	if (last < pa) {
		snprintf(l->err, l->errlen, "%s (0x%llx, 0x%llx bytes) wraps "
			 "around the address space", what,
			 (unsigned long long)pa, (unsigned long long)len);
	} else if ((last < RAM_LOW_MAX && ram_high_size(l->ram) == 0) ||
		   (pa >= RAM_HIGH_BASE && last < LOADER_RAM_TOP_MAX)) {
		snprintf(l->err, l->errlen, "%s (0x%llx-0x%llx) does not fit "
			 "in %s of RAM; use a larger -m", what,
			 (unsigned long long)pa, (unsigned long long)last,
			 loader_fmt_size(ram_size(l->ram), sz, sizeof(sz)));
	} else {
		snprintf(l->err, l->errlen, "%s (0x%llx-0x%llx) is outside RAM",
			 what, (unsigned long long)pa, (unsigned long long)last);
	}
	return NULL;
}

/* Zeroes [p, p + n) but writes no page that already reads as zero:
 * guest RAM starts as untouched anonymous memory, where a read costs
 * nothing and a write costs a host page, so a kernel's large bss costs
 * no host memory until the guest uses it. */
static void loader_zero(uint8_t *p, uint64_t n)
{
	while (n) {
		size_t chunk = RAM_PAGE_SIZE - ((uintptr_t)p &
						(RAM_PAGE_SIZE - 1));

		if (chunk > n)
			chunk = (size_t)n;
		if (p[0] || memcmp(p, p + 1, chunk - 1) != 0)
			memset(p, 0, chunk);
		p += chunk;
		n -= chunk;
	}
}

int loader_place(struct loader *l, uint64_t pa, const void *src,
		 uint64_t filesz, uint64_t memsz, const char *what)
{
	uint8_t *dst = loader_ram(l, pa, memsz, what);

	if (!dst)
		return -1;
	if (filesz)
		memcpy(dst, src, (size_t)filesz);
	loader_zero(dst + filesz, memsz - filesz);
	if (l->cc)
		code_cache_note_write(l->cc, pa, memsz);
	return 0;
}
