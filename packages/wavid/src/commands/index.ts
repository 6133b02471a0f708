import type { Command } from '../cli/command.js';

/** A command as `wavid --help` lists it; its module, and what that imports, is loaded only when it runs. */
export interface CommandEntry {
  name: string;
  /** One line for `wavid --help`. */
  summary: string;
  load(): Promise<Command>;
  /** Work to start before the module loads, for a command that is about to do it (not for `--help`). */
  warmUp?: (() => Promise<void>) | undefined;
}

/** Every `wavid` command, in the order `wavid --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'Check that videos comply with WhatsApp video rules (exit 1 if any does not)',
    load: async () => (await import('./check.js')).checkCommand,
    // The probe's worker takes longer to start than checking a file; it starts while the command loads.
    warmUp: async () => {
      (await import('@wavid/probe/warm-up')).warmUpProbe();
    },
  },
  { name: 'fix', summary: 'Write a WhatsApp-ready MP4 for each video: copy, remux or transcode, whichever suffices', load: async () => (await import('./fix.js')).fixCommand },
  { name: 'run', summary: 'Check, fix and publish a whole folder; writes a manifest and an HTML report', load: async () => (await import('./run.js')).runCommand },
  { name: 'publish', summary: 'Upload videos to an S3-compatible bucket and print links WhatsApp can fetch', load: async () => (await import('./publish.js')).publishCommand },
  { name: 'send', summary: 'Send a video message through a WhatsApp provider (meta, 360dialog, gupshup, kaleyra, zixflow, zapi)', load: async () => (await import('./send.js')).sendCommand },
  {
    name: 'campaign',
    summary: 'Send one video to a list of numbers, each once, with a ledger, a report and a status webhook',
    load: async () => (await import('./campaign.js')).campaignCommand,
  },
  { name: 'worker', summary: 'Take videos from a Redis job queue and prepare them (for wavid run --queue)', load: async () => (await import('./worker.js')).workerCommand },
  { name: 'doctor', summary: 'Show which ffmpeg and ffprobe builds are in use, where they come from and how old they are', load: async () => (await import('./doctor.js')).doctorCommand },
];
