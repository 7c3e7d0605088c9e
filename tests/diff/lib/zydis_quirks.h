/* Where Zydis 4.0 decodes something that no processor of the SDM has,
 * with a length the SDM's encoding rules do not give. The decoder tests
 * against Zydis count such cases apart; they do not fail the test. */
#ifndef TESTS_DIFF_LIB_ZYDIS_QUIRKS_H
#define TESTS_DIFF_LIB_ZYDIS_QUIRKS_H

#include <Zydis/Zydis.h>

#define DIFF_ZYDIS_QUIRKS 2

struct diff_zydis_quirk {
	ZydisMnemonic mnemonic;
	const char *why;
};

extern const struct diff_zydis_quirk diff_zydis_quirks[DIFF_ZYDIS_QUIRKS];

/* The index in diff_zydis_quirks of Zydis's mnemonic m, or -1. */
int diff_zydis_quirk(ZydisMnemonic m);

#endif
