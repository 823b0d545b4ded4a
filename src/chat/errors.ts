/**
 * A problem the user can fix (bad query, not allowed, over a limit). The dispatcher turns it
 * into a friendly private reply with its stable code; it is not logged as an error.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** Monospace text shown under the message (a query with a caret under the problem). */
  readonly detail?: string;
  /** Show the command's usage line with the message. */
  readonly showUsage: boolean;

  constructor(
    readonly code: string,
    message: string,
    opts: { detail?: string; showUsage?: boolean } = {},
  ) {
    super(message);
    if (opts.detail) this.detail = opts.detail;
    this.showUsage = opts.showUsage ?? false;
  }
}
