import { cosine } from '../domain/similarity.js';
import type { AssistantService } from './assistant-service.js';

/** The listing fields the search reads; the catalog module's public service provides them. */
export interface ListingSource {
  listBySeller(sellerId: string, limit: number): Promise<Array<{ id: string; title: string; description: string }>>;
}

export interface ListingMatch {
  listingId: string;
  title: string;
  score: number;
}

/** The wire contract allows 32 texts per embed call. */
const BATCH = 32;
/** How many of the seller's listings one search considers. */
const CANDIDATES = 200;

/**
 * Ranks a seller's own listings by similarity to a query ("which of my listings is like this
 * one?"). It reads listings with the caller's identity through the catalog module and sends only
 * text to the compute: the graph stays in the monolith, only the arithmetic may leave it.
 */
export function createListingSearch(assistant: AssistantService, listings: ListingSource) {
  return async function searchOwnListings(sellerId: string, query: string, limit: number): Promise<ListingMatch[]> {
    const candidates = await listings.listBySeller(sellerId, CANDIDATES);
    if (candidates.length === 0) return [];
    const texts = [query, ...candidates.map((l) => `${l.title}\n${l.description}`.slice(0, 4000))];
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) batches.push(texts.slice(i, i + BATCH));
    const vectors = (await Promise.all(batches.map((b) => assistant.embed(b)))).flatMap((r) => r.vectors);
    const [queryVector, ...listingVectors] = vectors;
    return candidates
      .map((l, i) => ({ listingId: l.id, title: l.title, score: cosine(queryVector!, listingVectors[i]!) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  };
}

export type ListingSearch = ReturnType<typeof createListingSearch>;
