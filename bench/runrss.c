/* runrss: run a command, then write its peak resident set size and wall-clock time.
 *
 * Usage: runrss RESULT_FILE PROGRAM [ARGS...]
 *
 * Runs PROGRAM (searched on PATH) with ARGS, inheriting stdin, stdout, stderr and the
 * environment, waits for it with wait4() and writes one line to RESULT_FILE:
 *
 *     <max RSS in KiB> <wall-clock seconds>
 *
 * then exits with the program's exit status (128 + N if it was killed by signal N,
 * 127 if it could not be started). Used by bench/run.py.
 *
 * Why a helper rather than os.wait4() from Python: on Linux a child's ru_maxrss counts
 * the memory of the process it was forked from (the forked copy of the address space is
 * recorded when the child calls exec), so a child of the benchmark harness never reports
 * less than the harness's own RSS. Forked from this small program instead, the floor is
 * about 1 MiB, as with GNU time.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: runrss RESULT_FILE PROGRAM [ARGS...]\n");
        return 2;
    }
    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("runrss: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "runrss: cannot run %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            perror("runrss: wait4");
            return 127;
        }
    }
    double elapsed = now() - start;
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        fprintf(stderr, "runrss: cannot write %s: %s\n", argv[1], strerror(errno));
        return 127;
    }
    fprintf(out, "%ld %.6f\n", (long)usage.ru_maxrss, elapsed);
    fclose(out);
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return 127;
}
