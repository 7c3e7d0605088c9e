/* What a kernel load must have done, for tests/fuzz/load_fuzz.c: an
 * accepted load leaves guest RAM as the Multiboot Specification 0.6.96
 * or the Linux boot protocol (boot.rst) says; a refused one explains
 * itself in one line. The first failed check is written to msg. */
#ifndef TESTS_FUZZ_LOAD_ORACLE_H
#define TESTS_FUZZ_LOAD_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/linuxboot.h"
#include "platform/multiboot.h"
#include "platform/ram.h"

struct load_check {
	char *msg;
	size_t len;
	bool failed;
};

/* Records "fmt" as the failure unless ok (or one is recorded); ok. */
bool load_check(struct load_check *c, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void load_check_multiboot(struct load_check *c, struct ram *ram,
			  const struct multiboot_boot *mb, const char *append,
			  const char *kernel);
/* kernel, ksize: the bzImage or vmlinux file that was loaded. */
void load_check_linux(struct load_check *c, struct ram *ram,
		      const struct linuxboot_boot *lb, const uint8_t *kernel,
		      size_t ksize, const uint8_t *initrd, size_t isize,
		      const char *append);
/* err: the refusal; err_len: the buffer it was written into. */
void load_check_message(struct load_check *c, const char *err,
			size_t err_len, bool long_name);

#endif
