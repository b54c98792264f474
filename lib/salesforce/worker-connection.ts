/**
 * The worker's one connection service and Salesforce client, made from the browser's APIs on
 * first use. Features call Salesforce through `salesforceClient()`; nothing else makes a client.
 */
import { browser } from 'wxt/browser';
import { type ConnectionService, createConnectionService } from './connection';
import { loopbackAllowed } from './hosts';

let service: ConnectionService | undefined;

export function connectionService(): ConnectionService {
  service ??= createConnectionService({
    identity: browser.identity,
    redirectUri: () => browser.identity.getRedirectURL('oauth2'),
    fetch: (input, init) => fetch(input, init),
    hosts: { allowLoopback: loopbackAllowed() },
    alarms: browser.alarms,
    // The end-to-end build gives up on a silent Salesforce sooner, as its outbox timing is quicker.
    ...(import.meta.env.MODE === 'e2e' ? { callTimeoutMs: 8_000 } : {}),
  });
  return service;
}

export const salesforceClient = () => connectionService().client;
