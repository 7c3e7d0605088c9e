/* vmxsim's entry point: parse the command line, build the machine, run
 * it, and turn how the run ended into an exit status. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "frontend/options.h"
#include "frontend/terminal.h"
#include "platform/machine.h"
#include "util/log.h"

static struct machine *running;
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
	if (running)
		machine_request_stop(running);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Where each CPU was when the run was stopped (a hung guest, Ctrl-C). */
static void print_cpus(struct machine *m)
{
	for (unsigned i = 0; i < machine_ncpus(m); i++) {
		const struct cpu *c = machine_cpu(m, i);
		const char *why = cpu_last_reason(c);
		char where[160];

		cpu_describe(c, where, sizeof(where));
		fprintf(stderr, "vmxsim: CPU %u at %s; last reason: %s\n",
			i, where, why[0] ? why : "none recorded");
	}
}

int main(int argc, char **argv)
{
	struct machine_result res;
	struct options o;
	char err[1024];
	int status;

	if (options_parse(&o, argc, argv, err, sizeof(err)) != 0) {
		fprintf(stderr, "vmxsim: %s\n", err);
		return 1;
	}
	if (o.help) {
		options_usage(stdout);
		return 0;
	}
	log_set_level(o.log_level);
	if (o.machine.serial == MACHINE_SERIAL_STDIO && !o.info_devices)
		o.machine.serial_in_fd = terminal_serial_input();

	running = machine_create(&o.machine, err, sizeof(err));
	if (!running) {
		terminal_restore();
		fprintf(stderr, "vmxsim: %s\n", err);
		return 1;
	}
	if (o.info_devices) {
		iomap_print(machine_iomap(running), stdout);
		machine_destroy(running);
		return 0;
	}
	install_signals();
	status = machine_run(running, &res);
	terminal_restore();
	if (res.end == MACHINE_END_STOPPED && stop_signal) {
		status = 128 + stop_signal;
		snprintf(res.message, sizeof(res.message),
			 "stopped by signal %d", (int)stop_signal);
	}
	fflush(stdout);
	if (res.message[0])
		fprintf(stderr, "vmxsim: %s\n", res.message);
	if (res.end == MACHINE_END_STOPPED)
		print_cpus(running);
	if (o.icount_report)
		fprintf(stderr, "instructions: %llu\n",
			(unsigned long long)machine_icount(running));
	{
		struct machine *m = running;

		running = NULL;
		machine_destroy(m);
	}
	return status;
}
