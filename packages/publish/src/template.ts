import { InvalidOptionError } from './errors.js';
import type { MediaRef } from './message.js';

/** Meta's limit for one text parameter of a template body. */
export const MAX_TEMPLATE_PARAMETER_CHARS = 1024;

/** A validated template message with a video header, ready for a provider's request builder. */
export interface OutgoingTemplate {
  /** Recipient digits without `+`. */
  to: string;
  /** The approved template's name. */
  name: string;
  /** Language or locale code the template was approved in (`en`, `en_US`). */
  language: string;
  /** The video of the template's VIDEO header. */
  headerVideo: MediaRef;
  /** Text for the body's `{{1}}`, `{{2}}`... in order. */
  bodyParameters: string[];
}

/** What a template message says, before checks. */
export interface TemplateInput {
  template: string;
  language: string;
  /** Body parameters in order; none for a template without variables. */
  bodyParameters?: readonly string[] | undefined;
}

/** Checks a template's name and language; pure, for use before any request. */
export function checkTemplate(input: TemplateInput): void {
  // Meta lets template names hold only lowercase letters, digits and underscores.
  if (!/^[a-z0-9_]{1,512}$/.test(input.template)) {
    throw new InvalidOptionError('template', (name) => `${name('template')} must be an approved template's name (lowercase letters, digits and _); got '${input.template}'`);
  }
  if (!/^[a-z]{2,3}(_[A-Z]{2,4})?$/.test(input.language)) {
    throw new InvalidOptionError('language', (name) => `${name('language')} must be a language or locale code such as en or en_US; got '${input.language}'`);
  }
}

/**
 * One body parameter, or an InvalidOptionError naming `option`. Meta refuses empty parameters, new lines, tabs
 * and more than four spaces in a row in them (error 132018), so they are refused here, before the request.
 */
export function checkTemplateParameter(text: string, option: string): string {
  if (text.trim() === '') throw new InvalidOptionError(option, (name) => `${name(option)} is empty; a template parameter needs text`);
  if (/[\n\r\t]/.test(text)) throw new InvalidOptionError(option, (name) => `${name(option)} contains a new line or tab, which template parameters may not`);
  if (/ {5,}/.test(text)) throw new InvalidOptionError(option, (name) => `${name(option)} has more than four spaces in a row, which template parameters may not`);
  const length = Array.from(text).length;
  if (length > MAX_TEMPLATE_PARAMETER_CHARS) {
    throw new InvalidOptionError(option, (name) => `${name(option)} may be at most ${MAX_TEMPLATE_PARAMETER_CHARS} characters; this one has ${length}`);
  }
  return text;
}

/** Meta's template message object with the video in the header and text body parameters. */
export function metaTemplateMessage(message: OutgoingTemplate, to: string): Record<string, unknown> {
  const video = message.headerVideo.kind === 'link' ? { link: message.headerVideo.link } : { id: message.headerVideo.id };
  const components: Record<string, unknown>[] = [{ type: 'header', parameters: [{ type: 'video', video }] }];
  if (message.bodyParameters.length > 0) {
    components.push({ type: 'body', parameters: message.bodyParameters.map((text) => ({ type: 'text', text })) });
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: { name: message.name, language: { policy: 'deterministic', code: message.language }, components },
  };
}
