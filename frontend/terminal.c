#include "frontend/terminal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static bool raw;

void terminal_restore(void)
{
	if (raw) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		raw = false;
	}
}

int terminal_serial_input(void)
{
	struct stat st;

	if (fstat(STDIN_FILENO, &st) != 0)
		return -1;
	if (!isatty(STDIN_FILENO))
		return STDIN_FILENO;
	if (tcgetpgrp(STDIN_FILENO) != getpgrp() ||
	    tcgetattr(STDIN_FILENO, &saved) != 0)
		return -1;
	struct termios t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0)
		return -1;
	raw = true;
	atexit(terminal_restore);
	return STDIN_FILENO;
}
