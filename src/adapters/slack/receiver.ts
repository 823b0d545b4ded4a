import { HTTPReceiver, SocketModeReceiver, type Logger as SlackLogger } from '@slack/bolt';
import { SLACK_EVENTS_PATH } from './manifest.js';

/**
 * How far a request's timestamp may be from our clock, either way: Slack's five minutes.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack#validating-a-request
 */
export const SLACK_MAX_CLOCK_SKEW_S = 300;

/** Receiver settings; tests shorten Bolt's waits. */
export interface SlackReceiverOptions {
  /** Socket Mode when set (`xapp-…`, needs no public URL). */
  appToken?: string;
  /** HTTP mode: requests must be signed with it. */
  signingSecret?: string;
  /** Web API base, for Socket Mode's `apps.connections.open`. */
  apiUrl: string;
  logger: SlackLogger;
  /** HTTP mode: Bolt answers 404 when a listener does not ack within this (default 3001). */
  unhandledRequestTimeoutMillis?: number;
  /** Socket Mode: ping timeout, also the wait before a reconnect (default 5000). */
  clientPingTimeout?: number;
  /** HTTP mode clock, for the timestamp check. */
  now?: () => number;
}

/**
 * Bolt rejects timestamps older than five minutes but accepts any from the future, so a signed
 * request captured with a clock running ahead could be replayed for as long as that skew lasts.
 * This refuses those before Bolt reads the body; Bolt then checks the signature (constant-time)
 * and staleness as usual.
 */
function refuseFutureTimestamps(receiver: HTTPReceiver, now: () => number): void {
  const verifyAndHandle = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const ts = typeof header === 'string' ? Number(header) : Number.NaN;
    if (Number.isFinite(ts) && ts > Math.floor(now() / 1000) + SLACK_MAX_CLOCK_SKEW_S) {
      req.resume();
      res.writeHead(401).end();
      return;
    }
    verifyAndHandle(req, res);
  };
}

/** The Bolt receiver for the configured mode: Socket Mode with an app token, else signed HTTP on `/slack/events`. */
export function createSlackReceiver(opts: SlackReceiverOptions): HTTPReceiver | SocketModeReceiver {
  if (opts.appToken !== undefined) {
    return new SocketModeReceiver({
      appToken: opts.appToken,
      logger: opts.logger,
      // The socket client's own WebClient (apps.connections.open) only takes options from here.
      installerOptions: { clientOptions: { slackApiUrl: opts.apiUrl } },
      ...(opts.clientPingTimeout !== undefined ? { clientPingTimeout: opts.clientPingTimeout } : {}),
    });
  }
  if (opts.signingSecret === undefined) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)');
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: opts.logger,
    ...(opts.unhandledRequestTimeoutMillis !== undefined ? { unhandledRequestTimeoutMillis: opts.unhandledRequestTimeoutMillis } : {}),
  });
  refuseFutureTimestamps(receiver, opts.now ?? Date.now);
  return receiver;
}
