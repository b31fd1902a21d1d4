/**
 * Made-up credentials in the formats real issuers use, for the secrets tests. They are put together at run time
 * so that no source file of this repository holds one whole: a scanner run over this repository (ours, or a host's
 * push protection) must not take the tests for a leak.
 */
const join = (...parts: string[]): string => parts.join('');

/** Each sample: the line to write into a file, the secret within it, and the kind the finding should name. */
export interface Sample {
  name: string;
  line: string;
  secret: string;
  kind: string;
}

const awsKeyId = join('AKIA', 'QYLPMN5HHHFPZAM2');
const awsSecret = join('Zx9kLmN2pQr5StUv', 'Wx8YzAbCdEfGhIjKlMnOpQr1');
const githubToken = join('gh', 'p_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx');
const slackWebhook = join(
  'https://hooks.',
  'slack.com/services/',
  'T0ABCDEF1/B0ABCDEF1/',
  'q8WxZr3TnKp2LmVb7YcJd4Hs',
);
const pemBody = [
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yQ0Ks4p4SxSXgsRP3Ha61nLc7eYr5ojR0fQ2GkBEg0Z8aaJpL9xf',
  'Q3kH4cD8vN6mT2pR1sW9xZ5yB7uE0iO3aL6jK4hG2fD1sA8qW5eR7tY9uI0oP3lK',
].join('\n');
const privateKey = join(
  '-----BEGIN RSA ',
  'PRIVATE KEY-----\n',
  pemBody,
  '\n-----END RSA ',
  'PRIVATE KEY-----',
);

export const SAMPLES: readonly Sample[] = [
  {
    name: 'an AWS secret access key',
    line: `aws_secret_access_key = ${awsSecret}`,
    secret: awsSecret,
    kind: 'AWS Secret Access Key',
  },
  {
    name: 'a GitHub personal access token',
    line: `GITHUB_TOKEN=${githubToken}`,
    secret: githubToken,
    kind: 'GitHub Token',
  },
  {
    name: 'a Slack incoming webhook',
    line: `webhook: ${slackWebhook}`,
    secret: slackWebhook,
    kind: 'Slack Incoming Webhook',
  },
  { name: 'a private key block', line: privateKey, secret: pemBody, kind: 'private key' },
];

/** The AWS key id that goes with the secret: not a secret on its own, but it must not be shown either. */
export const AWS_KEY_ID = awsKeyId;

/**
 * Pieces of a secret long enough to identify it: none may appear in any output. Short pieces are left out, as
 * eight characters of base64 can occur by chance in a long report.
 */
export function piecesOf(secret: string): string[] {
  const pieces = new Set<string>();
  for (const line of secret.split('\n')) {
    const compact = line.trim();
    for (let at = 0; at + 12 <= compact.length; at += 6) pieces.add(compact.slice(at, at + 12));
  }
  return [...pieces];
}

/** Every secret and piece of one, from every sample, and the AWS key id. */
export const FORBIDDEN: readonly string[] = [
  AWS_KEY_ID,
  ...SAMPLES.flatMap((sample) => [sample.secret, ...piecesOf(sample.secret)]),
];

/** The forbidden strings `text` contains: an empty list is what every test expects. */
export function leaks(text: string): string[] {
  return FORBIDDEN.filter((piece) => text.includes(piece));
}
