#!/usr/bin/env bash
# Writes larger sample videos to samples/generated/ (not committed): a file over the 16 MB cap,
# 1080p High profile with B-frames, a long clip with its moov at the end, and a portrait phone-style
# clip. Uses the ffmpeg the workspace installs; takes a minute or two on two cores.
set -euo pipefail
cd "$(dirname "$0")"
FFMPEG=${FFMPEG_PATH:-$(node -e "process.stdout.write(require('@ffmpeg-installer/ffmpeg').path)")}
ff() { "$FFMPEG" -hide_banner -loglevel error -y "$@"; }
mkdir -p generated
cd generated

pattern() { echo "testsrc2=size=$1:rate=30:duration=$2"; }
tone() { echo "sine=frequency=330:sample_rate=48000:duration=$1"; }

# Over the cap: 20 s of 1080p at 8 Mbit/s is about 20 MB.
ff -f lavfi -i "$(pattern 1920x1080 20)" -f lavfi -i "$(tone 20)" -c:v libx264 -preset ultrafast -b:v 8M \
  -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart over-the-cap.mp4
ff -f lavfi -i "$(pattern 1920x1080 10)" -f lavfi -i "$(tone 10)" -c:v libx264 -preset veryfast -b:v 4M \
  -profile:v high -bf 3 -pix_fmt yuv420p -c:a aac -b:a 128k 1080p-high-bframes.mp4
ff -f lavfi -i "$(pattern 640x360 120)" -f lavfi -i "$(tone 120)" -c:v libx264 -preset ultrafast -b:v 600k \
  -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac -b:a 96k two-minutes-moov-at-end.mp4
ff -f lavfi -i "$(pattern 1280x720 8)" -f lavfi -i "$(tone 8)" -c:v libx264 -preset veryfast -b:v 3M \
  -profile:v high -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart portrait-source.mp4
ff -i portrait-source.mp4 -c copy -metadata:s:v:0 rotate=90 -movflags +faststart portrait-rotated.mov
rm portrait-source.mp4
ls -l
