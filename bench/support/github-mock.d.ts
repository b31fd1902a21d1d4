// Types of github-mock.js, for the TypeScript test that shares its mocks with the bench.

export const API: string;
export const CHECK_RUN_ID: number;
export const TREE_ROUTE: string;
export const COMPARE_ROUTE: string;
export const CHECK_RUNS_ROUTE: string;

export interface GeneratedRepository {
  owner: string;
  repo: string;
  headSha: string;
  /** Text by path: the whole tree of the head commit. */
  files: Record<string, string>;
  config: string | undefined;
  commits: unknown[];
}

export function generateRepository(options: {
  owner: string;
  repo: string;
  headSha: string;
  files?: number;
  artefacts?: number;
  commits?: number;
  config?: string;
}): GeneratedRepository;

/** Checks an answer or a body against GitHub's schemas; throws when GitHub would not send or accept it. */
export interface Validators {
  restResponse(method: string, route: string, status: number, body: unknown): void;
  restRequestBody(method: string, route: string, body: unknown): void;
  graphqlResponse(query: string, variables: Record<string, unknown>, data: unknown): void;
}

export interface MockedGitHub {
  /** Every request the mocks answered, by route, in order. */
  requests: string[];
  /** The bodies of the check runs the App created. */
  written: Record<string, unknown>[];
  /** What the validators refused. */
  problems: string[];
}

export function mockGitHub(
  repository: GeneratedRepository,
  change: { event: 'pull_request'; number: number } | { event: 'push'; before: string },
  options?: { times?: number; validate?: Validators; remember?: boolean },
): MockedGitHub;

export function byRoute(requests: readonly string[]): Record<string, number>;
