#!/usr/bin/env bash
# Runs a command with a Docker engine and the offline sandbox image available:
#
#   bash scripts/withDocker.sh npx vitest run --project docker
#
# When `docker info` already answers (Docker Desktop, a system dockerd, DOCKER_HOST), the command
# just runs with it. Otherwise (root only) it starts `dockerd --iptables=false --bridge=none` in
# the background (sandbox containers need no network, and these flags leave the host's firewall
# and forwarding alone), logging to a temp file, waits for `docker info` (SC_DOCKERD_WAIT
# seconds, default 60; on timeout the log's last lines are shown), and stops it at the end, also
# on failure or Ctrl+C. The Python sandbox image is built from Debian packages when its tag is
# missing (resources/sandbox/build-python-image.sh, about a minute, root). Exits with the command's
# exit code; 3 when Docker is missing or cannot be started, or the image cannot be built; 2 without
# a command.
set -u

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/withDocker.sh <command> [args...]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
image="${SANDBOX_PYTHON_IMAGE:-service-creator/sandbox-python:dev}"
started_pid=""
log_file=""

stop_daemon() {
  local status=$?
  if [ -n "$started_pid" ] && kill -0 "$started_pid" 2>/dev/null; then
    echo "withDocker: stopping the dockerd it started (pid $started_pid)" >&2
    kill -TERM "$started_pid" 2>/dev/null
    # dockerd stops its containers and its containerd first; give it time before insisting.
    for _ in $(seq 1 100); do kill -0 "$started_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$started_pid" 2>/dev/null || true
  fi
  [ -n "$log_file" ] && rm -f "$log_file"
  exit "$status"
}
trap stop_daemon EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! command -v docker >/dev/null 2>&1; then
  echo "withDocker: the docker command is not installed: apt-get install -y docker.io (or install Docker Desktop)" >&2
  exit 3
fi

if ! info_error="$(docker info 2>&1 >/dev/null)"; then
  if printf '%s' "$info_error" | grep -qi 'permission denied'; then
    echo "withDocker: Docker runs but this user may not use it (permission denied on its socket): run as root or join the docker group" >&2
    exit 3
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    echo "withDocker: Docker is not answering at DOCKER_HOST=$DOCKER_HOST: start it there, or unset DOCKER_HOST to use a local dockerd" >&2
    exit 3
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "withDocker: Docker is not running: start Docker Desktop or dockerd (or run this as root and it starts dockerd for the run)" >&2
    exit 3
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "withDocker: Docker is not running and dockerd is not installed: apt-get install -y docker.io" >&2
    exit 3
  fi
  log_file="$(mktemp "${TMPDIR:-/tmp}/sc-dockerd-XXXXXX.log")"
  echo "withDocker: starting dockerd --iptables=false --bridge=none (log: $log_file)" >&2
  dockerd --iptables=false --bridge=none >"$log_file" 2>&1 &
  started_pid=$!
  wait_s="${SC_DOCKERD_WAIT:-60}"
  deadline=$((SECONDS + wait_s))
  until docker info >/dev/null 2>&1; do
    if ! kill -0 "$started_pid" 2>/dev/null; then
      echo "withDocker: dockerd exited while starting; its log ends with:" >&2
      tail -n 20 "$log_file" >&2
      started_pid=""
      exit 3
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "withDocker: dockerd did not answer within ${wait_s} s; its log ends with:" >&2
      tail -n 20 "$log_file" >&2
      exit 3
    fi
    sleep 0.3
  done
fi

if ! docker image inspect "$image" >/dev/null 2>&1; then
  echo "withDocker: $image is missing; building it from Debian packages (resources/sandbox/build-python-image.sh)" >&2
  if ! bash "$here/resources/sandbox/build-python-image.sh" --tag "$image"; then
    echo "withDocker: the sandbox image $image could not be built (see above); build it with: sudo bash resources/sandbox/build-python-image.sh, or load a saved one with: service-creator sandbox load FILE" >&2
    exit 3
  fi
fi

"$@"
