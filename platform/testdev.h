/* QEMU's pc-testdev, which kvm-unit-tests and similar test kernels use:
 *   0xe0-0xe3    a 32-bit scratch register; an access of n bytes at
 *                0xe0 + k reads or writes its bytes k .. k + n - 1
 *   0xe4-0xe7    "flush page": a dword write names a physical page whose
 *                host mapping QEMU drops; nothing to do here
 *   0xe8, 0xea-0xeb  the same scratch register byte by byte (0xe9 is the
 *                debug console, which keeps its port)
 *   0x2000-0x2017 IRQ line control: a byte write of v to 0x2000 + n sets
 *                line n of the board to v != 0 (it stays there)
 *   0xff000000   64 KiB of scratch memory (MMIO, sizes 1-8) */
#ifndef PLATFORM_TESTDEV_H
#define PLATFORM_TESTDEV_H

#include <stddef.h>

#include "platform/iomap.h"
#include "platform/irq.h"

#define TESTDEV_RAM_SIZE 0x10000u

struct testdev;

struct testdev *testdev_create(struct iomap *io, struct irq_bus *irqs,
			       char *err, size_t errlen);
void testdev_destroy(struct testdev *t);

#endif
