-- Correction to 0001 (applied files are never edited): every strategy that writes the auction
-- row bumps `version`, not only the optimistic one, so a compare-and-set never overwrites a
-- change made under another strategy.
COMMENT ON COLUMN bidding.auctions.version IS
  'Bumped by every write of the auction row; the optimistic strategy compares and sets it.';
