// The names of wavid's own files in an output folder, in one module that imports nothing: checking a path
// against them must not load the manifest's code, or the transcode stage behind it.
export const MANIFEST_JSON = 'wavid-manifest.json';
export const MANIFEST_CSV = 'wavid-manifest.csv';
export const REPORT_HTML = 'report.html';

/** Names wavid's own files take at the top of the output folder; no output may take them. */
export const RESERVED_NAMES: readonly string[] = [MANIFEST_JSON, MANIFEST_CSV, REPORT_HTML, '.wavid'];
