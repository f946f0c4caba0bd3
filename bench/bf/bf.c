/*
 * A straightforward Brainfuck interpreter in C: the reference that bench/run.py measures
 * every other implementation against.
 *
 * Usage: bf PROGRAM.b
 *
 * It does what interpreters/bf/bf.py does, in the same way: drop the comment characters,
 * precompute a jump table for the brackets, then dispatch one command at a time on a
 * tape of 30,000 8-bit cells. `.` goes through stdio (buffered), `,` leaves the cell
 * unchanged at end of input. There is deliberately no run-length folding or other
 * optimisation: this measures a plain interpreter loop compiled by gcc -O2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAPE_SIZE 30000

static char *read_program(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bf: cannot open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t capacity = 4096, n = 0;
    char *text = malloc(capacity);
    if (!text) {
        fprintf(stderr, "bf: out of memory\n");
        exit(1);
    }
    int c;
    while ((c = getc(f)) != EOF) {
        if (c == '\0' || !strchr("><+-.,[]", c))
            continue;
        if (n == capacity) {
            capacity *= 2;
            text = realloc(text, capacity);
            if (!text) {
                fprintf(stderr, "bf: out of memory\n");
                exit(1);
            }
        }
        text[n++] = (char)c;
    }
    if (ferror(f)) {
        fprintf(stderr, "bf: cannot read %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fclose(f);
    *length = n;
    return text;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: bf PROGRAM.b\n");
        return 2;
    }
    size_t n;
    char *code = read_program(argv[1], &n);

    size_t *jump = malloc((n + 1) * sizeof *jump);
    size_t *stack = malloc((n + 1) * sizeof *stack);
    if (!jump || !stack) {
        fprintf(stderr, "bf: out of memory\n");
        return 1;
    }
    size_t depth = 0;
    for (size_t pc = 0; pc < n; pc++) {
        if (code[pc] == '[') {
            stack[depth++] = pc;
        } else if (code[pc] == ']') {
            if (depth == 0) {
                fprintf(stderr, "bf: unmatched ']'\n");
                return 1;
            }
            size_t start = stack[--depth];
            jump[start] = pc;
            jump[pc] = start;
        }
    }
    if (depth != 0) {
        fprintf(stderr, "bf: unmatched '['\n");
        return 1;
    }

    static unsigned char tape[TAPE_SIZE];
    unsigned char *p = tape;
    for (size_t pc = 0; pc < n; pc++) {
        switch (code[pc]) {
        case '+': ++*p; break;
        case '-': --*p; break;
        case '>': ++p; break;
        case '<': --p; break;
        case '[': if (*p == 0) pc = jump[pc]; break;
        case ']': if (*p != 0) pc = jump[pc]; break;
        case '.': putchar(*p); break;
        case ',': {
            int c = getchar();
            if (c != EOF)
                *p = (unsigned char)c;
            break;
        }
        }
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "bf: write error: %s\n", strerror(errno));
        return 1;
    }
    free(code);
    free(jump);
    free(stack);
    return 0;
}
