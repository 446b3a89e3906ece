#!/usr/bin/env bash
# Install the reference emulators and tools that `npm run bench` and the oracle tests drive:
#   binutils-s390x-linux-gnu  GNU as/ld/objdump/objcopy for s390x (assemble the peers' images)
#   hercules                  Hercules 3.13, a C interpreter of z/Architecture (run headless by
#                             src/bench/peers.ts: HERCULES_RC script, loadcore, restart, and an
#                             automatic-operator rule `hao` that quits at the disabled wait)
#   qemu-user-static          qemu-s390x-static, QEMU's user-mode JIT
# Debian/Ubuntu, as root (CI runs the same list in .ci/run).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends binutils-s390x-linux-gnu hercules qemu-user-static
