/**
 * Checks that what tests send to and fake from GitHub is something GitHub would accept or send: GraphQL documents
 * against GitHub's published schema (`@octokit/graphql-schema`), REST bodies against its OpenAPI description
 * (`@octokit/openapi`). A mock GitHub would never send is a bug in the test, so helpers throw with every mismatch.
 *
 * Shared by the GitHub source's tests and the App's tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { schema as githubSchema } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  executeSync,
  getVariableValues,
  isObjectType,
  Kind,
  parse,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
} from 'graphql';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let graphqlSchema: GraphQLSchema | undefined;

function gitHubGraphqlSchema(): GraphQLSchema {
  graphqlSchema ??= buildClientSchema(githubSchema.json as unknown as IntrospectionQuery);
  return graphqlSchema;
}

/** Problems with a GraphQL document against GitHub's schema; empty when GitHub would accept it. */
export function graphqlDocumentErrors(text: string): string[] {
  let document;
  try {
    document = parse(text);
  } catch (error) {
    return [(error as Error).message];
  }
  return validate(gitHubGraphqlSchema(), document).map((error) => error.message);
}

/** Throws unless GitHub's schema accepts the document. */
export function validateGraphqlDocument(text: string): void {
  const errors = graphqlDocumentErrors(text);
  if (errors.length > 0)
    throw new Error(`GraphQL document rejected by GitHub's schema:\n${errors.join('\n')}`);
}

/**
 * Throws unless GitHub would accept the request: the document validates, and the variables coerce to the types
 * the operation declares (a missing `String!` or a number passed as a string is caught here).
 */
export function validateGraphqlRequest(query: string, variables: Record<string, unknown> = {}): void {
  validateGraphqlDocument(query);
  const operation = parse(query).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operation === undefined) throw new Error('GraphQL document has no operation');
  const result = getVariableValues(gitHubGraphqlSchema(), operation.variableDefinitions ?? [], variables);
  if (result.errors !== undefined) {
    throw new Error(`GraphQL variables rejected:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
}

/**
 * Throws unless `data` is an answer GitHub could give to the request: every field asked for is there (aliases
 * included), nulls only where the schema allows them, scalars and enum values of the right kind. Objects behind an
 * interface or union are the type their `__typename` names, or else the first possible type that has every key they
 * carry.
 */
export function validateGraphqlResponse(
  query: string,
  variables: Record<string, unknown>,
  data: unknown,
): void {
  validateGraphqlRequest(query, variables);
  const schema = gitHubGraphqlSchema();
  const result = executeSync({
    schema,
    document: parse(query),
    variableValues: variables,
    rootValue: data,
    fieldResolver: (source: unknown, _args, _context, info) =>
      typeof source === 'object' && source !== null
        ? (source as Record<string, unknown>)[info.path.key as string]
        : undefined,
    typeResolver: (value: unknown, _context, info, abstractType) => {
      // An answer that names its type (`__typename`) is that type, if the interface or union can be it.
      const named = (value as { __typename?: unknown }).__typename;
      if (typeof named === 'string') {
        if (!schema.getPossibleTypes(abstractType).some((type) => type.name === named))
          throw new Error(`${named} at ${info.path.key} is not a possible ${abstractType.name}`);
        return named;
      }
      const keys = Object.keys(value as object);
      const match = schema
        .getPossibleTypes(abstractType)
        .find((type) => isObjectType(type) && keys.every((key) => key in type.getFields()));
      if (match === undefined)
        throw new Error(`no ${abstractType.name} at ${info.path.key} has fields ${keys.join(', ')}`);
      return match.name;
    },
  });
  if (result.errors !== undefined && result.errors.length > 0) {
    throw new Error(
      `GraphQL response GitHub would not send:\n${result.errors.map((e) => `${e.path?.join('.') ?? ''}: ${e.message}`).join('\n')}`,
    );
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApi {
  paths: Record<string, Record<string, JsonObject>>;
  components: JsonObject;
}

let openApi: OpenApi | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();
const SPEC_ID = 'https://api.github.com/openapi.json';

/** Reads GitHub's OpenAPI description once per test process (13 MB, about a second). */
function spec(): OpenApi {
  if (openApi === undefined) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    openApi = JSON.parse(readFileSync(file, 'utf8')) as OpenApi;
  }
  return openApi;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * OpenAPI 3.0 schema → JSON Schema draft-07 for Ajv: `nullable: true` becomes a `null` alternative, and local
 * `$ref`s point into the description registered under SPEC_ID.
 */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      out.$ref = `${SPEC_ID}${value}`;
      continue;
    }
    // Property names are data, not schema keywords: `properties: { example: ... }` must stay.
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
      continue;
    }
    out[key] = toJsonSchema(value);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string' && out.$ref === undefined) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function validator(key: string, schema: () => Json): ValidateFunction {
  let fn = compiled.get(key);
  if (fn === undefined) {
    if (ajv === undefined) {
      ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
      addFormats(ajv);
      ajv.addSchema({ $id: SPEC_ID, components: toJsonSchema(spec().components) });
    }
    fn = ajv.compile(schema() as object);
    compiled.set(key, fn);
  }
  return fn;
}

function operation(method: string, route: string): JsonObject {
  const path = spec().paths[route];
  const op = path?.[method.toLowerCase()];
  if (op === undefined) throw new Error(`GitHub's REST API has no ${method.toUpperCase()} ${route}`);
  return op;
}

function deref(node: Json | undefined): Json | undefined {
  if (isObject(node) && typeof node.$ref === 'string') {
    let target: Json | undefined = spec() as unknown as Json;
    for (const part of node.$ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
    return target;
  }
  return node;
}

function jsonSchemaOf(content: Json | undefined): Json | undefined {
  if (!isObject(content)) return undefined;
  const media = content['application/json'] ?? content['application/scim+json'];
  return isObject(media) ? media.schema : undefined;
}

function check(fn: ValidateFunction, body: unknown, what: string): void {
  if (fn(body)) return;
  const errors = (fn.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  throw new Error(`${what} does not match GitHub's OpenAPI description:\n${errors.join('\n')}`);
}

/**
 * Throws unless `body` is what GitHub documents for `method route` answering `status`. `route` is the OpenAPI
 * path template (`/repos/{owner}/{repo}/git/trees/{tree_sha}`). Any route may answer an error GitHub does not list
 * for it (a 500, a 403 secondary rate limit); those are checked against GitHub's general error body.
 */
export function validateRestResponse(method: string, route: string, status: number, body: unknown): void {
  const op = operation(method, route);
  const responses = op.responses;
  const listed = isObject(responses) ? deref(responses[String(status)]) : undefined;
  const key = `response ${method.toUpperCase()} ${route} ${status}`;
  if (listed === undefined) {
    if (status < 400) throw new Error(`GitHub does not document status ${status} for ${method} ${route}`);
    check(
      validator('basic-error', () => toJsonSchema({ $ref: '#/components/schemas/basic-error' })),
      body,
      key,
    );
    return;
  }
  const schema = isObject(listed) ? jsonSchemaOf(listed.content) : undefined;
  if (schema === undefined) {
    if (body !== undefined && body !== '') throw new Error(`${key}: GitHub sends no body, the mock has one`);
    return;
  }
  check(
    validator(key, () => toJsonSchema(schema)),
    body,
    key,
  );
}

/** Throws unless GitHub would accept `body` as the JSON request body of `method route`. */
export function validateRestRequestBody(method: string, route: string, body: unknown): void {
  const op = operation(method, route);
  const requestBody = deref(op.requestBody);
  const schema = isObject(requestBody) ? jsonSchemaOf(requestBody.content) : undefined;
  const key = `request ${method.toUpperCase()} ${route}`;
  if (schema === undefined) throw new Error(`${key}: GitHub documents no JSON request body`);
  check(
    validator(key, () => toJsonSchema(schema)),
    body,
    key,
  );
}

/**
 * A stateful fake's answer: the body as JSON carries it, checked against GitHub's description of the route. A body
 * GitHub would never send is noted in `invalid` and answered 500, so the test fails where the fake went wrong.
 */
export function schemaCheckedAnswer(
  invalid: string[],
  method: string,
  route: string,
  status: number,
  body: unknown,
): [number, unknown] {
  const clean: unknown = JSON.parse(JSON.stringify(body));
  try {
    validateRestResponse(method, route, status, clean);
  } catch (error) {
    invalid.push(String(error));
    return [500, { message: 'invalid mock' }];
  }
  return [status, clean];
}
