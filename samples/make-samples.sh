#!/usr/bin/env bash
# Regenerates the small committed samples: one compliant file, one per violation code, files from
# muxers other than ffmpeg's, and bad inputs. Each name says what it is; test/samples.test.ts holds
# the verdict each must get. Needs the workspace installed (for ffmpeg); the other-muxer samples also
# need GStreamer (Debian: gstreamer1.0-tools, -plugins-good, -plugins-ugly, -libav, -plugins-bad)
# and are skipped without it.
set -euo pipefail
cd "$(dirname "$0")"
FFMPEG=${FFMPEG_PATH:-$(node -e "process.stdout.write(require('@ffmpeg-installer/ffmpeg').path)")}
ff() { "$FFMPEG" -hide_banner -loglevel error -y "$@"; }

# Two seconds of test pattern and tone: small, but long enough for a GOP with B-frames.
SRC=(-f lavfi -i "testsrc=size=320x240:rate=25:duration=2" -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=2")
LOW=(-b:v 150k -b:a 48k)

ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags +faststart compliant.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v baseline -pix_fmt yuv420p -c:a aac -ar 44100 -ac 1 "${LOW[@]}" -movflags +faststart -f 3gp compliant-baseline.3gp
# Stored sideways with a display matrix, as phones record portrait video.
ff -i compliant.mp4 -c copy -metadata:s:v:0 rotate=90 -movflags +faststart warn-rotated.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 500000 warn-fragmented.mp4
# Frame durations alternate between 40 ms and 80 ms.
ff -f lavfi -i "testsrc=size=320x240:rate=25:duration=2" -vf "setpts='(N+floor(N/2))*0.04/TB'" -vsync vfr -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -b:v 150k -an -movflags +faststart warn-variable-frame-rate.mp4

ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac "${LOW[@]}" violation-container.mkv
ff -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=2" -c:a aac -b:a 48k -movflags +faststart violation-no-video.m4a
ff "${SRC[@]}" -c:v libx265 -x265-params log-level=error -tag:v hvc1 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags +faststart violation-video-codec.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v high -bf 0 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags +faststart violation-video-profile.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 3 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags +faststart violation-b-frames.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 3 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags frag_keyframe+empty_moov+default_base_moof violation-b-frames-fragmented.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v high444 -bf 0 -pix_fmt yuv444p -c:a aac "${LOW[@]}" -movflags +faststart violation-pixel-format.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -c:a libmp3lame "${LOW[@]}" -movflags +faststart violation-audio-codec.mp4
ff "${SRC[@]}" -f lavfi -i "sine=frequency=880:sample_rate=44100:duration=2" -map 0:v -map 1:a -map 2:a \
  -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags +faststart violation-audio-streams.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac "${LOW[@]}" violation-faststart.mp4
ff "${SRC[@]}" -c:v libx264 -profile:v high -bf 3 -pix_fmt yuv420p -c:a aac "${LOW[@]}" violation-several.mov

# Layouts real muxers write. QuickTime files: one whose tracks comply (remuxed, cheaply), and one laid out
# as an iPhone records (qt brand, wide box, moov at the end, portrait rotation, Apple metadata keys,
# H.264 High).
ff "${SRC[@]}" -c:v libx264 -profile:v main -bf 0 -pix_fmt yuv420p -c:a aac "${LOW[@]}" -movflags +faststart -f mov quicktime-compliant.mov
IPHONE_TAGS=(-metadata:s:v:0 rotate=90 -movflags use_metadata_tags -metadata com.apple.quicktime.make=Apple -metadata "com.apple.quicktime.model=iPhone 12")
ff -f lavfi -i "testsrc=size=320x240:rate=30:duration=2" -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=2" \
  -c:v libx264 -profile:v high -bf 0 -pix_fmt yuv420p -c:a aac -ac 1 "${LOW[@]}" -f mov iphone-encoded.tmp.mov
# The rotation matrix is written only when the stream is copied.
ff -i iphone-encoded.tmp.mov -c copy -map 0 "${IPHONE_TAGS[@]}" -f mov iphone-style.mov
rm iphone-encoded.tmp.mov
# An edit list that starts the presentation half a second into the media.
ff -ss 0.5 -i compliant.mp4 -c copy -movflags +faststart layout-edit-list.mp4
# Box-level rewrites ffmpeg cannot be asked for: Annex B samples, co64, boxes between moov and mdat, a
# 64-bit mdat header, MP4Box's and Android MediaRecorder's layouts, QuickTime without ftyp.
FFMPEG_PATH="$FFMPEG" node ./make-layouts.mjs

# Bad inputs.
: > bad-empty.mp4
head -c "$(( $(stat -c %s compliant.mp4) * 6 / 10 ))" compliant.mp4 > bad-truncated.mp4
head -c "$(( $(stat -c %s violation-faststart.mp4) / 2 ))" violation-faststart.mp4 > bad-truncated-before-moov.mp4
ff -f lavfi -i "testsrc=size=64x48" -frames:v 1 -f image2 -c:v png bad-png-named.mp4
head -c 20000 /dev/urandom > bad-random.mp4
printf 'This is a text file that someone named as a video.\n' > bad-text.mov
node ./make-hostile.mjs

# Files written by a muxer other than ffmpeg's: GStreamer's qtmux family lays boxes out differently.
if command -v gst-launch-1.0 >/dev/null; then
  GST_VIDEO="videotestsrc num-buffers=50 ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc bitrate=150 bframes=0 key-int-max=25 ! video/x-h264,profile=main"
  GST_AUDIO="audiotestsrc num-buffers=86 ! audio/x-raw,rate=44100,channels=1 ! audioconvert ! avenc_aac bitrate=48000"
  gst-launch-1.0 -q $GST_VIDEO ! mux.video_0 $GST_AUDIO ! mux.audio_0 mp4mux name=mux faststart=true ! filesink location=gstreamer-compliant.mp4
  gst-launch-1.0 -q $GST_VIDEO ! mux.video_0 $GST_AUDIO ! mux.audio_0 mp4mux name=mux ! filesink location=gstreamer-moov-at-end.mp4
  gst-launch-1.0 -q $GST_VIDEO ! mux.video_0 $GST_AUDIO ! mux.audio_0 mp4mux name=mux fragment-duration=500 ! filesink location=gstreamer-fragmented.mp4
  GST_BFRAMES="videotestsrc num-buffers=50 ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc bitrate=150 bframes=2 key-int-max=25 ! video/x-h264,profile=main"
  gst-launch-1.0 -q $GST_BFRAMES ! mux.video_0 mp4mux name=mux faststart=true ! filesink location=gstreamer-b-frames.mp4
  gst-launch-1.0 -q $GST_VIDEO ! mux.video_0 $GST_AUDIO ! mux.audio_0 3gppmux name=mux faststart=true ! filesink location=gstreamer-compliant.3gp
  # avc3: the parameter sets travel in the stream, and the avcC holds none.
  gst-launch-1.0 -q $GST_VIDEO ! h264parse ! video/x-h264,stream-format=avc3 ! mux.video_0 $GST_AUDIO ! mux.audio_0 mp4mux name=mux faststart=true ! filesink location=gstreamer-avc3.mp4
  gst-launch-1.0 -q $GST_VIDEO ! mux.video_0 $GST_AUDIO ! mux.audio_0 qtmux name=mux faststart=true ! filesink location=gstreamer-qtmux.mov
fi
ls -l
