/** The popup's and options page's way to ask the worker; one place so tests can swap the runtime. */
import { browser } from 'wxt/browser';
import { type MessageType, type RequestOf, type ResponseOf, sendToWorker } from '@/lib/messages';

export function askWorker<T extends MessageType>(type: T, request: RequestOf<T>): Promise<ResponseOf<T>> {
  return sendToWorker(browser.runtime, type, request);
}
