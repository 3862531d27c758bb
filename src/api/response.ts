import { InvalidResponseError, type ErrorContext } from '../errors.js';
import { answered } from '../pipeline/errors.js';
import type { Answer } from '../pipeline/run.js';

const NULL_BODY = [101, 204, 205, 304];

/** A status text a `Response` accepts: Latin-1 without control characters (servers may send anything). */
const statusTextOf = (text: string) => (/^[\t\x20-\x7e\x80-\xff]*$/.test(text) ? text : '');

/**
 * The answer as openapi-fetch reads it. The pipeline has read the body already (body limit,
 * replay), so this is a body-less `Response` whose readers serve those bytes: building a second
 * body stream costs more than the rest of the call. A body that is not JSON fails `json()` as a
 * typed error, not a `SyntaxError`.
 */
export class BufferedResponse extends Response {
  readonly #answer: Answer;
  readonly #ctx: ErrorContext;
  readonly #reject: (error: unknown) => Promise<never>;
  /** The pipeline's parsed value is still unshared: the first `json()` may hand it out. */
  #fresh: boolean;

  constructor(answer: Answer, ctx: ErrorContext, reject: (error: unknown) => Promise<never>, fresh = true) {
    const { res, bytes } = answer;
    const headers = new Headers(res.headers);
    // The decoded length: openapi-fetch then parses through `json()` below, not `text()` and JSON.parse.
    if (!NULL_BODY.includes(res.status)) headers.set('content-length', String(bytes.byteLength));
    super(null, { status: res.status, statusText: statusTextOf(res.statusText), headers });
    this.#answer = answer;
    this.#ctx = ctx;
    this.#reject = reject;
    this.#fresh = fresh;
  }

  /** The same answer with a body of its own, for the readers openapi-fetch does not use. */
  #full() {
    return new Response(NULL_BODY.includes(this.status) ? null : this.#answer.bytes, this);
  }

  override get body() {
    return this.#full().body;
  }

  override async json() {
    const parsed = this.#answer.parsed;
    // The pipeline parsed the body to classify it; a clone, or a second read, gets its own copy.
    if (this.#fresh && parsed && parsed.value !== undefined && parsed.value !== parsed.text) {
      this.#fresh = false;
      return parsed.value;
    }
    this.#fresh = false;
    try {
      return JSON.parse(new TextDecoder().decode(this.#answer.bytes));
    } catch (error) {
      // openapi-fetch parses after our fetch returned: this error is scrubbed and reported here.
      const ctx = { ...answered(this.#answer, this.#ctx), reason: 'not-json' as const, cause: error };
      return this.#reject(new InvalidResponseError('The body is not the JSON the contract promises.', ctx));
    }
  }

  override text() {
    return this.#full().text();
  }

  override arrayBuffer() {
    return this.#full().arrayBuffer();
  }

  override blob() {
    return this.#full().blob();
  }

  override formData() {
    return this.#full().formData();
  }

  override clone(): Response {
    return new BufferedResponse(this.#answer, this.#ctx, this.#reject, false);
  }
}
