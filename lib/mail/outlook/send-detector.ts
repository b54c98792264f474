/**
 * Teaches the network hook which Outlook on the web requests can send mail: `POST` to the OWA
 * service endpoint (`/owa/service.svc` or `/owa/<N>/service.svc`, the same on every Outlook host)
 * with an item action. The body decides whether it really sends (see service-request.ts).
 */
import type { SendDetector } from '../network-hook';
import { outlookBccWriter } from './bcc-request';
import { type DraftMemory, owaSendOutcomes, readOwaServiceRequest } from './service-request';

/** The drafts this tab saved, for UpdateItem sends that carry only what changed since. */
const drafts: DraftMemory = new Map();

/** Absolute or relative URLs of the service endpoint with an action that can carry a send or a draft save. */
const SERVICE_URL = /^(?:https:\/\/[^/?#]+)?(?:[^?#]*\/)?service\.svc\?(?:[^#]*&)?action=(?:CreateItem|UpdateItem|SendItem)(?:[&#]|$)/;

export const outlookSendDetector: SendDetector = {
  wants: (url, method) => method === 'POST' && url.includes('service.svc') && SERVICE_URL.test(url),
  read: (url, body) => readOwaServiceRequest(url, body, drafts),
  // Short requests travel URL-encoded in this header, with an empty body (docs/outlook.md).
  bodyHeader: 'x-owa-urlpostdata',
  confirm: owaSendOutcomes,
  bcc: outlookBccWriter,
};
