"""The vocabulary and its readers: proposal fields, proposal and criteria files, rules,
ranges, ICP activities, panel files, AHP judgements (weights_from), and the JSON Schema
and template made from them."""
