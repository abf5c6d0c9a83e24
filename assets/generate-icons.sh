#!/usr/bin/env bash
# Renders assets/icons/predastore.svg to every PNG size the installers and the app use, then packs the Windows .ico
# and the macOS .icns from those PNGs. Needs rsvg-convert (Debian: apt-get install librsvg2-bin) and a JDK 11+.
set -euo pipefail
cd "$(dirname "$0")"

for size in 16 32 48 64 128 256 512; do
    rsvg-convert --width "$size" --height "$size" --output "icons/predastore-$size.png" icons/predastore.svg
done
java tools/IconContainers.java icons
ls -l icons
