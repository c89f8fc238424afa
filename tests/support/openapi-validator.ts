/**
 * Checks a real response against the served OpenAPI document (#12): the route and status are documented,
 * the documented required headers are present, the media type is one the response declares, and a JSON
 * body validates against its schema (JSON Schema 2020-12, as OpenAPI 3.1 uses, with formats such as
 * date-time checked by ajv-formats). The e2e tests pass every response they receive through it.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { headers?: Record<string, { required?: boolean }> };
};
type ResponseObject = {
  headers?: Record<string, { required?: boolean; $ref?: string }>;
  content?: Record<string, { schema?: unknown }>;
};

/** `/payments/{paymentId}` → a RegExp; templates with fewer parameters are tried first. */
const matcher = (template: string) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
const pointer = (token: string) => encodeURIComponent(token.replaceAll('~', '~0').replaceAll('/', '~1'));

/** A validator for one document; `check` returns the problems of one response (none when it conforms). */
export function openApiValidator(document: unknown) {
  const doc = document as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
  const templates = Object.keys(doc.paths)
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
    .map((t) => ({ template: t, re: matcher(t) }));

  return {
    check(method: string, url: string, status: number, headers: Headers, body: string): string[] {
      const path = new URL(url, 'http://x').pathname;
      const template = templates.find((t) => t.re.test(path))?.template;
      const operation = template ? doc.paths[template]?.[method.toLowerCase()] : undefined;
      if (!template || !operation) return [`${method} ${path} is not in the document`];
      const where = `${method} ${template} → ${status}`;
      const response = operation.responses[String(status)];
      if (!response)
        return [
          `${where}: status not documented (${Object.keys(operation.responses).join(', ')}): ${body.slice(0, 300)}`,
        ];
      const problems: string[] = [];
      for (const [name, h] of Object.entries(response.headers ?? {})) {
        const header = h.$ref ? doc.components.headers?.[h.$ref.split('/').pop() as string] : h;
        if (header?.required && !headers.has(name))
          problems.push(`${where}: required header ${name} missing`);
      }
      const mediaType = (headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (!response.content) {
        if (body.length > 0) problems.push(`${where}: documented without a body, got ${body.length} bytes`);
        return problems;
      }
      if (!response.content[mediaType]) {
        problems.push(
          `${where}: content type ${mediaType || '(none)'} not in ${Object.keys(response.content).join(', ')}`,
        );
        return problems;
      }
      if (mediaType !== 'application/json') return problems;
      const ref = `openapi.json#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}/content/${pointer(mediaType)}/schema`;
      const validate = ajv.getSchema(ref);
      if (!validate) return [...problems, `${where}: no schema at ${ref}`];
      if (!validate(JSON.parse(body)))
        problems.push(
          `${where}: body does not match: ${ajv.errorsText(validate.errors)} in ${body.slice(0, 300)}`,
        );
      return problems;
    },
  };
}

/** Fetches the stack's served document once and returns a checker that throws on any problem. */
export function servedDocumentChecker(apiUrl: string) {
  let validator: Promise<ReturnType<typeof openApiValidator>> | undefined;
  return async (method: string, url: string, res: { status: number; headers: Headers }, body: string) => {
    validator ??= fetch(`${apiUrl}/openapi.json`)
      .then((r) => r.json())
      .then((doc) => openApiValidator(doc as Doc));
    const problems = (await validator).check(method, url, res.status, res.headers, body);
    if (problems.length > 0)
      throw new Error(`The response does not match the OpenAPI document:\n  ${problems.join('\n  ')}`);
  };
}
