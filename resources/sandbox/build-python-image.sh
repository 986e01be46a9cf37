#!/usr/bin/env bash
# Builds the offline Python sandbox image from Debian packages: debootstrap a minimal bookworm
# with python3, pytest, FastAPI, httpx and pydantic from this machine's Debian mirror, then
# `docker import` it. Needs root (debootstrap), debootstrap and a running Docker engine; no
# registry (Docker Hub) is contacted, so it works where only the Debian mirror is reachable.
#
#   build-python-image.sh [--tag TAG] [--force] [--mirror URL]
set -euo pipefail

tag="service-creator/sandbox-python:dev"
force=0
mirror=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --force) force=1; shift ;;
    --mirror) mirror="$2"; shift 2 ;;
    *) echo "unknown option: $1 (use --tag TAG, --force, --mirror URL)" >&2; exit 2 ;;
  esac
done

if ! command -v docker >/dev/null; then echo "docker is not installed (apt-get install docker.io)" >&2; exit 1; fi
if ! docker info >/dev/null 2>&1; then echo "Docker is not running: start Docker Desktop or dockerd" >&2; exit 1; fi
if [ "$force" = 0 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag already exists (use --force to rebuild)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "building the image needs root (debootstrap): run it with sudo" >&2; exit 1; fi
if ! command -v debootstrap >/dev/null; then echo "debootstrap is not installed: apt-get install debootstrap" >&2; exit 1; fi

# The mirror this machine's apt already uses (deb822 .sources, then sources.list), else Debian's CDN.
if [ -z "$mirror" ]; then
  mirror="$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)"
fi
if [ -z "$mirror" ]; then
  mirror="$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs="$(mktemp -d /tmp/sc-sandbox-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
echo "debootstrap bookworm from $mirror into $rootfs"
debootstrap --variant=minbase --include=python3,python3-pytest,python3-fastapi,python3-httpx,python3-pydantic bookworm "$rootfs" "$mirror"
# Nothing the tests need: package caches and docs.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
echo "importing as $tag"
tar -C "$rootfs" -c . | docker import \
  --change 'ENV PYTHONDONTWRITEBYTECODE=1' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'WORKDIR /' \
  --change 'CMD ["python3"]' \
  - "$tag"
echo "built $tag"
