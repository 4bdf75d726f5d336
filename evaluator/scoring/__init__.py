"""Scoring: derived values, gates, rule scores, credibility, totals, ranks and the MCDA
methods, for one proposal, a batch, or a batch in worker processes. Pure: no I/O."""
