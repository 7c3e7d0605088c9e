/* Command-line parsing. Options take one dash or two, as QEMU's do. */
#include "frontend/options.h"

#include <ctype.h>
#include <string.h>

struct option_def {
	const char *name;
	const char *arg;  /* argument name for -h, or NULL for a flag */
	const char *help;
	int (*apply)(struct options *o, const char *arg, char *err,
		     size_t errlen);
};

static int opt_kernel(struct options *o, const char *arg, char *err,
		      size_t errlen)
{
	(void)err;
	(void)errlen;
	o->machine.kernel = arg;
	return 0;
}

static int opt_append(struct options *o, const char *arg, char *err,
		      size_t errlen)
{
	(void)err;
	(void)errlen;
	o->machine.append = arg;
	return 0;
}

static int opt_initrd(struct options *o, const char *arg, char *err,
		      size_t errlen)
{
	(void)err;
	(void)errlen;
	o->machine.initrd = arg;
	return 0;
}

static int opt_memory(struct options *o, const char *arg, char *err,
		      size_t errlen)
{
	uint64_t bytes;

	if (options_parse_size(arg, &bytes) != 0) {
		snprintf(err, errlen, "-m: invalid size '%s' (use e.g. 256, "
			 "256M or 1G)", arg);
		return -1;
	}
	if (bytes < MACHINE_MIN_RAM) {
		snprintf(err, errlen, "-m: %s is too small; at least 1M of RAM "
			 "is needed", arg);
		return -1;
	}
	if (bytes > OPTIONS_MAX_RAM) {
		snprintf(err, errlen, "-m: %s is more than the 1T maximum", arg);
		return -1;
	}
	o->machine.ram_bytes = bytes;
	return 0;
}

static int opt_serial(struct options *o, const char *arg, char *err,
		      size_t errlen)
{
	if (strcmp(arg, "stdio") == 0) {
		o->machine.serial = MACHINE_SERIAL_STDIO;
	} else if (strcmp(arg, "none") == 0 || strcmp(arg, "null") == 0) {
		o->machine.serial = MACHINE_SERIAL_NONE;
	} else if (strncmp(arg, "file:", 5) == 0 && arg[5]) {
		o->machine.serial = MACHINE_SERIAL_FILE;
		o->machine.serial_path = arg + 5;
	} else {
		snprintf(err, errlen, "-serial: '%s' is not supported (use "
			 "stdio, file:PATH or none)", arg);
		return -1;
	}
	return 0;
}

static int opt_display(struct options *o, const char *arg, char *err,
		       size_t errlen)
{
	(void)o;
	if (strcmp(arg, "none") != 0) {
		snprintf(err, errlen, "-display: only 'none' is supported so "
			 "far, not '%s'", arg);
		return -1;
	}
	return 0;
}

static int opt_no_block_cache(struct options *o, const char *arg, char *err,
			      size_t errlen)
{
	(void)arg;
	(void)err;
	(void)errlen;
	o->machine.block_cache = false;
	return 0;
}

static int opt_log(struct options *o, const char *arg, char *err,
		   size_t errlen)
{
	if (!log_parse_level(arg, &o->log_level)) {
		snprintf(err, errlen, "-d: unknown log level '%s' (use error, "
			 "warn, info, debug, trace or 0-4)", arg);
		return -1;
	}
	return 0;
}

static int opt_icount_report(struct options *o, const char *arg, char *err,
			     size_t errlen)
{
	(void)arg;
	(void)err;
	(void)errlen;
	o->icount_report = true;
	return 0;
}

/* A decimal count in [min, max]; no sign, no suffix. */
static bool parse_count(const char *s, uint64_t min, uint64_t max,
			uint64_t *out)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* -smp N, or QEMU's -smp cpus=N. */
static int opt_smp(struct options *o, const char *arg, char *err,
		   size_t errlen)
{
	const char *n = strncmp(arg, "cpus=", 5) == 0 ? arg + 5 : arg;
	uint64_t v;

	if (!parse_count(n, 1, MACHINE_MAX_CPUS, &v)) {
		snprintf(err, errlen, "-smp: '%s' is not a number of CPUs "
			 "from 1 to %u", arg, MACHINE_MAX_CPUS);
		return -1;
	}
	o->machine.ncpus = (unsigned)v;
	return 0;
}

static int opt_cpu(struct options *o, const char *arg, char *err,
		   size_t errlen)
{
	const struct cpu_model *m = model_find(arg);

	if (!m) {
		snprintf(err, errlen, "-cpu: unknown CPU model '%s' (known: "
			 "default)", arg);
		return -1;
	}
	o->machine.model = m;
	return 0;
}

static int opt_quantum(struct options *o, const char *arg, char *err,
		       size_t errlen)
{
	uint64_t v;

	if (!parse_count(arg, 1, OPTIONS_MAX_QUANTUM, &v)) {
		snprintf(err, errlen, "-quantum: '%s' is not a number of "
			 "instructions from 1 to %llu", arg,
			 (unsigned long long)OPTIONS_MAX_QUANTUM);
		return -1;
	}
	o->machine.quantum = v;
	return 0;
}

static int opt_info_devices(struct options *o, const char *arg, char *err,
			    size_t errlen)
{
	(void)arg;
	(void)err;
	(void)errlen;
	o->info_devices = true;
	o->machine.no_kernel = true;
	return 0;
}

static int opt_help(struct options *o, const char *arg, char *err,
		    size_t errlen)
{
	(void)arg;
	(void)err;
	(void)errlen;
	o->help = true;
	return 0;
}

static const struct option_def option_table[] = {
	{ "kernel", "FILE", "kernel to boot: multiboot, Linux bzImage or x86-64 "
	  "ELF vmlinux", opt_kernel },
	{ "append", "ARGS", "kernel command line (after the file name)",
	  opt_append },
	{ "initrd", "FILES", "Linux: the initrd file; multiboot: modules "
	  "FILE[ ARGS][,FILE[ ARGS]...], ',,' is a comma", opt_initrd },
	{ "m", "SIZE", "guest RAM: MiB, or with suffix K/M/G/T (default 128M)",
	  opt_memory },
	{ "serial", "DEV", "COM1 output: stdio (default), file:PATH or none",
	  opt_serial },
	{ "display", "none", "no display (the only kind so far)", opt_display },
	{ "no-block-cache", NULL, "decode every instruction afresh",
	  opt_no_block_cache },
	{ "d", "LEVEL", "log level: error, warn (default), info, debug, trace",
	  opt_log },
	{ "smp", "N", "number of CPUs, 1 to 255 (default 1); CPU 0 boots, the "
	  "others wait for a SIPI", opt_smp },
	{ "cpu", "MODEL", "CPU model (default: default)", opt_cpu },
	{ "quantum", "N", "instructions a CPU runs before the next one's turn "
	  "(default 10000)", opt_quantum },
	{ "icount-report", NULL, "print \"instructions: N\" on stderr at exit",
	  opt_icount_report },
	{ "info-devices", NULL, "list the machine's port and MMIO ranges and "
	  "exit (no kernel needed)", opt_info_devices },
	{ "h", NULL, "this help", opt_help },
	{ "help", NULL, NULL, opt_help },
};

#define N_OPTIONS (sizeof(option_table) / sizeof(option_table[0]))

static const struct option_def *find_option(const char *name)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (strcmp(option_table[i].name, name) == 0)
			return &option_table[i];
	return NULL;
}

int options_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t whole = 0, frac = 0, frac_div = 1, mult, v;
	const char *p = s;

	if (strncmp(p, "size=", 5) == 0)
		p += 5;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		/* QEMU also takes a hexadecimal integer. */
		p += 2;
		if (!isxdigit((unsigned char)*p))
			return -1;
		for (; isxdigit((unsigned char)*p); p++) {
			if (whole > (UINT64_MAX >> 4))
				return -1;
			whole = whole << 4 |
				(uint64_t)(isdigit((unsigned char)*p) ?
					   *p - '0' :
					   toupper((unsigned char)*p) - 'A' + 10);
		}
		if (*p == '.')
			return -1;
	} else {
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			if (whole > (UINT64_MAX - 9) / 10)
				return -1;
			whole = whole * 10 + (uint64_t)(*p - '0');
		}
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			/* Digits past a millionth cannot matter for RAM. */
			if (frac_div < 1000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_div *= 10;
			}
		}
	}
	switch (toupper((unsigned char)*p)) {
	case '\0': mult = 1ull << 20; break;
	case 'B': mult = 1; break;
	case 'K': mult = 1ull << 10; break;
	case 'M': mult = 1ull << 20; break;
	case 'G': mult = 1ull << 30; break;
	case 'T': mult = 1ull << 40; break;
	default: return -1;
	}
	if (*p && p[1])
		return -1;
	if (mult == 1 && frac)
		return -1;
	if (whole > UINT64_MAX / mult)
		return -1;
	v = whole * mult;
	/* frac < frac_div <= 10^6 and mult <= 2^40, so this fits. */
	v += frac * mult / frac_div;
	if (v < whole * mult)
		return -1;
	*bytes = v;
	return 0;
}

int options_parse(struct options *o, int argc, char *const argv[], char *err,
		  size_t errlen)
{
	memset(o, 0, sizeof(*o));
	machine_config_init(&o->machine);
	o->log_level = LOG_WARN;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct option_def *d;
		const char *name;

		if (a[0] != '-' || a[1] == '\0') {
			snprintf(err, errlen, "unexpected argument '%s' (see -h)",
				 a);
			return -1;
		}
		name = a + 1;
		if (name[0] == '-')
			name++;
		d = find_option(name);
		if (!d) {
			snprintf(err, errlen, "unknown option '%s' (see -h)", a);
			return -1;
		}
		if (d->arg && i + 1 >= argc) {
			snprintf(err, errlen, "option '%s' needs an argument "
				 "(%s)", a, d->arg);
			return -1;
		}
		if (d->apply(o, d->arg ? argv[++i] : NULL, err, errlen) != 0)
			return -1;
	}
	if (o->help || o->info_devices)
		return 0;
	if (!o->machine.kernel) {
		snprintf(err, errlen, "no kernel given; use -kernel FILE (see -h)");
		return -1;
	}
	return 0;
}

void options_usage(FILE *f)
{
	fprintf(f, "usage: vmxsim -kernel FILE [options]\n\n"
		   "Runs a multiboot or Linux kernel on a simulated x86-64 "
		   "PC.\n\n");
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_def *d = &option_table[i];
		char left[40];

		if (!d->help)
			continue;
		snprintf(left, sizeof(left), "-%s%s%s", d->name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(f, "  %-22s %s\n", left, d->help);
	}
	fprintf(f, "\nExit status: (v << 1) | 1 when the guest writes v to port "
		   "0xf4; %d when the\nguest halts for good; %d on a triple "
		   "fault; 1 on bad input.\n", MACHINE_STATUS_HALTED,
		MACHINE_STATUS_SHUTDOWN);
}
