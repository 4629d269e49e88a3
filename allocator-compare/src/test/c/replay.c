/*
 * replay: the outside reference for compare's footprint. Replays an allocator4j binary trace (.a4jt,
 * uncompressed; the format is described by org.allocator4j.trace's TraceFormat) with the process's
 * malloc (glibc, or jemalloc/mimalloc through LD_PRELOAD), fills every block it allocates, and prints
 * the process's anonymous resident memory (/proc/self/statm: resident - shared) above a baseline read
 * just before the first event, after each of the event counts listed in SAMPLES.
 *
 *   usage: replay TRACE.a4jt SAMPLES
 *   SAMPLES: a text file of event counts, one per line, ascending (0 = before the first event)
 *   output (stdout): "baseline BYTES", then one line "EVENTS BYTES" per sample, then "peak BYTES"
 *   exit status: 0 done, 2 bad arguments or a malformed trace, 3 out of memory
 *
 * Nothing the program needs for itself comes from malloc: the trace is mapped from its file (file-backed
 * pages are not anonymous), and the live-block table and the sample list are anonymous mappings touched
 * whole before the baseline, so the readings move only with what malloc holds.
 *
 * Events, as compare replays them: alloc of a live id frees the old block first; free of an id that is
 * not live is skipped; realloc of an id that is not live allocates (16-aligned); a zero-size block is not
 * allocated (the zero-size rule); realloc keeps the block's alignment: a block aligned to more than 16
 * bytes is reallocated as compare's system allocator does it (posix_memalign, copy, free), so that both
 * replays make the same calls to malloc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OP_END = 0, OP_ALLOC = 1, OP_FREE = 2, OP_REALLOC = 3, HEADER = 16, MAX_ALIGN_LOG2 = 40 };

typedef struct {
    uint64_t id;      /* key + 1; 0 = empty slot */
    void *block;
    uint64_t size;
    uint64_t align;
} slot_t;

static const uint8_t *trace;
static size_t trace_len;
static size_t pos;

static slot_t *table;
static uint64_t mask;
static int statm = -1;
static long page_size;

static void die(int status, const char *fmt, const char *what, unsigned long long value) {
    fprintf(stderr, "replay: ");
    fprintf(stderr, fmt, what, value);
    fputc('\n', stderr);
    exit(status);
}

static uint64_t varint(void) {
    uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (pos >= trace_len) {
            die(2, "%s: truncated varint at byte offset=%llu", "trace", (unsigned long long) pos);
        }
        uint8_t b = trace[pos++];
        value |= (uint64_t) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            return value;
        }
    }
    die(2, "%s: varint longer than 10 bytes at byte offset=%llu", "trace", (unsigned long long) pos);
    return 0;
}

static void *map_anonymous(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        die(3, "%s: mmap of %llu bytes failed", "table", (unsigned long long) bytes);
    }
    memset(p, 0, bytes); /* touched now, before the baseline */
    return p;
}

/* Anonymous resident bytes, read without allocating: pread into a stack buffer, parsed by hand. */
static long long anon_resident(void) {
    char buf[256];
    ssize_t n = pread(statm, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        die(2, "%s: cannot read /proc/self/statm (read=%lld)", "statm", (unsigned long long) n);
    }
    buf[n] = 0;
    long long fields[3] = {0, 0, 0};
    int field = 0;
    for (char *c = buf; *c && field < 3; c++) {
        if (*c == ' ') {
            field++;
        } else if (*c >= '0' && *c <= '9') {
            fields[field] = fields[field] * 10 + (*c - '0');
        }
    }
    return (fields[1] - fields[2]) * page_size;
}

static slot_t *find(uint64_t id) {
    uint64_t key = id + 1;
    uint64_t h = (key * 0x9E3779B97F4A7C15ULL) & mask;
    while (table[h].id != 0 && table[h].id != key) {
        h = (h + 1) & mask;
    }
    return &table[h];
}

/* Removes a slot by backward shifting (linear probing, no tombstones). */
static void erase(slot_t *s) {
    uint64_t i = (uint64_t) (s - table);
    uint64_t j = i;
    table[i].id = 0;
    for (;;) {
        j = (j + 1) & mask;
        if (table[j].id == 0) {
            return;
        }
        uint64_t home = (table[j].id * 0x9E3779B97F4A7C15ULL) & mask;
        /* move j to i if home is not cyclically in (i, j] */
        if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
            table[i] = table[j];
            table[j].id = 0;
            i = j;
        }
    }
}

static uint64_t serial;

static void fill(void *block, uint64_t size) {
    memset(block, (int) (++serial * 0x9Du | 1u) & 0xff, size);
}

static void *allocate(uint64_t size, uint64_t align) {
    if (size == 0) {
        return NULL;
    }
    void *p;
    if (align <= 16) {
        p = malloc(size);
    } else if (posix_memalign(&p, align, size) != 0) {
        p = NULL;
    }
    if (p == NULL) {
        die(3, "%s: out of memory allocating size=%llu", "malloc", (unsigned long long) size);
    }
    fill(p, size);
    return p;
}

static long long live_bytes, peak_live;

static void op_alloc(uint64_t id, uint64_t size, uint64_t align) {
    slot_t *s = find(id);
    if (s->id != 0) {
        free(s->block);
        live_bytes -= (long long) s->size;
        erase(s);
        s = find(id);
    }
    s->id = id + 1;
    s->block = allocate(size, align);
    s->size = size;
    s->align = align;
    live_bytes += (long long) size;
}

static void op_free(uint64_t id) {
    slot_t *s = find(id);
    if (s->id == 0) {
        return; /* not live: skipped */
    }
    free(s->block);
    live_bytes -= (long long) s->size;
    erase(s);
}

static void op_realloc(uint64_t id, uint64_t size) {
    slot_t *s = find(id);
    if (s->id == 0) {
        op_alloc(id, size, 16);
        return;
    }
    void *old = s->block;
    uint64_t align = s->align;
    void *p;
    if (size == 0) {
        free(old);
        p = NULL;
    } else if (old == NULL) {
        p = allocate(size, align);
    } else if (align > 16) {
        /* As compare's system allocator does: realloc() would not keep the alignment. */
        p = allocate(size, align);
        memcpy(p, old, size < s->size ? size : s->size);
        free(old);
    } else {
        p = realloc(old, size);
        if (p == NULL) {
            die(3, "%s: out of memory reallocating to size=%llu", "realloc", (unsigned long long) size);
        }
        if (size > s->size) {
            memset((char *) p + s->size, (int) (s->size & 0xff) | 1, size - s->size);
        }
    }
    live_bytes += (long long) size - (long long) s->size;
    s->block = p;
    s->size = size;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: replay TRACE.a4jt SAMPLES\n");
        return 2;
    }
    page_size = sysconf(_SC_PAGESIZE);
    statm = open("/proc/self/statm", O_RDONLY);
    if (statm < 0) {
        die(2, "%s: cannot open /proc/self/statm (errno=%llu)", "statm", (unsigned long long) errno);
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        die(2, "trace=%s cannot be opened (errno=%llu)", argv[1], (unsigned long long) errno);
    }
    trace_len = (size_t) st.st_size;
    if (trace_len < HEADER + 2) {
        die(2, "trace=%s has bytes=%llu; expected a binary trace of at least 18", argv[1], (unsigned long long) trace_len);
    }
    trace = mmap(NULL, trace_len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (trace == MAP_FAILED) {
        die(2, "trace=%s cannot be mapped (errno=%llu)", argv[1], (unsigned long long) errno);
    }
    if (memcmp(trace, "A4JTRACE", 8) != 0) {
        die(2, "trace=%s does not start with A4JTRACE; expected an uncompressed binary trace (gzip: decompress it first)%.0llu", argv[1], 0ULL);
    }

    /* Pass 1: count the events, to size the table and check the trace is whole. */
    uint64_t events = 0, allocs = 0;
    pos = HEADER;
    for (;;) {
        if (pos >= trace_len) {
            die(2, "%s: no end record (truncated at byte offset=%llu)", "trace", (unsigned long long) pos);
        }
        uint8_t op = trace[pos++];
        if (op == OP_END) {
            uint64_t count = varint();
            if (count != events) {
                die(2, "%s: end record counts %llu events, read a different number", "trace", (unsigned long long) count);
            }
            break;
        }
        varint();
        if (op == OP_ALLOC) {
            varint();
            if (pos >= trace_len || trace[pos] > MAX_ALIGN_LOG2) {
                die(2, "%s: bad alignLog2 at byte offset=%llu", "trace", (unsigned long long) pos);
            }
            pos++;
            allocs++;
        } else if (op == OP_REALLOC) {
            varint();
            allocs++;
        } else if (op != OP_FREE) {
            die(2, "%s: unknown opcode at byte offset=%llu", "trace", (unsigned long long) (pos - 1));
        }
        events++;
    }
    uint64_t capacity = 16;
    while (capacity < 2 * allocs + 16) {
        capacity <<= 1;
    }
    mask = capacity - 1;
    table = map_anonymous(capacity * sizeof(slot_t));

    /* The sample points: event counts, ascending. */
    FILE *samples_file = fopen(argv[2], "r");
    if (samples_file == NULL) {
        die(2, "samples=%s cannot be opened (errno=%llu)", argv[2], (unsigned long long) errno);
    }
    uint64_t *points = map_anonymous((events + 2) * sizeof(uint64_t));
    uint64_t point_count = 0;
    unsigned long long value;
    while (point_count < events + 2 && fscanf(samples_file, "%llu", &value) == 1) {
        points[point_count++] = value;
    }
    fclose(samples_file);
    long long *readings = map_anonymous((point_count + 1) * sizeof(long long));

    /* Pass 2: the replay. */
    long long baseline = anon_resident();
    long long peak = 0;
    uint64_t next = 0;
    uint64_t done = 0;
    pos = HEADER;
    while (next < point_count && points[next] == 0) {
        readings[next++] = anon_resident() - baseline;
    }
    for (;;) {
        uint8_t op = trace[pos++];
        if (op == OP_END) {
            break;
        }
        uint64_t id = varint();
        if (op == OP_ALLOC) {
            uint64_t size = varint();
            uint64_t align = 1ULL << trace[pos++];
            op_alloc(id, size, align);
        } else if (op == OP_FREE) {
            op_free(id);
        } else {
            op_realloc(id, varint());
        }
        done++;
        if (live_bytes > peak_live) {
            peak_live = live_bytes;
        }
        while (next < point_count && points[next] == done) {
            long long r = anon_resident() - baseline;
            readings[next++] = r;
            if (r > peak) {
                peak = r;
            }
        }
    }
    printf("baseline %lld\n", baseline);
    for (uint64_t i = 0; i < next; i++) {
        printf("%llu %lld\n", (unsigned long long) points[i], readings[i]);
    }
    printf("peak %lld\n", peak);
    printf("peaklive %lld\n", peak_live);
    return 0;
}
