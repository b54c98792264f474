/**
 * Teaches the network hook which Gmail requests send mail: `POST /sync/u/<N>/i/s` for every
 * signed-in account (`/u/0`, `/u/1`, …), and `POST /sync/u/<N>/d/<id>/i/s` from a delegated
 * mailbox (docs/gmail.md).
 */
import type { SendDetector } from '../network-hook';
import { gmailBccWriter } from './bcc-request';
import { gmailSendOutcomes, readGmailSyncRequest } from './sync-request';

/** Matches absolute and relative URLs; the query string Gmail adds is ignored. */
const SYNC_PATH = /^(?:https:\/\/mail\.google\.com)?\/sync\/u\/\d+\/(?:d\/[\w.@%+-]{1,200}\/)?i\/s(?:[?#]|$)/;

export const gmailSendDetector: SendDetector = {
  wants: (url, method) => method === 'POST' && SYNC_PATH.test(url),
  read: (_url, body) => readGmailSyncRequest(body),
  confirm: gmailSendOutcomes,
  bcc: gmailBccWriter,
};
