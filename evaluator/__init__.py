"""evaluator: score defence-procurement proposals against stated criteria, and compare them."""

__version__ = "0.1.0"
