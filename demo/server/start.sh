#!/bin/sh
# Start the Secure Forms server from the JavaScript that `npm run build` compiled into
# demo/server/dist, as one node process. Arguments are node options (placed before the script).
#
# Why a shell script and not node itself: glibc reads MALLOC_MMAP_THRESHOLD_ once, when the process
# starts, so it has to be in the environment at exec; a node process cannot set it for itself.
# `exec` replaces this shell with node: what runs is one process with this script's pid, so a
# supervisor's signals (SIGTERM, SIGKILL) reach the server itself.
#
# The memory settings, each overridable from the environment (docs/deployment.md explains them):
# - MALLOC_MMAP_THRESHOLD_ (bytes): allocations above it are mapped and returned to the system when
#   freed. Password hashing (scrypt) takes 16 MiB buffers; without this glibc keeps them in its
#   arenas after use (about 65 MB of idle resident memory). Setting it also stops glibc from
#   raising the threshold on its own.
# - SECURE_FORMS_SEMI_SPACE_MIB: V8's young-generation semi-space (node's own default grows to
#   16 MiB). 8 MiB: a request's objects, which live through the asynchronous sync of the SQLite
#   log, mostly die young instead of being promoted, so full collections under load go from about
#   15 to 3 per run and a round trip at concurrency 64 takes about a quarter less CPU, for about
#   8 MB of resident memory (docs/deployment.md, "Memory settings").
# - SECURE_FORMS_HEAP_GROWING_PERCENT: how far V8 lets the old generation grow past what the last
#   full collection kept before it collects again (V8's own factor goes up to 4x). A request's
#   state lives through the asynchronous sync of the SQLite log (storage/durable-commits.ts), so
#   under load much of it is promoted out of the young generation: with V8's factor the old space
#   grew to 3-4x what it held (about 110 MB for 25-30 MB live) and RSS with it.
# - SECURE_FORMS_SQLITE_CACHE_KIB: SQLite's page cache (better-sqlite3's default is 16 MB); read
#   by the server when it opens the database.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
main="$here/dist/main.js"
if [ ! -f "$main" ]; then
  echo "The server has not been built ($main is missing). Run \`npm run build\` in the repository root first." >&2
  exit 1
fi
MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
SECURE_FORMS_SQLITE_CACHE_KIB="${SECURE_FORMS_SQLITE_CACHE_KIB:-2048}"
export MALLOC_MMAP_THRESHOLD_ SECURE_FORMS_SQLITE_CACHE_KIB
exec node --max-semi-space-size="${SECURE_FORMS_SEMI_SPACE_MIB:-8}" --heap-growing-percent="${SECURE_FORMS_HEAP_GROWING_PERCENT:-50}" "$@" "$main"
