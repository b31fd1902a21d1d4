import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openlyApp } from '../../src/app/index.js';
import { webhookHandler } from '../../src/app/azure.js';
import { APP_ID, PRIVATE_KEY, example, fixtureRepo, invalidMocks, mockRepository, sent } from './harness.js';

const SECRET = 'a webhook secret for tests only';

const payload = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined);
const body = JSON.stringify(payload);
const headSha = (payload.pull_request as { head: { sha: string } }).head.sha;

function sign(text: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;
}

function headers(signature: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'pull_request',
    'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    'x-hub-signature-256': signature,
  };
}

async function makeProbot(load = true): Promise<Probot> {
  const probot = new Probot({
    appId: APP_ID,
    privateKey: PRIVATE_KEY,
    secret: SECRET,
    githubToken: 'test',
    logLevel: 'fatal',
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
  });
  if (load) await probot.load(openlyApp({ appId: APP_ID }));
  return probot;
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

beforeEach(() => {
  sent.length = 0;
  invalidMocks.length = 0;
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(invalidMocks).toEqual([]);
  expect(pending).toEqual([]);
});

describe('the Probot HTTP server', () => {
  let server: Server;
  let url: string;

  beforeEach(async () => {
    // The middleware loads the app itself.
    const probot = await makeProbot(false);
    const middleware = await createNodeMiddleware(openlyApp({ appId: APP_ID }), { probot });
    server = createServer((request, response) => {
      void middleware(request, response, () => {
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });

  afterEach(async () => {
    await new Promise((done) => server.close(done));
  });

  it('handles a signed webhook: the pull request gets its check run', async () => {
    mockRepository({ owner: 'Codertocat', repo: 'Hello-World', headSha, files: fixtureRepo('clean') });
    const response = await fetch(url, { method: 'POST', headers: headers(sign(body)), body });
    expect(response.status).toBe(200);
    expect(sent.map((s) => [s.method, s.body.conclusion])).toEqual([['POST', 'success']]);
  });

  it('refuses a webhook signed with another secret, and asks nothing of GitHub', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: headers(sign(body, 'not the secret')),
      body,
    });
    expect([400, 401]).toContain(response.status);
    expect(sent).toEqual([]);
  });
});

describe('the serverless entry', () => {
  function request(signature: string) {
    const all = new Headers(headers(signature));
    return { headers: all, text: () => Promise.resolve(body) };
  }

  it('handles a signed event', async () => {
    mockRepository({ owner: 'Codertocat', repo: 'Hello-World', headSha, files: fixtureRepo('clean') });
    const handle = webhookHandler(await makeProbot());
    expect(await handle(request(sign(body)))).toEqual({ status: 200, jsonBody: { ok: true } });
    expect(sent.map((s) => s.method)).toEqual(['POST']);
  });

  it('answers 400 to a bad signature, with no GitHub request', async () => {
    const handle = webhookHandler(await makeProbot());
    const response = await handle(request(sign(body, 'wrong')));
    expect(response.status).toBe(400);
    expect(sent).toEqual([]);
  });

  it('answers 400 to a request that is not a webhook', async () => {
    const handle = webhookHandler(await makeProbot());
    const response = await handle({ headers: new Headers(), text: () => Promise.resolve('') });
    expect(response.status).toBe(400);
  });
});
