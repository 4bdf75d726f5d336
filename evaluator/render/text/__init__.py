"""The words of results, one message table per topic.

The core gives facts (model.notes: codes with their data); every sentence a person reads
about them is made here, and every renderer (table, Markdown, HTML, the JSON contract's
strings, sensitivity) takes its words from these modules:

- `panel`: who on a panel rated a judgement highest and lowest;
- `notes`: the notes of a run and the warnings about a proposal.

A second language is one more set of these tables.
"""
