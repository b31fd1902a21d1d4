/** The result of identifying one licence text against the SPDX licence texts. */
export interface LicenceCandidate {
  spdx: string;
  /** Similarity in [0, 1]. */
  score: number;
}

export interface Identification {
  /** The SPDX id identified, or null when the text is unknown or too close to call. */
  spdx: string | null;
  /** How sure, in [0, 1]. With `spdx: null`, the best candidate's score. */
  confidence: number;
  /**
   * How it was found: the full licence text; a short reference that names a licence ("Licensed under the Open
   * Government Licence v3.0"); or nothing.
   */
  method: 'full-text' | 'reference' | 'none';
  /** Other SPDX ids whose canonical texts are truly identical to `spdx` (e.g. GPL-3.0-or-later for GPL-3.0-only). */
  equivalents: string[];
  /** The closest licences, best first (at most 3), always given when any is close; what to show when unsure. */
  candidates: LicenceCandidate[];
  /** Further licences the same file names or contains besides `spdx` (e.g. an OGL paragraph after MIT text). */
  also: string[];
}
