"""Analyses on top of scoring: weight stability and SMAA sampling, and
uncertain figures drawn. numpy is imported inside, by the commands that need it."""
