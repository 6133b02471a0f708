// Starting the probe's worker without loading the rest of the probe: a command that is about to probe calls
// this first, so the worker's start overlaps the command's own loading.
export { warmUpProbe } from './isolation/probe-pool.js';
