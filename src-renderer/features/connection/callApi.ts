import { AppError } from '../../../src-shared/AppError.ts';
import type { Api } from '../../../src-shared/buildApi.ts';
import { fail, type Envelope } from '../../../src-shared/envelope.ts';
import { getApi } from '../../api/getApi.ts';
import { connectionErrorCodes } from './connectionErrorCodes.ts';
import { errorSentence, errorText } from '../../ui/errorText.ts';
import { useConnectionStore } from './connectionStore.ts';

/**
 * Every call to the core goes through here. It never throws: when there is no API at all (no
 * bridge token) the failure comes back as a TRANSPORT envelope, and connection failures also
 * raise the banner, which the next call that gets through takes down again. Failures come back
 * with their message in the GUI's words (see errorSentence).
 */
export async function callApi<T>(call: (api: Api) => Promise<Envelope<T>>): Promise<Envelope<T>> {
  let envelope: Envelope<T>;
  try {
    envelope = await call(getApi());
  } catch (error) {
    envelope = fail(new AppError('TRANSPORT', errorText(error), { retryable: false }));
  }
  // Every failure the GUI shows passes here: in words, field names as labels (errorSentence).
  if (!envelope.ok) envelope = { ok: false, error: { ...envelope.error, message: errorSentence(envelope.error) } };
  const connection = useConnectionStore.getState();
  if (!envelope.ok && connectionErrorCodes.has(envelope.error.code)) {
    connection.report({ message: envelope.error.message, retryable: envelope.error.retryable });
  } else {
    connection.clear();
  }
  return envelope;
}
