/* Native threads, started by pthread_create and unknown to the JVM, calling a bridge's malloc, realloc
 * and free: each thread keeps 64 slots, fills every block with a pattern of its slot and checks the
 * pattern before each realloc and free. Built by NativeThreadsTest with the system cc. */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef void *(*malloc_fn)(size_t);
typedef void (*free_fn)(void *);
typedef void *(*realloc_fn)(void *, size_t);

struct worker {
    malloc_fn malloc_hook;
    free_fn free_hook;
    realloc_fn realloc_hook;
    long ops;
    unsigned seed;
    long errors;
};

enum { SLOTS = 64, MAX_SIZE = 4096 };

static void fill(unsigned char *p, size_t n, int slot) {
    for (size_t k = 0; k < n; k++) p[k] = (unsigned char) (slot * 7 + k);
}

static int intact(const unsigned char *p, size_t n, int slot) {
    for (size_t k = 0; k < n; k++) if (p[k] != (unsigned char) (slot * 7 + k)) return 0;
    return 1;
}

static void *work(void *arg) {
    struct worker *w = arg;
    unsigned char *live[SLOTS] = {0};
    size_t sizes[SLOTS] = {0};
    unsigned s = w->seed;
    for (long i = 0; i < w->ops; i++) {
        s = s * 1103515245u + 12345u;
        int slot = (int) ((s >> 8) % SLOTS);
        size_t n = 1 + (s >> 12) % MAX_SIZE;
        unsigned char *p = live[slot];
        if (p == NULL) {
            p = w->malloc_hook(n);
            if (p == NULL || ((uintptr_t) p & 15) != 0) { w->errors++; continue; }
            fill(p, n, slot);
            live[slot] = p;
            sizes[slot] = n;
        } else if (!intact(p, sizes[slot], slot)) {
            w->errors++;
            live[slot] = NULL;
        } else if ((s >> 24) & 1) {
            unsigned char *q = w->realloc_hook(p, n);
            if (q == NULL || ((uintptr_t) q & 15) != 0) { w->errors++; continue; }
            if (!intact(q, n < sizes[slot] ? n : sizes[slot], slot)) w->errors++;
            fill(q, n, slot);
            live[slot] = q;
            sizes[slot] = n;
        } else {
            w->free_hook(p);
            live[slot] = NULL;
        }
    }
    for (int slot = 0; slot < SLOTS; slot++) {
        if (live[slot] != NULL) {
            if (!intact(live[slot], sizes[slot], slot)) w->errors++;
            w->free_hook(live[slot]);
        }
    }
    return NULL;
}

/* Returns the errors all threads found, or -1 if a thread could not be started or joined. */
long run_threads(malloc_fn m, free_fn f, realloc_fn r, int threads, long ops) {
    enum { MAX_THREADS = 64 };
    pthread_t ids[MAX_THREADS];
    struct worker workers[MAX_THREADS];
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    int started = 0;
    long errors = 0;
    for (int t = 0; t < threads; t++) {
        workers[t] = (struct worker) {m, f, r, ops, 0x9E3779B9u * (unsigned) (t + 1), 0};
        if (pthread_create(&ids[t], NULL, work, &workers[t]) != 0) { errors = -1; break; }
        started++;
    }
    for (int t = 0; t < started; t++) {
        if (pthread_join(ids[t], NULL) != 0) errors = -1;
        else if (errors >= 0) errors += workers[t].errors;
    }
    return errors;
}
