/**
 * Teaches the network hook which Outlook on the web requests can send mail: `POST` to the OWA
 * service endpoint (`/owa/service.svc` or `/owa/<N>/service.svc`, the same on every Outlook host)
 * with an item action. The body decides whether it really sends (see service-request.ts).
 */
import type { SendDetector } from '../network-hook';
import { owaSendOutcomes, readOwaServiceRequest } from './service-request';

/** Absolute or relative URLs of the service endpoint with an action that can carry a send or a draft save. */
const SERVICE_URL = /^(?:https:\/\/[^/?#]+)?(?:[^?#]*\/)?service\.svc\?(?:[^#]*&)?action=(?:CreateItem|UpdateItem|SendItem)(?:[&#]|$)/;

export const outlookSendDetector: SendDetector = {
  wants: (url, method) => method === 'POST' && url.includes('service.svc') && SERVICE_URL.test(url),
  read: readOwaServiceRequest,
  confirm: owaSendOutcomes,
};
