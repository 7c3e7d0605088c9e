/* Execution fuzzer: whole PC machines running pseudo-random guest code
 * (tests/fuzz/fuzz_guest.h), to show that a guest, however broken,
 * cannot crash, hang or corrupt the host process (DESIGN principle 6).
 * Each seed builds a machine, fills its RAM, runs a bounded number of
 * guest instructions and destroys it; same seed, same run. Shutdowns,
 * resets and the like are the guest's business and are only counted.
 * Host failures (a hang, a run past its budget, a run that differs
 * when repeated) make the exit status 1; the sanitizers abort by
 * themselves.
 *   exec_fuzz [--seeds N] [--first S] [--insns N] [--timeout SEC]
 *             [--repeat-every K] [--cache-diff] [--log-level L]
 *             [--verbose]
 * Every K-th seed runs twice and must end the same way. --cache-diff
 * runs it the second time with the block cache switched, to look for
 * differences by hand: not every one is a bug, as a guest that changes
 * its page tables without invalidating may see the old or the new
 * translation (SDM Vol. 3A 4.10.4.3), and code pages take the TLB's
 * slow write path. --timeout 0 turns the watchdog off (to look at a
 * hang in a debugger). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "cpu/model.h"
#include "platform/clock.h"
#include "platform/machine.h"
#include "platform/ram.h"
#include "tests/fuzz/fuzz_guest.h"
#include "util/log.h"

#define DEFAULT_SEEDS 250
#define DEFAULT_INSNS 200000
#define DEFAULT_TIMEOUT 30     /* seconds of host time per machine */
#define DEFAULT_REPEAT 8       /* every 8th seed runs twice */

struct options {
	uint64_t seeds, first, insns;
	unsigned timeout, repeat_every;
	enum log_level log_level;
	bool verbose;
	bool cache_diff;     /* the repeated run flips the block cache */
};

/* What one run left behind, to compare two runs of a seed. */
struct outcome {
	enum machine_end end;
	int status;
	uint64_t icount;
	uint64_t rip[2];
	uint64_t ram_hash;
	bool slow;          /* stopped by the watchdog, still retiring */
};

struct totals {
	uint64_t machines, insns, failures, slow;
	uint64_t by_end[MACHINE_END_RESET + 1];
	uint64_t by_mode[FUZZ_MODE_COUNT];
};

/* The seed being run, for the watchdog and the sanitizers' last word. */
static volatile uint64_t current_seed;
static volatile int running;

/* Appends the decimal digits of v at p; returns the new end. No stdio:
 * this runs in signal handlers and sanitizer hooks. */
static char *put_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static void say_seed(void)
{
	char buf[128], *p = buf;
	uint64_t seed = current_seed;

	if (!running)
		return;
	p = put_str(p, "exec_fuzz: failing seed ");
	p = put_dec(p, seed);
	p = put_str(p, " (rerun with --first ");
	p = put_dec(p, seed);
	p = put_str(p, " --seeds 1)\n");
	(void)!write(2, buf, (size_t)(p - buf));
}

/* The watchdog ticks twice a second while a machine runs. A machine hangs
 * the host when it retires no instruction for STALL_TICKS ticks while it
 * runs (a CPU that waits returns from cpu_run(), and even a long REP
 * string retires in bursts); it is only slow when it retires
 * instructions but outlives its host-time limit, which a guest can ask
 * for (a REP OUTS of 4G iterations from MMIO is one instruction per
 * burst). Either way the watchdog asks the CPUs to stop at their next
 * instruction boundary, so that the fuzzer goes on with the next seed;
 * if that does not end the run, it gives up on the process. */
#define TICK_MS 500
#define STALL_TICKS 3
#define GIVE_UP_TICKS 20

static struct machine *volatile current_machine;
static volatile sig_atomic_t hung, stalled;
static unsigned tick_limit, ticks, still_ticks;
static uint64_t last_icount;

static void on_alarm(int sig)
{
	static const char msg[] = "exec_fuzz: HANG: a machine ignores stop "
				  "requests\n";
	struct machine *m = current_machine;

	(void)sig;
	if (!m)
		return;
	ticks++;
	if (hung) {
		if (ticks < GIVE_UP_TICKS)
			return;
		(void)!write(2, msg, sizeof(msg) - 1);
		say_seed();
		_exit(1);
	}
	uint64_t n = machine_icount(m);
	still_ticks = n == last_icount ? still_ticks + 1 : 0;
	last_icount = n;
	if (still_ticks < STALL_TICKS && ticks < tick_limit)
		return;
	hung = 1;
	stalled = still_ticks >= STALL_TICKS;
	ticks = 0;
	for (unsigned i = 0; i < machine_ncpus(m); i++)
		cpu_request_stop(machine_cpu(m, i));
	machine_request_stop(m);
}

/* Without a sanitizer (it has its own reports), a crash still names
 * its seed. */
static void on_crash(int sig)
{
	say_seed();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Weak: present only in sanitizer builds. */
void __sanitizer_set_death_callback(void (*callback)(void))
	__attribute__((weak));

/* UBSan's hooks: it calls the first before a report (it has no death
 * callback), and takes its options from the second. */
void __ubsan_on_report(void);
const char *__ubsan_default_options(void);

void __ubsan_on_report(void)
{
	say_seed();
}

const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1";
}

static void install_handlers(void)
{
	signal(SIGALRM, on_alarm);
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(say_seed);
		return;
	}
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGILL, on_crash);
	signal(SIGABRT, on_crash);
}

/* Starts (seconds > 0) or stops the watchdog for machine m. */
static void watchdog(struct machine *m, unsigned seconds)
{
	struct itimerval it = {
		.it_interval = { .tv_usec = TICK_MS * 1000 },
		.it_value = { .tv_usec = TICK_MS * 1000 },
	};

	if (!seconds) {
		it = (struct itimerval){ 0 };
		setitimer(ITIMER_REAL, &it, NULL);
		current_machine = NULL;
		return;
	}
	hung = stalled = 0;
	ticks = still_ticks = 0;
	tick_limit = seconds * (1000 / TICK_MS);
	last_icount = machine_icount(m);
	current_machine = m;
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The budget: a timer on the machine's clock at the time the budget's
 * instructions take; the scheduler ends the slice there and the run
 * stops at that quantum boundary. */
static void budget_spent(void *opaque)
{
	machine_request_stop(opaque);
}

static uint64_t fnv1a(const uint8_t *p, uint64_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* One machine for plan p. Returns false on a host failure it can see
 * (the message is printed). */
static bool run_one(const struct options *o, struct fuzz_plan *p,
		    bool probe, struct outcome *out)
{
	struct machine_config cfg;
	struct machine_result res;
	char err[256];
	struct timer budget;

	machine_config_init(&cfg);
	cfg.ram_bytes = p->ram_bytes;
	cfg.ncpus = p->ncpus;
	cfg.quantum = p->quantum;
	cfg.block_cache = p->block_cache;
	cfg.serial = MACHINE_SERIAL_NONE;
	cfg.debugcon = MACHINE_DEBUGCON_NONE;
	cfg.no_kernel = true;
	struct machine *m = machine_create(&cfg, err, sizeof(err));
	if (!m) {
		printf("FAIL seed %llu: machine_create: %s\n",
		       (unsigned long long)p->seed, err);
		return false;
	}
	struct ram *ram = machine_ram(m);
	uint8_t *bytes = ram_ptr(ram, 0, p->ram_bytes);
	if (!bytes) {
		printf("FAIL seed %llu: RAM is not one block\n",
		       (unsigned long long)p->seed);
		machine_destroy(m);
		return false;
	}
	fuzz_guest_build(p, bytes, probe);
	if (o->verbose)
		printf("seed %llu: %s%s, %u CPU(s)%s, %llu KiB, quantum %llu, "
		       "%s, entry 0x%llx\n", (unsigned long long)p->seed,
		       fuzz_mode_name(p->mode), p->user ? "/user" : "",
		       p->ncpus, p->start_ap ? " (AP started)" : "",
		       (unsigned long long)(p->ram_bytes >> 10),
		       (unsigned long long)p->quantum,
		       p->block_cache ? "cache" : "nocache",
		       (unsigned long long)p->entry);

	struct cpu *bsp = machine_cpu(m, 0);
	for (int i = 0; i < 16; i++)
		cpu_set_gpr(bsp, i, p->gpr[i]);
	cpu_enter_flat_protected_mode(bsp);
	cpu_set_rip(bsp, p->tramp_rip);
	if (p->start_ap)
		cpu_sipi(machine_cpu(m, 1), p->ap_vector);

	struct clock *clk = machine_clock(m);
	uint64_t ips = model_default()->insns_per_sec;
	timer_init(&budget, clk, budget_spent, m);
	timer_arm(&budget, clock_now_ns(clk) +
		  (uint64_t)((unsigned __int128)o->insns * 1000000000u / ips));

	if (o->timeout)
		watchdog(m, o->timeout);
	machine_run(m, &res);
	watchdog(m, 0);
	timer_disarm(&budget);

	out->end = res.end;
	out->slow = false;
	out->status = res.status;
	out->icount = machine_icount(m);
	for (unsigned i = 0; i < 2; i++)
		out->rip[i] = i < p->ncpus ? cpu_get_rip(machine_cpu(m, i)) : 0;
	out->ram_hash = fnv1a(bytes, p->ram_bytes);
	if (o->verbose)
		printf("  end %d, %llu insns%s%s\n", res.end,
		       (unsigned long long)out->icount,
		       res.message[0] ? ": " : "", res.message);
	machine_destroy(m);

	if (hung && stalled) {
		printf("FAIL seed %llu: HANG: no instruction retired for %d ms "
		       "of host time; %llu instructions retired (budget %llu)\n",
		       (unsigned long long)p->seed, STALL_TICKS * TICK_MS,
		       (unsigned long long)out->icount,
		       (unsigned long long)o->insns);
		return false;
	}
	if (hung) {
		printf("slow seed %llu: stopped after %u s of host time, %llu "
		       "instructions retired (budget %llu)\n",
		       (unsigned long long)p->seed, o->timeout,
		       (unsigned long long)out->icount,
		       (unsigned long long)o->insns);
		out->slow = true;
	}
	/* Slices end at the budget's deadline; a CPU that retires far more
	 * than that ignores its budget, which would hang a real run. */
	uint64_t slack = p->quantum * p->ncpus + 1000;
	if (out->icount > o->insns + slack) {
		printf("FAIL seed %llu: %llu instructions retired, budget %llu\n",
		       (unsigned long long)p->seed,
		       (unsigned long long)out->icount,
		       (unsigned long long)o->insns);
		return false;
	}
	return true;
}

/* The trampoline must reach every mode it claims, or the fuzzer would
 * quietly test less than it says. */
static bool check_modes(const struct options *o)
{
	struct options po = *o;
	bool ok = true;

	po.insns = 100000;
	po.verbose = false;
	for (int mode = 0; mode < FUZZ_MODE_COUNT; mode++) {
		for (int user = 0; user < 2; user++) {
			struct fuzz_plan p;
			struct outcome out;

			if (user && (mode == FUZZ_REAL || mode == FUZZ_VM86))
				continue;
			fuzz_plan_make(&p, 1000 + (uint64_t)mode * 2 + user);
			p.mode = (enum fuzz_mode)mode;
			p.user = user;
			p.ncpus = 1;
			p.start_ap = false;
			current_seed = p.seed;
			if (!run_one(&po, &p, true, &out))
				return false;
			int want = fuzz_probe_status(&p);
			if (out.end != MACHINE_END_DEBUG_EXIT ||
			    out.status != want) {
				printf("FAIL mode probe %s%s: end %d status %d, "
				       "want debug exit with %d\n",
				       fuzz_mode_name(p.mode),
				       user ? "/user" : "", out.end,
				       out.status, want);
				ok = false;
			}
		}
	}
	return ok;
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
	return a->end == b->end && a->status == b->status &&
	       a->icount == b->icount && a->rip[0] == b->rip[0] &&
	       a->rip[1] == b->rip[1] && a->ram_hash == b->ram_hash;
}

static void fuzz_seed(const struct options *o, uint64_t seed,
		      struct totals *t)
{
	struct fuzz_plan p;
	struct outcome a, b;

	fuzz_plan_make(&p, seed);
	current_seed = seed;
	if (!run_one(o, &p, false, &a)) {
		t->failures++;
		return;
	}
	t->machines++;
	t->insns += a.icount;
	t->slow += a.slow;
	t->by_end[a.end]++;
	t->by_mode[p.mode]++;
	if (!o->repeat_every || seed % o->repeat_every || a.slow)
		return;
	/* Same seed, same run (DESIGN principle 2); with or without the
	 * block cache, the same handlers run the same way. */
	fuzz_plan_make(&p, seed);
	if (o->cache_diff)
		p.block_cache = !p.block_cache;
	if (!run_one(o, &p, false, &b)) {
		t->failures++;
		return;
	}
	if (!same_outcome(&a, &b)) {
		printf("FAIL seed %llu: two runs differ: end %d/%d, status "
		       "%d/%d, %llu/%llu insns, rip 0x%llx/0x%llx, RAM %s\n",
		       (unsigned long long)seed, a.end, b.end, a.status,
		       b.status, (unsigned long long)a.icount,
		       (unsigned long long)b.icount,
		       (unsigned long long)a.rip[0],
		       (unsigned long long)b.rip[0],
		       a.ram_hash == b.ram_hash ? "same" : "differs");
		t->failures++;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: exec_fuzz [--seeds N] [--first S] "
		"[--insns N] [--timeout SEC] [--repeat-every K] "
		"[--cache-diff] [--log-level L] [--verbose]\n");
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s)
		return false;
	*out = strtoull(s, &end, 0);
	return *end == '\0';
}

static int parse_options(int argc, char **argv, struct options *o)
{
	*o = (struct options){
		.seeds = DEFAULT_SEEDS, .first = 1, .insns = DEFAULT_INSNS,
		.timeout = DEFAULT_TIMEOUT, .repeat_every = DEFAULT_REPEAT,
		.log_level = LOG_ERROR,
	};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;

		if (!strcmp(a, "--verbose")) {
			o->verbose = true;
			continue;
		}
		if (!strcmp(a, "--cache-diff")) {
			o->cache_diff = true;
			continue;
		}
		if (!strcmp(a, "--log-level")) {
			if (!v || !log_parse_level(v, &o->log_level))
				goto bad;
		} else if (!parse_u64(v, &n)) {
			goto bad;
		} else if (!strcmp(a, "--seeds")) {
			o->seeds = n;
		} else if (!strcmp(a, "--first")) {
			o->first = n;
		} else if (!strcmp(a, "--insns") && n > 0) {
			o->insns = n;
		} else if (!strcmp(a, "--timeout") && n < 100000) {
			o->timeout = (unsigned)n;
		} else if (!strcmp(a, "--repeat-every") && n < 1u << 31) {
			o->repeat_every = (unsigned)n;
		} else {
			goto bad;
		}
		i++;
		continue;
bad:
		fprintf(stderr, "exec_fuzz: bad option '%s'\n", a);
		usage();
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const end_names[] = {
		[MACHINE_END_NONE] = "none",
		[MACHINE_END_DEBUG_EXIT] = "debug-exit",
		[MACHINE_END_HALTED] = "halted",
		[MACHINE_END_SHUTDOWN] = "shutdown",
		[MACHINE_END_STOPPED] = "budget",
		[MACHINE_END_POWER_OFF] = "power-off",
		[MACHINE_END_RESET] = "reset",
	};
	struct options o;
	struct totals t = { 0 };
	struct timespec t0, t1;

	if (parse_options(argc, argv, &o) != 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_set_level(o.log_level);
	install_handlers();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	running = 1;
	if (!check_modes(&o))
		return 1;
	for (uint64_t s = o.first; s < o.first + o.seeds; s++)
		fuzz_seed(&o, s, &t);
	running = 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("seeds %llu-%llu, %llu insns each, %.1f s\n",
	       (unsigned long long)o.first,
	       (unsigned long long)(o.first + o.seeds - 1),
	       (unsigned long long)o.insns,
	       (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("ends:");
	for (int e = 0; e <= MACHINE_END_RESET; e++)
		if (t.by_end[e])
			printf(" %s %llu", end_names[e],
			       (unsigned long long)t.by_end[e]);
	if (t.slow)
		printf(" (%llu slow, stopped by the watchdog)",
		       (unsigned long long)t.slow);
	printf("\nmodes:");
	for (int m = 0; m < FUZZ_MODE_COUNT; m++)
		printf(" %s %llu", fuzz_mode_name((enum fuzz_mode)m),
		       (unsigned long long)t.by_mode[m]);
	printf("\nSUMMARY: exec fuzz: %llu machines, %llu guest instructions, "
	       "%llu shutdowns, %llu host failures\n",
	       (unsigned long long)t.machines, (unsigned long long)t.insns,
	       (unsigned long long)t.by_end[MACHINE_END_SHUTDOWN],
	       (unsigned long long)t.failures);
	return t.failures ? 1 : 0;
}
