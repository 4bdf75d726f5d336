"""The words of results, one message table per topic.

The core gives facts (scoring.results, model.notes: values, units, rules and the case
that applied, how a value was derived, codes with their data); every sentence a person
reads about them is made here, and every renderer (table, Markdown, HTML, CSV, the JSON
contract's strings, sensitivity, criteria) takes its words from these modules:

- `numbers`: numbers, percentages and scores as people read them;
- `rules`: each rule type described, and the reason a value scores what it does;
- `evidence`: a sub-criterion's evidence (value, unit, estimate, derivation, score, reason);
- `gates`: a gate's requirement and the value that decided it;
- `credibility`: which sub-criteria a credibility factor discounts, and the sum it makes;
- `panel`: a panel's consolidated ratings and its settings;
- `notes`: the notes of a run and the warnings about a proposal.

A second language is one more set of these tables.
"""
