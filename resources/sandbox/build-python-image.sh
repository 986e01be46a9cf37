#!/usr/bin/env bash
# Builds the offline Python sandbox image from Debian packages: debootstrap a minimal bookworm
# with python3, pytest, FastAPI, httpx and pydantic from this machine's Debian mirror, then
# `docker import` it. Needs root (debootstrap), debootstrap and a running Docker engine; no
# registry (Docker Hub) is contacted, so it works where only a Debian mirror is reachable.
# See README.md next to this file.
#
#   build-python-image.sh [--tag TAG] [--force] [--mirror URL] [--suite SUITE]
#   build-python-image.sh --print-mirror     the mirror it would use, and nothing else
#
# Exit codes: 0 built (or already there), 1 cannot build here (message says why), 2 bad usage.
# APT_ROOT (default /) is where /etc/apt is read from, for tests of the mirror detection.
set -euo pipefail
# debootstrap and chroot live in sbin, which a root shell from plain `su` may lack.
export PATH="$PATH:/usr/sbin:/sbin"

tag="service-creator/sandbox-python:dev"
suite="bookworm"
packages="python3,python3-pytest,python3-fastapi,python3-httpx,python3-pydantic"
force=0
mirror=""
print_mirror=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="${2:?--tag needs a value}"; shift 2 ;;
    --force) force=1; shift ;;
    --mirror) mirror="${2:?--mirror needs a URL}"; shift 2 ;;
    --suite) suite="${2:?--suite needs a Debian suite}"; shift 2 ;;
    --print-mirror) print_mirror=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (use --tag TAG, --force, --mirror URL, --suite SUITE, --print-mirror)" >&2; exit 2 ;;
  esac
done

# The Debian mirror this machine's apt already uses, from deb822 files (sources.list.d/*.sources,
# Debian 12+) and one-line lists (sources.list, sources.list.d/*.list): an enabled `deb` source of
# a Debian suite (bookworm, trixie-updates, stable, ...) that is not the security archive
# (debootstrap needs the main archive). A source that is plainly Debian's (debian.org in the URI,
# e.g. also through apt-cacher-ng, or signed by debian-archive-keyring) wins over one that only
# uses a Debian suite name (a local mirror, or a third-party repository); among equals the first
# wins. Comments, deb-src, `Enabled: no`, `[options]` and mirror+/cdrom: URIs (debootstrap cannot
# use them) are ignored; Ubuntu and the like are not Debian suites. Without one: Debian's CDN.
detect_mirror() {
  local root="${APT_ROOT:-}"
  local files=()
  local f
  for f in "$root"/etc/apt/sources.list.d/*.sources "$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] && files+=("$f")
  done
  local found=""
  if [ "${#files[@]}" -gt 0 ]; then
    found="$(awk '
      function debian_suite(s) {
        sub(/-(updates|backports|backports-sloppy|proposed-updates)$/, "", s)
        sub(/\/updates$/, "", s)
        return s ~ /^(buster|bullseye|bookworm|trixie|forky|duke|sid|stable|oldstable|oldoldstable|testing|unstable|experimental)$/
      }
      function usable(uri) {
        return uri ~ /^(https?|file|ftp):/ && uri !~ /-security\/?$/
      }
      # Remembers uri when it beats what was found so far.
      function consider(uri, suite, signed,   score) {
        if (!usable(uri) || !debian_suite(suite)) return
        score = (uri ~ /debian\.org/ || signed ~ /debian-archive-keyring/) ? 2 : 1
        if (score > best_score) { best_score = score; best = uri }
      }
      function flush(   n, uris, i, suites) {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no") {
          split(suites_field, suites, " ")
          n = split(uris_field, uris, " ")
          for (i = 1; i <= n; i++) consider(uris[i], suites[1], signed_by)
        }
        types = ""; uris_field = ""; suites_field = ""; enabled = ""; signed_by = ""
      }
      FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
      /^[ \t]*#/ { next }
      deb822 && /^[ \t]*$/ { flush(); next }
      deb822 {
        key = $1; sub(/:$/, "", key); key = tolower(key)
        value = $0; sub(/^[^:]*:[ \t]*/, "", value)
        if (key == "types") types = value
        else if (key == "uris") uris_field = value
        else if (key == "suites") suites_field = value
        else if (key == "enabled") enabled = value
        else if (key == "signed-by") signed_by = value
        next
      }
      $1 == "deb" {
        line = $0
        sub(/#.*/, "", line)
        options = ""
        if (match(line, /\[[^]]*\]/)) options = substr(line, RSTART, RLENGTH)
        gsub(/\[[^]]*\]/, "", line)
        n = split(line, word, /[ \t]+/)
        j = 0
        for (i = 1; i <= n; i++) if (word[i] != "") rest[++j] = word[i]
        if (j >= 3) consider(rest[2], rest[3], options)
      }
      END { flush(); if (best != "") print best }
    ' "${files[@]}")"
  fi
  found="${found%/}"
  echo "${found:-http://deb.debian.org/debian}"
}

if [ "$print_mirror" = 1 ]; then detect_mirror; exit 0; fi

if ! command -v docker >/dev/null; then echo "docker is not installed: apt-get install docker.io (or start Docker Desktop)" >&2; exit 1; fi
if ! info_error="$(docker info 2>&1 >/dev/null)"; then
  if printf '%s' "$info_error" | grep -qi 'permission denied'; then
    echo "cannot reach Docker: permission denied on its socket (run as root, or join the docker group)" >&2
  else
    echo "Docker is not running: start Docker Desktop or dockerd" >&2
  fi
  exit 1
fi
if [ "$force" = 0 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag already exists (use --force to rebuild)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "building the image needs root (debootstrap): run it with sudo" >&2; exit 1; fi
if ! command -v debootstrap >/dev/null; then echo "debootstrap is not installed: apt-get install debootstrap" >&2; exit 1; fi

[ -n "$mirror" ] || mirror="$(detect_mirror)"

rootfs="$(mktemp -d "${TMPDIR:-/tmp}/sc-sandbox-rootfs.XXXXXX")"
child=""
cleanup() {
  local status=$?
  set +e
  trap '' INT TERM
  if [ -n "$child" ]; then
    # The step's whole process group: debootstrap and the dpkg/tar it runs in the target.
    kill -TERM -- "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 -- "-$child" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$child" 2>/dev/null || true
  fi
  # debootstrap mounts proc and sys inside the target while it runs; after an interruption they
  # may still be there, and rm must never walk into them.
  local mount
  for mount in $(awk -v root="$rootfs" 'index($2, root "/") == 1 { print $2 }' /proc/mounts 2>/dev/null | sort -r); do
    umount -l "$mount" 2>/dev/null || true
  done
  rm -rf --one-file-system "$rootfs"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a long step in its own process group in the background and waits for it, so that INT/TERM
# (Ctrl+C, or the app cancelling the build) are handled at once: cleanup stops the whole step and
# removes the rootfs. (A background job is no group leader, so setsid needs no fork: $! leads it.)
run_step() {
  setsid "$@" &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}

started=$(date +%s)
echo "debootstrap $suite ($packages) from $mirror"
if ! run_step debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror"; then
  echo "debootstrap failed (mirror $mirror); the end of its log:" >&2
  tail -n 15 "$rootfs/debootstrap/debootstrap.log" >&2 2>/dev/null || true
  exit 1
fi
# Nothing the tests need: package caches, lists and docs. The image runs as uid 65534 (nobody,
# part of Debian's base-passwd), so no user is added.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/debootstrap
mkdir -p "$rootfs/work"
chmod 1777 "$rootfs/work"

echo "importing as $tag"
tar --numeric-owner -C "$rootfs" -c . | docker import \
  --change 'ENV PYTHONDONTWRITEBYTECODE=1' \
  --change 'ENV PYTHONUNBUFFERED=1' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /work' \
  --change "LABEL org.opencontainers.image.title=service-creator-sandbox-python org.opencontainers.image.description=\"$suite minbase with $packages\" io.service-creator.sandbox.mirror=\"$mirror\"" \
  --change 'CMD ["python3"]' \
  --message "service-creator sandbox: debootstrap $suite from $mirror" \
  - "$tag"
echo "built $tag in $(($(date +%s) - started)) s"
