/* The simulator's standard input as COM1's receive line (-serial stdio). */
#ifndef FRONTEND_TERMINAL_H
#define FRONTEND_TERMINAL_H

/* The descriptor COM1 reads from, or -1 for none. A terminal is used only
 * while the simulator is its foreground job (a background job reading it
 * would be stopped by SIGTTIN); it is put in raw mode, so that keys reach
 * the guest as typed (no echo, no line editing, Enter as CR), except
 * that Ctrl-C still stops the simulator. The mode is restored by
 * terminal_restore() and at exit. */
int terminal_serial_input(void);
void terminal_restore(void);

#endif
