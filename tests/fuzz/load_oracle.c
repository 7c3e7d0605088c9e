#include "tests/fuzz/load_oracle.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform/le.h"

#define MIB (1ull << 20)

bool load_check(struct load_check *c, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok || c->failed)
		return ok;
	c->failed = true;
	va_start(ap, fmt);
	vsnprintf(c->msg, c->len, fmt, ap);
	va_end(ap);
	return false;
}

/* A NUL-terminated string at pa wholly in RAM; its length or -1. */
static long ram_strlen(struct ram *ram, uint64_t pa)
{
	for (uint64_t i = 0; i < 0x100000; i++) {
		const uint8_t *p = ram_ptr(ram, pa + i, 1);

		if (!p)
			return -1;
		if (*p == 0)
			return (long)i;
	}
	return -1;
}

/* Multiboot 0.6.96 section 3.3: the information block and what it
 * points at are in RAM below 4 GiB; the command line is a C string;
 * modules do not overlap the kernel. */
void load_check_multiboot(struct load_check *c, struct ram *ram,
			  const struct multiboot_boot *mb, const char *append,
			  const char *kernel)
{
	const uint8_t *info = ram_ptr(ram, mb->info, 120);
	uint32_t flags, cmd, nmods, mods;
	long len;

	if (!load_check(c, info != NULL, "information block 0x%x not in RAM",
			mb->info))
		return;
	load_check(c,
		   mb->kernel_start < mb->kernel_end &&
			   mb->kernel_end <= ram_top(ram),
		   "kernel extent 0x%llx-0x%llx",
		   (unsigned long long)mb->kernel_start,
		   (unsigned long long)mb->kernel_end);
	load_check(c,
		   mb->info >= mb->kernel_end ||
			   (uint64_t)mb->info + 120 <= mb->kernel_start,
		   "information block 0x%x overlaps the kernel", mb->info);
	flags = le32_get(info);
	load_check(c,
		   (flags & (MB_INFO_MEMORY | MB_INFO_CMDLINE)) ==
			   (MB_INFO_MEMORY | MB_INFO_CMDLINE),
		   "info flags 0x%x", flags);
	cmd = le32_get(info + 16);
	len = ram_strlen(ram, cmd);
	load_check(c,
		   len >= 0 &&
			   (size_t)len == strlen(kernel) + 1 +
						  strlen(append ? append : ""),
		   "command line at 0x%x, length %ld", cmd, len);
	nmods = le32_get(info + 20);
	mods = le32_get(info + 24);
	load_check(c, nmods == mb->nmods, "mods_count %u, loaded %u", nmods,
		   mb->nmods);
	for (uint32_t i = 0; i < nmods && !c->failed; i++) {
		const uint8_t *m = ram_ptr(ram, (uint64_t)mods + i * 16, 16);
		uint32_t start, end;

		if (!load_check(c, m != NULL, "module entry %u not in RAM", i))
			break;
		start = le32_get(m);
		end = le32_get(m + 4);
		load_check(c, start <= end && ram_ptr(ram, start, end - start),
			   "module %u at 0x%x-0x%x", i, start, end);
		load_check(c,
			   end <= mb->kernel_start || start >= mb->kernel_end ||
				   start == end,
			   "module %u at 0x%x-0x%x overlaps the "
			   "kernel",
			   i, start, end);
		load_check(c, ram_strlen(ram, le32_get(m + 8)) >= 0,
			   "module %u string", i);
	}
}

/* The Linux boot protocol (boot.rst): the kernel above 1 MiB in RAM, at
 * pref_address or 1 MiB, aligned when relocatable; boot_params with the
 * header and loader fields; the command line no longer than
 * cmdline_size; the initrd page-aligned, above the kernel and wholly
 * below initrd_addr_max. */
void load_check_linux(struct load_check *c, struct ram *ram,
		      const struct linuxboot_boot *lb, const uint8_t *kernel,
		      size_t ksize, const uint8_t *initrd, size_t isize,
		      const char *append)
{
	const uint8_t *bp = ram_ptr(ram, lb->params, BP_SIZE);
	const uint8_t *h = kernel;
	uint64_t low = ram_low_end(ram);
	size_t alen = strlen(append ? append : "");
	long len;

	load_check(c,
		   lb->kernel_start >= MIB &&
			   lb->kernel_start < lb->kernel_end &&
			   lb->kernel_end <= low,
		   "kernel at 0x%llx-0x%llx, low RAM ends at "
		   "0x%llx",
		   (unsigned long long)lb->kernel_start,
		   (unsigned long long)lb->kernel_end, (unsigned long long)low);
	if (!load_check(c, bp != NULL, "boot_params not in RAM"))
		return;
	load_check(c, bp[LH_TYPE_OF_LOADER] != 0, "type_of_loader is 0");
	load_check(c, le32_get(bp + LH_HEADER) == LINUX_HDRS,
		   "no HdrS in "
		   "boot_params");
	len = ram_strlen(ram, le32_get(bp + LH_CMD_LINE_PTR));
	load_check(c, len >= 0 && (size_t)len == alen,
		   "command line length %ld, "
		   "expected %zu",
		   len, alen);
	if (!lb->vmlinux) {
		uint16_t version = le16_get(h + LH_VERSION);
		unsigned sects = h[LH_SETUP_SECTS] ? h[LH_SETUP_SECTS] : 4;
		size_t setup = (size_t)(sects + 1) * 512;
		uint32_t cmdline_size = le32_get(h + LH_CMDLINE_SIZE);
		uint32_t align = le32_get(h + LH_KERNEL_ALIGNMENT);
		const uint8_t *pm;

		load_check(c, version >= 0x0206, "accepted protocol 0x%x",
			   version);
		load_check(c, h[LH_LOADFLAGS] & LINUX_LOADED_HIGH,
			   "accepted a "
			   "zImage");
		load_check(c, alen <= cmdline_size,
			   "command line of %zu bytes, "
			   "cmdline_size %u",
			   alen, cmdline_size);
		load_check(c, setup < ksize, "setup sectors cover the file");
		if (version >= 0x020a) {
			uint64_t pref = le64_get(h + LH_PREF_ADDRESS);
			uint32_t init = le32_get(h + LH_INIT_SIZE);

			/* A relocatable kernel goes anywhere aligned,
			 * pref_address counts "if nonzero", and other
			 * kernels go to pref_address. */
			if (h[LH_RELOCATABLE_KERNEL] && align &&
			    !(align & (align - 1)))
				load_check(c, lb->kernel_start % align == 0,
					   "relocatable kernel at 0x%llx, "
					   "kernel_alignment 0x%x",
					   (unsigned long long)lb->kernel_start,
					   align);
			else if (!h[LH_RELOCATABLE_KERNEL] || pref)
				load_check(c, lb->kernel_start == pref,
					   "kernel at "
					   "0x%llx, pref_address 0x%llx",
					   (unsigned long long)lb->kernel_start,
					   (unsigned long long)pref);
			load_check(c, lb->kernel_end - lb->kernel_start >= init,
				   "init_size 0x%x does not fit 0x%llx-0x%llx",
				   init, (unsigned long long)lb->kernel_start,
				   (unsigned long long)lb->kernel_end);
		} else {
			load_check(c, lb->kernel_start == LINUX_DEFAULT_LOAD,
				   "protocol 0x%x kernel at 0x%llx", version,
				   (unsigned long long)lb->kernel_start);
		}
		load_check(c,
			   lb->long_mode == (version >= 0x020c &&
					     (le16_get(h + LH_XLOADFLAGS) &
					      LINUX_XLF_KERNEL_64)),
			   "long mode %d", lb->long_mode);
		load_check(c,
			   lb->entry == lb->kernel_start +
						(lb->long_mode
							 ? LINUX_ENTRY64_OFFSET
							 : 0),
			   "entry 0x%llx", (unsigned long long)lb->entry);
		if (setup < ksize) {
			size_t n = ksize - setup < 64 ? ksize - setup : 64;

			pm = ram_ptr(ram, lb->kernel_start, n);
			load_check(c, pm && memcmp(pm, h + setup, n) == 0,
				   "protected-mode kernel not at 0x%llx",
				   (unsigned long long)lb->kernel_start);
		}
		if (initrd)
			load_check(c,
				   lb->initrd_start + isize <=
					   (uint64_t)le32_get(
						   h + LH_INITRD_ADDR_MAX) +
						   1,
				   "initrd 0x%llx+0x%zx above initrd_addr_max",
				   (unsigned long long)lb->initrd_start, isize);
	} else {
		load_check(c,
			   lb->entry >= lb->kernel_start &&
				   lb->entry < lb->kernel_end,
			   "vmlinux entry 0x%llx",
			   (unsigned long long)lb->entry);
	}
	if (initrd) {
		const uint8_t *p = ram_ptr(ram, lb->initrd_start, isize);

		load_check(
			c,
			lb->initrd_size == isize && p &&
				lb->initrd_start % 4096 == 0 &&
				lb->initrd_start >= lb->kernel_end &&
				lb->initrd_start + isize <= low &&
				le32_get(bp + LH_RAMDISK_IMAGE) ==
					lb->initrd_start &&
				le32_get(bp + LH_RAMDISK_SIZE) == isize &&
				(isize == 0 || memcmp(p, initrd, isize) == 0),
			"initrd at 0x%llx, 0x%zx bytes",
			(unsigned long long)lb->initrd_start, isize);
	}
}

/* An error message is one non-empty line that fits its buffer (unless
 * it quotes a name too long for any buffer). */
void load_check_message(struct load_check *c, const char *err, size_t err_len,
			bool long_name)
{
	size_t n = strlen(err);

	load_check(c, n > 0, "rejected without a message");
	load_check(c, n < err_len - 1 || long_name, "message truncated: %.300s",
		   err);
	load_check(c, strchr(err, '\n') == NULL,
		   "message has a newline: %.300s", err);
	load_check(c, strstr(err, "(null)") == NULL,
		   "message has (null): %.300s", err);
}
