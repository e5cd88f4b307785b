// The callback's HTTP client. Checking the URL once is not enough: a public name may resolve to 127.0.0.1 later (DNS
// rebinding), so every connection resolves the name itself and refuses a non-public address at connect time.
// Redirects are never followed (a 3xx is the receiver's final answer), and the response body is discarded unread
// beyond a small cap.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { checkCallbackTarget, isPublicAddress } from "./callback-target";
import type { FetchLike } from "./post-result";

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export class CallbackTargetRefused extends Error {
  override name = "CallbackTargetRefused";
}

/** A `lookup` for http(s).request that answers only public addresses (all of them must be public). */
export function publicOnlyLookup(resolve: Resolver): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) {
          callback(new CallbackTargetRefused(`callback host ${hostname} resolves to a non-public address; refused`));
          return;
        }
        if (options?.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: unknown) => callback(err),
    );
  }) as LookupFunction;
}

export interface GuardedFetchOptions {
  /** RECORDER_CALLBACK_HOSTS: these hosts skip the address check (and, when set, are the only ones allowed). */
  allowHosts: readonly string[];
  /** Name resolution. @default the system resolver (dns.lookup) */
  resolve?: Resolver;
}

const MAX_DISCARD_BYTES = 64 * 1024;

export function guardedFetch(opts: GuardedFetchOptions): FetchLike {
  const resolve = opts.resolve ?? systemResolver;
  return (url, init) => {
    const target = checkCallbackTarget(url, opts.allowHosts);
    if (!target.ok) return Promise.reject(new CallbackTargetRefused(`callback URL refused: ${target.reason}`));
    const u = target.url;
    const options: RequestOptions = {
      method: init.method,
      headers: { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) },
      signal: init.signal,
      agent: false,
      ...(target.allowListed ? {} : { lookup: publicOnlyLookup(resolve) }),
    };
    const send = u.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolvePromise, reject) => {
      const req = send(u, options, (res) => {
        let seen = 0;
        res.on("data", (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_DISCARD_BYTES) res.destroy();
        });
        res.on("error", () => undefined);
        resolvePromise({ status: res.statusCode ?? 0 });
        res.resume();
      });
      req.on("error", reject);
      req.end(init.body);
    });
  };
}
