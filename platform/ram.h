/* Guest RAM: one host allocation, laid out in physical memory as on a PC.
 * RAM starts at 0 and runs up to ram_low_end(); when there is more than
 * RAM_LOW_MAX, everything past RAM_SPLIT continues at 4 GiB, so the top
 * of the 32-bit space stays free for devices (APIC, IOAPIC, firmware). */
#ifndef PLATFORM_RAM_H
#define PLATFORM_RAM_H

#include <stddef.h>
#include <stdint.h>

#define RAM_PAGE_SIZE 4096ull
#define RAM_LOW_MAX 0xe0000000ull  /* all RAM below 4 GiB up to this size */
#define RAM_SPLIT 0xc0000000ull    /* low RAM end when it does not fit */
#define RAM_HIGH_BASE 0x100000000ull

struct ram;

/* bytes is rounded up to a whole page. Returns NULL with a message in
 * err if the host cannot provide it. */
struct ram *ram_create(uint64_t bytes, char *err, size_t errlen);
void ram_destroy(struct ram *r);

uint64_t ram_size(const struct ram *r);
/* End of RAM below 4 GiB (exclusive). */
uint64_t ram_low_end(const struct ram *r);
/* Bytes of RAM at RAM_HIGH_BASE and up; 0 if none. */
uint64_t ram_high_size(const struct ram *r);
/* One past the highest RAM physical address. */
uint64_t ram_top(const struct ram *r);

/* Host pointer to the 4 KiB page holding pa, or NULL if pa is not RAM. */
uint8_t *ram_page(const struct ram *r, uint64_t pa);

/* Host pointer to [pa, pa + len) if all of it is RAM in one piece, else
 * NULL. len 0 asks only whether pa is RAM or the end of a RAM block. */
uint8_t *ram_ptr(const struct ram *r, uint64_t pa, uint64_t len);

#endif
