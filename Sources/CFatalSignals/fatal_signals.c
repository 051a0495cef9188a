#include "fatal_signals.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SIGNAL_COUNT 6
#define LINE_CAPACITY 1024

// SIGILL and SIGTRAP: a Swift runtime trap (a failed precondition, an overflow) on x86_64
// and on arm64.
static const int handled[SIGNAL_COUNT] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};

/// The lines the handler writes. Two sets, so that a new one is prepared while the
/// handler may still read the other; `current` says which one is complete.
struct lines {
        char before[LINE_CAPACITY];
        size_t before_length;
        char after[SIGNAL_COUNT][LINE_CAPACITY];
        size_t after_length[SIGNAL_COUNT];
        int json_time;
};
static struct lines sets[2];
static atomic_int current = -1;

int paystream_fatal_signal_count(void) { return SIGNAL_COUNT; }

int paystream_fatal_signal_number(int index) {
        return index >= 0 && index < SIGNAL_COUNT ? handled[index] : 0;
}

/// Writes all of `length` bytes, as far as the file lets it (a crash report is best effort).
static void write_all(const char *bytes, size_t length) {
        while (length > 0) {
                ssize_t written = write(STDERR_FILENO, bytes, length);
                if (written <= 0) return;
                bytes += written;
                length -= (size_t)written;
        }
}

static void put_digits(char *out, long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
                out[i] = (char)('0' + value % 10);
                value /= 10;
        }
}

/// The current UTC time in one of the two forms, by arithmetic only (gmtime_r is not
/// async-signal-safe). Days to a civil date as in PaystreamBasics' CivilDate(daysSinceEpoch:)
/// (Howard Hinnant's civil_from_days), for days after 1970 only.
static size_t format_time(char *out, int json_time) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        long seconds = (long)now.tv_sec;
        long days = seconds / 86400, second_of_day = seconds % 86400;
        days += 719468;
        long era = days / 146097;
        long day_of_era = days - era * 146097;
        long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
        long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        long month_index = (5 * day_of_year + 2) / 153;
        long day = day_of_year - (153 * month_index + 2) / 5 + 1;
        long month = month_index < 10 ? month_index + 3 : month_index - 9;
        long year = year_of_era + era * 400 + (month <= 2);
        // 2026-12-07T20:40:16
        put_digits(out, year, 4);
        out[4] = '-';
        put_digits(out + 5, month, 2);
        out[7] = '-';
        put_digits(out + 8, day, 2);
        out[10] = 'T';
        put_digits(out + 11, second_of_day / 3600, 2);
        out[13] = ':';
        put_digits(out + 14, second_of_day / 60 % 60, 2);
        out[16] = ':';
        put_digits(out + 17, second_of_day % 60, 2);
        if (json_time) {
                out[19] = '.';
                put_digits(out + 20, now.tv_nsec / 1000000, 3);
                out[23] = 'Z';
                return 24;
        }
        memcpy(out + 19, "+0000", 5);
        return 24;
}

static void on_fatal_signal(int signal_number) {
        int set = atomic_load(&current);
        if (set >= 0) {
                const struct lines *lines = &sets[set];
                for (int i = 0; i < SIGNAL_COUNT; i++) {
                        if (handled[i] != signal_number) continue;
                        char time[32];
                        size_t time_length = format_time(time, lines->json_time);
                        write_all(lines->before, lines->before_length);
                        write_all(time, time_length);
                        write_all(lines->after[i], lines->after_length[i]);
                }
        }
        // The signal again, now with its default action (SA_RESETHAND restored it on entry):
        // the process ends by it, as it would have without the handler.
        raise(signal_number);
}

void paystream_fatal_signals_unblock(void) {
        sigset_t set;
        sigemptyset(&set);
        for (int i = 0; i < SIGNAL_COUNT; i++) sigaddset(&set, handled[i]);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static int copy(char *to, size_t *length, const char *from) {
        size_t n = strlen(from);
        if (n >= LINE_CAPACITY) return -1;
        memcpy(to, from, n + 1);
        *length = n;
        return 0;
}

int paystream_fatal_signals_install(const char *before_time, const char *const *after_time, int json_time) {
        int next = atomic_load(&current) == 0 ? 1 : 0;
        struct lines *lines = &sets[next];
        if (copy(lines->before, &lines->before_length, before_time) != 0) return -1;
        for (int i = 0; i < SIGNAL_COUNT; i++) {
                if (copy(lines->after[i], &lines->after_length[i], after_time[i]) != 0) return -1;
        }
        lines->json_time = json_time;
        atomic_store(&current, next);

        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = on_fatal_signal;
        sigemptyset(&action.sa_mask);
        // SA_RESETHAND: the default action is back as the handler starts, so a second fault
        // (in the handler, or in another thread meanwhile) ends the process at once.
        // SA_NODEFER: the signal the handler raises again is delivered at once.
        action.sa_flags = SA_RESETHAND | SA_NODEFER;
        for (int i = 0; i < SIGNAL_COUNT; i++) {
                if (sigaction(handled[i], &action, NULL) != 0) return -1;
        }
        return 0;
}
