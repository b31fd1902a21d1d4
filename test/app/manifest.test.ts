import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Probot } from 'probot';
import { openlyApp } from '../../src/app/index.js';
import { APP_EVENTS, APP_EVENTS_ALWAYS_SENT, APP_PERMISSIONS } from '../../src/app/permissions.js';

interface Manifest {
  name: string;
  public: boolean;
  default_events: string[];
  default_permissions: Record<string, string>;
}

const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as Manifest;

describe('app.yml', () => {
  it('asks for exactly the permissions the handlers use, nothing just in case', () => {
    expect(manifest.default_permissions).toEqual(APP_PERMISSIONS);
  });

  it('subscribes to exactly the events the handlers listen to', () => {
    expect([...manifest.default_events].sort()).toEqual([...APP_EVENTS].sort());
  });

  it('lists every event the App registers a handler for, but those GitHub sends every App unasked', () => {
    const registered = new Set<string>();
    const recorder = {
      on(events: string | string[]) {
        for (const event of [events].flat()) registered.add(event.split('.')[0]!);
      },
    };
    openlyApp({ appId: 1 })(recorder as unknown as Probot);
    expect([...registered].sort()).toEqual([...APP_EVENTS, ...APP_EVENTS_ALWAYS_SENT].sort());
  });

  it('does not list the installation events, which GitHub sends without a subscription', () => {
    for (const event of APP_EVENTS_ALWAYS_SENT) expect(manifest.default_events).not.toContain(event);
  });

  it('creates a private App named Openly', () => {
    expect(manifest).toMatchObject({ name: 'Openly', public: false });
  });
});
