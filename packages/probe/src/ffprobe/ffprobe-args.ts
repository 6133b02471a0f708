/** Container and stream facts as JSON. */
export function streamInfoArgs(path: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path];
}

/**
 * The picture types of the first frames of the first video stream, decoded. Enough frames to pass
 * a typical GOP's opening, few enough to stay fast.
 */
export function frameTypeArgs(path: string, frames = 48): string[] {
  return [
    '-v', 'error',
    '-select_streams', 'v:0',
    '-read_intervals', `%+#${frames}`,
    '-show_entries', 'frame=pict_type',
    '-print_format', 'json',
    path,
  ];
}
