#ifndef PAYSTREAM_FATAL_SIGNALS_H
#define PAYSTREAM_FATAL_SIGNALS_H
// The one piece of Paystream written in C: a handler for the signals that end a process
// that crashed (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT). A signal handler may only
// make async-signal-safe calls, which Swift code cannot promise (any global access, retain
// or allocation may enter the Swift runtime), so the handler lives here and only writes
// bytes prepared at start-up with the time of the crash (clock_gettime, write(2), raise(3)).

/// How many signals are handled; `paystream_fatal_signal_number(i)` for i below it.
int paystream_fatal_signal_count(void);
/// The number of the i-th handled signal.
int paystream_fatal_signal_number(int index);

/// Installs the handler, or replaces the lines of one installed before. Each crash writes
/// one line to standard error: `before_time`, the time of the crash (UTC), then
/// `after_time[i]` for the i-th signal (which ends with its own newline). `json_time`
/// chooses the time's form: 1 for `2026-12-07T20:40:16.123Z`, 0 for
/// `2026-12-07T20:40:16+0000`. The strings are copied (each up to 1 KB); the handler then
/// raises the signal again with its default action, so the process ends by the same
/// signal (status 139 for SIGSEGV) with a core dump where the system keeps them.
/// Returns 0, or -1 when a string is too long or sigaction failed.
int paystream_fatal_signals_install(const char *before_time, const char *const *after_time, int json_time);

/// Unblocks the handled signals in the calling thread. A thread that blocks them (as
/// librdkafka's threads block every signal) and faults is ended by the kernel's default
/// action without the handler, and so without the line.
void paystream_fatal_signals_unblock(void);

#endif
