import { MANIFEST_CSV, MANIFEST_JSON } from '../result-store/manifest.js';

export const REPORT_HTML = 'report.html';

/** Names wavid's own files take at the top of the output folder; no output may take them. */
export const RESERVED_NAMES: readonly string[] = [MANIFEST_JSON, MANIFEST_CSV, REPORT_HTML, '.wavid'];
