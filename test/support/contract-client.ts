import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ApiTarget } from './platform-roles.js';

// CommonJS default export under Node's ESM loader.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

export interface ContractResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Calls the API and checks every answer against /openapi.json: the status must be
 * documented for the operation and a JSON body must match its schema. Records which
 * operations were exercised, so a test can demand all of them.
 */
export class ContractClient {
  readonly exercised = new Set<string>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    readonly spec: Spec,
    private readonly target: Pick<ApiTarget, 'apiUrl'>,
  ) {
    addFormats(this.ajv);
  }

  static async connect(target: Pick<ApiTarget, 'apiUrl'>): Promise<ContractClient> {
    const spec = (await (await fetch(`${target.apiUrl}/openapi.json`)).json()) as Spec;
    return new ContractClient(spec, target);
  }

  /** Every operation in the spec, as "METHOD /path/{template}". */
  operations(): string[] {
    return Object.entries(this.spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  }

  async request<T = unknown>(method: string, path: string, options: { key?: string; body?: unknown; csv?: string; headers?: Record<string, string> } = {}): Promise<ContractResponse<T>> {
    const response = await fetch(`${this.target.apiUrl}${path}`, {
      method,
      headers: {
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.csv !== undefined ? { 'content-type': 'text/csv' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.csv !== undefined ? { body: options.csv } : {}),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const body = (contentType.includes('application/json') && text ? JSON.parse(text) : text) as T;
    const template = this.templateOf(path.split('?')[0]!);
    const operationName = `${method.toUpperCase()} ${template}`;
    const operation = this.spec.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${operationName} is not in the spec`);
    this.exercised.add(operationName);
    const documented = operation.responses[String(response.status)];
    if (!documented) throw new Error(`${operationName} answered ${response.status}, which the spec does not document: ${text.slice(0, 300)}`);
    const schema = documented.content?.['application/json']?.schema;
    if (schema && contentType.includes('application/json')) {
      const validate = this.validatorFor(`${operationName} ${response.status}`, schema);
      if (!validate(body)) throw new Error(`${operationName} ${response.status} does not match its schema: ${this.ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`);
    }
    return { status: response.status, headers: response.headers, body };
  }

  private templateOf(path: string): string {
    for (const template of Object.keys(this.spec.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (pattern.test(path)) return template;
    }
    throw new Error(`no path in the spec matches ${path}`);
  }

  private validatorFor(name: string, schema: object): ValidateFunction {
    let validate = this.validators.get(name);
    if (!validate) {
      const resolved = JSON.parse(JSON.stringify(schema).replace(/\{"\$ref":"#\/components\/schemas\/(\w+)"\}/g, (_, ref: string) => JSON.stringify(this.spec.components.schemas[ref])));
      validate = this.ajv.compile(resolved);
      this.validators.set(name, validate);
    }
    return validate;
  }
}
