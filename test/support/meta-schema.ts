import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const fixture = new URL('../fixtures/meta-cloud-api-video.openapi.yaml', import.meta.url);

type Schema = Record<string, unknown>;

/**
 * Meta's VideoMessage is `allOf: [BaseMessageProperties, {additionalProperties: false, ...}]`. Read by JSON
 * Schema rules, that `additionalProperties` sees only its own member's properties and so rejects `to` and
 * `messaging_product`, failing every valid message. What it means is "nothing beyond the properties of all
 * members", which JSON Schema 2020-12 spells `unevaluatedProperties: false` on the allOf itself. That is the
 * one change made on load; everything else is validated as published.
 */
function closeAllOf(schema: Schema): Schema {
  const members = schema.allOf;
  if (!Array.isArray(members) || !(members as Schema[]).some((member) => member.additionalProperties === false)) return schema;
  const allOf = (members as Schema[]).map((member) => {
    const open = { ...member };
    delete open.additionalProperties;
    return open;
  });
  return { ...schema, allOf, unevaluatedProperties: false };
}

function loadValidator(): ValidateFunction {
  const document = parse(readFileSync(fixture, 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const schemas = Object.fromEntries(Object.entries(document.components.schemas).map(([name, schema]) => [name, closeAllOf(schema)]));
  // strictTypes is off because Meta's subschemas (the oneOf members of MediaObject) leave `type` to their parent.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  addFormats.default(ajv);
  // `example` is an OpenAPI annotation; `components` only holds the schemas, so their `$ref`s resolve as published.
  ajv.addKeyword('example');
  ajv.addKeyword('components');
  ajv.addSchema({ $id: 'https://meta.invalid/cloud-api', components: { schemas } });
  return ajv.compile({ $ref: 'https://meta.invalid/cloud-api#/components/schemas/VideoMessage' });
}

let validator: ValidateFunction | undefined;

/** Errors of a request body against Meta's VideoMessage schema; an empty list when it is valid. */
export function metaVideoMessageErrors(body: unknown): string[] {
  validator ??= loadValidator();
  if (validator(body)) return [];
  return (validator.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}
