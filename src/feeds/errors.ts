/**
 * The bytes are not a feed at all (an HTML page, an empty body, JSON, a foreign XML document),
 * or cannot be read as one. Recoverable breakage inside a real feed never throws this.
 */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
}
