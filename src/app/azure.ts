import { createProbot, type Probot } from 'probot';
import app from './index.js';

/**
 * The parts of an Azure Functions (v4 model) `HttpRequest` this entry reads; the Fetch API's `Request` has them
 * too, so any serverless platform that hands over a web request can use the same handler.
 */
export interface WebhookRequest {
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What Azure Functions sends back (`HttpResponseInit`). */
export interface WebhookResponse {
  status: number;
  jsonBody: { ok: boolean; error?: string };
}

/** The status the webhooks library gave the failure; it wraps failures in an AggregateError. */
function statusOf(error: unknown): number {
  const inner = error instanceof AggregateError ? (error.errors[0] as unknown) : error;
  const status = (inner as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/**
 * A webhook handler over a loaded Probot: the signature is checked against the secret before anything runs
 * (`X-Hub-Signature-256`), and a bad one is answered 400 without a single GitHub request.
 */
export function webhookHandler(probot: Probot): (request: WebhookRequest) => Promise<WebhookResponse> {
  return async (request) => {
    const id = request.headers.get('x-github-delivery');
    const name = request.headers.get('x-github-event');
    const signature = request.headers.get('x-hub-signature-256');
    if (id === null || name === null || signature === null) {
      return {
        status: 400,
        jsonBody: {
          ok: false,
          error: 'not a GitHub webhook: X-GitHub-Delivery, X-GitHub-Event or X-Hub-Signature-256 missing',
        },
      };
    }
    try {
      await probot.webhooks.verifyAndReceive({
        id,
        name,
        signature,
        payload: await request.text(),
      });
      return { status: 200, jsonBody: { ok: true } };
    } catch (error) {
      const status = statusOf(error);
      // Only what GitHub's delivery log should show; the payload and the credentials stay out of it.
      probot.log.error({ deliveryId: id, event: name, status }, 'webhook not handled');
      return {
        status,
        jsonBody: { ok: false, error: status === 400 ? 'signature does not match' : 'webhook not handled' },
      };
    }
  };
}

let shared: Promise<(request: WebhookRequest) => Promise<WebhookResponse>> | undefined;

/**
 * The Azure Functions entry: Probot built once per instance from `APP_ID`, `PRIVATE_KEY` and `WEBHOOK_SECRET`.
 * Register it in the function app with `app.http('openly', { methods: ['POST'], authLevel: 'anonymous',
 * handler: azureHandler })` (docs/app.md).
 */
export async function azureHandler(request: WebhookRequest): Promise<WebhookResponse> {
  shared ??= (async () => {
    const probot = createProbot();
    await probot.load(app);
    return webhookHandler(probot);
  })();
  return (await shared)(request);
}
