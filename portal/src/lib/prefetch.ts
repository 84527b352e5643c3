/** The first requests, sent as soon as the script runs rather than after React's first
 * render, and side by side: who is signed in, and the catalog the first page shows. */

import { api } from "../api/client";
import type { CatalogItem, Me } from "../api/types";

let me: Promise<Me> | null = null;

export function prefetchMe(): void {
  me = api.me();
  me.catch(() => undefined); // answered by loadMe's caller
}

/** The prefetched answer the first time, a fresh request after that. */
export function loadMe(): Promise<Me> {
  const request = me ?? api.me();
  me = null;
  return request;
}

type CatalogBody = { items: CatalogItem[] };

let early: Promise<CatalogBody> | null = null;

export function prefetchCatalog(): Promise<CatalogBody> {
  const request = api.catalog();
  early = request;
  request.catch(() => {
    if (early === request) early = null; // signed out, say: ask again later
  });
  return request;
}

/** The prefetched answer the first time, a fresh request after that. */
export function loadCatalog(): Promise<CatalogBody> {
  const request = early ?? api.catalog();
  early = null;
  return request;
}
