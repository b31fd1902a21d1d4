// Types of org-double.js, for the TypeScript test that audits the bench's simulated organisation.

export interface SimulatedRepository {
  name: string;
  /** Text by path. */
  files: Record<string, string>;
  archived: boolean;
}

export function simulatedRepository(i: number): SimulatedRepository;

export interface OrganisationDouble {
  /** GitHub's REST address on the double; GraphQL is found from it (`/api/graphql`). */
  apiUrl: string;
  counts: { listing: number; files: number; tokens: number; other: number };
  authorisations: string[];
  close(): Promise<void>;
}

export function serveOrganisation(options: {
  repositories: SimulatedRepository[];
  onGraphql?: (query: string, variables: Record<string, unknown>, answer: { data: unknown }) => void;
  onToken?: (installationId: number, answer: unknown, headers: Record<string, unknown>) => void;
}): Promise<OrganisationDouble>;
