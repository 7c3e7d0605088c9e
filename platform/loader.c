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

int loader_read_file(const char *what, const char *path, uint8_t **data,
		     size_t *size, char *err, size_t errlen)
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
	uint64_t end = pa + len;
	char sz[32];

	if (p)
		return p;
	if (end < pa) {
		snprintf(l->err, l->errlen, "%s (0x%llx, 0x%llx bytes) wraps "
			 "around the address space", what,
			 (unsigned long long)pa, (unsigned long long)len);
	} else if ((end <= RAM_LOW_MAX && ram_high_size(l->ram) == 0) ||
		   pa >= RAM_HIGH_BASE) {
		snprintf(l->err, l->errlen, "%s (0x%llx-0x%llx) does not fit "
			 "in %s of RAM; use a larger -m", what,
			 (unsigned long long)pa, (unsigned long long)(end - 1),
			 loader_fmt_size(ram_size(l->ram), sz, sizeof(sz)));
	} else {
		snprintf(l->err, l->errlen, "%s (0x%llx-0x%llx) is outside RAM",
			 what, (unsigned long long)pa,
			 (unsigned long long)(end - 1));
	}
	return NULL;
}

int loader_place(struct loader *l, uint64_t pa, const void *src,
		 uint64_t filesz, uint64_t memsz, const char *what)
{
	uint8_t *dst = loader_ram(l, pa, memsz, what);

	if (!dst)
		return -1;
	if (filesz)
		memcpy(dst, src, (size_t)filesz);
	memset(dst + filesz, 0, (size_t)(memsz - filesz));
	if (l->cc)
		code_cache_note_write(l->cc, pa, memsz);
	return 0;
}
