#!/bin/sh
# Records the bundled glibc mtrace trace: python3 (with PYTHONMALLOC=malloc, so every Python object goes
# through malloc instead of pymalloc's arenas) encoding and decoding JSON, sorting and formatting text.
#
#   allocator-compare/traces/record-mtrace.sh [OUTPUT]     (default: python3-json.mtrace.gz beside this script)
#
# How it works: glibc (2.34 and later) keeps mtrace() in libc_malloc_debug.so, which must be preloaded;
# MALLOC_TRACE names the file it writes; the program itself calls mtrace(), and muntrace() at the end.
# Everything malloc, calloc, realloc, memalign and free do in between is logged. Any program works the
# same way: preload the library, set MALLOC_TRACE, call mtrace() in the program.
#
# A pitfall for programs that look mtrace() up at run time (python's ctypes, dlsym): libc.so.6 exports a
# do-nothing mtrace as the default version, and libc_malloc_debug.so's real one only as a hidden,
# versioned symbol (objdump -T shows "(GLIBC_2.2.5) mtrace"). dlsym finds the stub and nothing is
# written; dlvsym(debug_library, "mtrace", "GLIBC_2.2.5") finds the real one. A C program that calls
# mtrace() directly is bound to the versioned symbol at link time and needs no such care.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/python3-json.mtrace.gz}

lib=$(ldconfig -p 2>/dev/null | awk '/libc_malloc_debug\.so\.0 .*x86-64|libc_malloc_debug\.so\.0 / {print $NF; exit}')
if [ -z "$lib" ] || [ ! -e "$lib" ]; then
    echo "record-mtrace.sh: libc_malloc_debug.so.0 not found (glibc 2.34+ ships it in libc6; see 'dpkg -L libc6')" >&2
    exit 1
fi
# The system's python3 (a version manager's shim would be a shell script in between).
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3) || { echo "record-mtrace.sh: python3 not found" >&2; exit 1; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

MALLOC_TRACE=$tmp PYTHONMALLOC=malloc LD_PRELOAD=$lib "$python" -c '
import ctypes, json, random
libc = ctypes.CDLL(None)
debug = ctypes.CDLL("libc_malloc_debug.so.0")
libc.dlvsym.restype = ctypes.c_void_p
libc.dlvsym.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
def versioned(name):
    for version in (b"GLIBC_2.2.5", b"GLIBC_2.17", b"GLIBC_2.0", b"GLIBC_2.2", b"GLIBC_2.3", b"GLIBC_2.27"):
        address = libc.dlvsym(debug._handle, name, version)
        if address:
            return ctypes.CFUNCTYPE(None)(address)
    raise SystemExit("record-mtrace.sh: no versioned %s in libc_malloc_debug.so.0" % name.decode())
mtrace, muntrace = versioned(b"mtrace"), versioned(b"muntrace")
mtrace()
random.seed(7)
# A small real workload: build records, round-trip them through JSON, sort, format, and drop them.
records = [{"id": i, "name": "user%05d" % i, "tags": [random.choice("abcdefgh") * random.randint(1, 40)
           for _ in range(random.randint(0, 6))], "score": random.random()} for i in range(4000)]
text = json.dumps(records, indent=1)
back = json.loads(text)
back.sort(key=lambda r: (r["score"], r["name"]))
report = "\n".join("%s %.3f %s" % (r["name"], r["score"], ",".join(r["tags"])) for r in back)
words = {}
for w in report.split():
    words[w] = words.get(w, 0) + 1
del records, text, back, report, words
muntrace()
'
gzip -9 -c "$tmp" > "$out"
echo "wrote $out: $(gzip -dc "$out" | wc -l) lines ($(wc -c < "$out") bytes compressed)"
