import type { Client, ClientOptions } from 'openapi-fetch';
import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/podpreview-api.ts';

export type { components, operations, paths } from '../generated/podpreview-api.ts';
export * from './callbacks.ts';

/** What the API answers and callbacks carry, by schema name. */
export type Run = components['schemas']['Run'];
export type Episode = components['schemas']['Episode'];
export type SubmitReceipt = components['schemas']['SubmitReceipt'];
export type CallbackBody = components['schemas']['CallbackBody'];

export type PodpreviewClient = Client<paths>;

/**
 * A typed client of the podpreview HTTP API (openapi-fetch over the types generated from the
 * API's OpenAPI document): every path, parameter and answer is checked by the compiler.
 *
 *   const api = createPodpreviewClient({ baseUrl: 'https://previews.example.com', token });
 *   const { data, error } = await api.POST('/v1/episodes', { body: { id: 'ep-42', audioUri } });
 */
export function createPodpreviewClient(o: { baseUrl: string; token?: string } & Omit<ClientOptions, 'baseUrl'>): PodpreviewClient {
  const { token, headers, ...rest } = o;
  return createClient<paths>({
    ...rest,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string> | undefined) },
  });
}
