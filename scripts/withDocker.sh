#!/usr/bin/env bash
# Runs a command with a Docker engine and the offline sandbox image available:
#
#   bash scripts/withDocker.sh npx vitest run --project docker
#
# When `docker info` already answers, the command just runs. Otherwise (root only) it starts
# `dockerd --iptables=false --bridge=none` in the background (sandbox containers need no network,
# and these flags leave the host's firewall and forwarding alone), waits for it, and stops it at
# the end. The Python sandbox image is built from Debian packages when its tag is missing
# (resources/sandbox/build-python-image.sh, about 2 minutes). Exits with the command's exit code;
# 3 when Docker is not installed or does not start; 2 without a command.
set -u

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/withDocker.sh <command> [args...]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
started_pid=""
log_file=""

stop_daemon() {
  if [ -n "$started_pid" ] && kill -0 "$started_pid" 2>/dev/null; then
    kill "$started_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$started_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$started_pid" 2>/dev/null || true
  fi
  [ -n "$log_file" ] && rm -f "$log_file"
}
trap stop_daemon EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! command -v docker >/dev/null 2>&1; then
  echo "withDocker: docker not found; install it (apt-get install -y docker.io)" >&2
  exit 3
fi
if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v dockerd >/dev/null 2>&1; then
    echo "withDocker: Docker is not running and cannot be started here (needs root and dockerd): start Docker Desktop or dockerd" >&2
    exit 3
  fi
  log_file="$(mktemp "${TMPDIR:-/tmp}/sc-dockerd-XXXXXX.log")"
  dockerd --iptables=false --bridge=none >"$log_file" 2>&1 &
  started_pid=$!
  for _ in $(seq 1 150); do
    docker info >/dev/null 2>&1 && break
    if ! kill -0 "$started_pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  if ! docker info >/dev/null 2>&1; then
    echo "withDocker: dockerd did not start; its log ends with:" >&2
    tail -n 20 "$log_file" >&2
    exit 3
  fi
fi

if ! docker image inspect service-creator/sandbox-python:dev >/dev/null 2>&1; then
  if ! bash "$here/resources/sandbox/build-python-image.sh"; then
    echo "withDocker: the sandbox image could not be built" >&2
    exit 3
  fi
fi

"$@"
