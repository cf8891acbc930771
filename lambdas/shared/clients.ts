import { type Observability, traced } from './observability.js';

const clientsOf = new WeakMap<Observability, Map<abstract new () => unknown, unknown>>();

/**
 * The function's one traced SDK client of a kind, made on the first ask and shared by every port and dependency
 * that asks after. The caller imports the client class statically, so a bundle holds only the SDK clients its
 * function uses, tree-shaken to the commands it sends.
 */
export function sdkClient<C>(obs: Observability, Client: new () => C): C {
  let clients = clientsOf.get(obs);
  if (!clients) {
    clients = new Map();
    clientsOf.set(obs, clients);
  }
  let client = clients.get(Client) as C | undefined;
  if (client === undefined) {
    client = traced(obs, new Client());
    clients.set(Client, client);
  }
  return client;
}
